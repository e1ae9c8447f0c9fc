"""HTTP GET for feeds and pages: timeouts, bounded retries, conditional GET, a cap on decoded bytes."""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from assets.storage import atomic_write_bytes

USER_AGENT = "Tally/0.1 (news ingestion for the Tally people-figures pipeline)"
# We decode the body ourselves (see _decoded_chunks), so only advertise what we can decode within a bound.
ACCEPT_ENCODING = "gzip, deflate"
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_DECODE_STEP = 64 * 1024  # most bytes one decompression step may produce


class FetchError(Exception):
    """A fetch that failed for good; `reason` is a reject reason code."""

    def __init__(self, reason: str, detail: str, status: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.status = status


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of one fetch; backoff before retry n (from 0) is min(backoff_base * 2**n, backoff_max) s."""

    max_bytes: int = 5_000_000
    timeout: float = 20.0
    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class Validators:
    """The conditional-GET validators a server gave for a URL."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        """Return the If-None-Match / If-Modified-Since headers these validators call for."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of a successful GET: a body, or not_modified (304) with no body."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    validators: Validators
    not_modified: bool = False
    attempts: int = 1


def check_url(url: str) -> str | None:
    """Return None when `url` is an absolute http(s) URL with a host, else why not."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"malformed URL: {exc}"
    if parts.scheme.lower() not in {"http", "https"}:
        return f"scheme {parts.scheme or '(none)'!r} is not http or https"
    if not parts.hostname:
        return "the URL has no host"
    return None


def backoff_delay(policy: FetchPolicy, retry: int, retry_after: str | None = None) -> float:
    """Return the seconds to wait before retry number `retry` (0-based), honouring a bounded Retry-After."""
    delay = min(policy.backoff_base * (2**retry), policy.backoff_max)
    if retry_after and retry_after.strip().isdigit():
        delay = max(delay, min(float(retry_after.strip()), policy.backoff_max))
    return delay


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    policy: FetchPolicy | None = None,
    validators: Validators | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """Return the response to GET `url`, retrying transient failures; raise FetchError when it fails for good.

    Retries (at most policy.retries, with exponential backoff through `sleep`) cover connection errors,
    timeouts and the statuses in RETRY_STATUSES. The body is read as a stream and its decoded (decompressed)
    size is held to policy.max_bytes, so neither a large body nor a compression bomb is ever held in memory
    whole.
    """
    policy = policy or FetchPolicy()
    problem = check_url(url)
    if problem:
        raise FetchError("bad_url", problem)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    if validators:
        headers.update(validators.request_headers())
    with _client(client, policy) as http:
        last: FetchError | None = None
        for attempt in range(policy.retries + 1):
            retry_after = None
            try:
                return _get_once(http, url, headers, policy, attempt + 1)
            except _Retryable as exc:
                last, retry_after = exc.error, exc.retry_after
            if attempt < policy.retries:
                sleep(backoff_delay(policy, attempt, retry_after))
        assert last is not None
        raise FetchError(last.reason, f"{last.detail} (after {policy.retries + 1} attempts)", last.status)


class _Retryable(Exception):
    def __init__(self, error: FetchError, retry_after: str | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@contextmanager
def _client(client: httpx.Client | None, policy: FetchPolicy) -> Iterator[httpx.Client]:
    if client is not None:
        yield client
        return
    with new_client(policy) as own:
        yield own


def new_client(policy: FetchPolicy | None = None) -> httpx.Client:
    """Return an httpx.Client set up for fetch(); the caller closes it.

    trust_env=False: proxy variables and .netrc of the machine must not redirect or decorate our requests.
    """
    policy = policy or FetchPolicy()
    return httpx.Client(follow_redirects=True, max_redirects=policy.max_redirects, trust_env=False)


def _get_once(
    http: httpx.Client, url: str, headers: dict[str, str], policy: FetchPolicy, attempt: int
) -> Fetched:
    try:
        with http.stream("GET", url, headers=headers, timeout=policy.timeout, follow_redirects=True) as resp:
            final_url = str(resp.url)
            problem = check_url(final_url)
            if problem:
                raise FetchError("bad_url", f"redirected to {final_url}: {problem}")
            if resp.status_code == 304:
                return Fetched(
                    final_url, 304, b"", None, _validators(resp), not_modified=True, attempts=attempt
                )
            if resp.status_code in RETRY_STATUSES:
                error = FetchError(
                    "http_error", f"HTTP {resp.status_code} from {final_url}", resp.status_code
                )
                raise _Retryable(error, resp.headers.get("Retry-After"))
            if not 200 <= resp.status_code < 300:
                raise FetchError("http_error", f"HTTP {resp.status_code} from {final_url}", resp.status_code)
            content = _read_body(resp, policy)
            return Fetched(
                final_url,
                resp.status_code,
                content,
                resp.headers.get("Content-Type"),
                _validators(resp),
                attempts=attempt,
            )
    except httpx.TimeoutException as exc:
        raise _Retryable(
            FetchError("timeout", f"{type(exc).__name__} after {policy.timeout}s: {url}")
        ) from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError("http_error", f"too many redirects: {exc}") from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError("bad_url", str(exc)) from exc
    except (httpx.InvalidURL, httpx.LocalProtocolError) as exc:
        raise FetchError("bad_url", f"{type(exc).__name__}: {exc}") from exc
    except httpx.TransportError as exc:
        raise _Retryable(
            FetchError("unreachable", f"{type(exc).__name__}: {exc or 'no detail'} ({url})")
        ) from exc


def _validators(resp: httpx.Response) -> Validators:
    return Validators(resp.headers.get("ETag"), resp.headers.get("Last-Modified"))


def _read_body(resp: httpx.Response, policy: FetchPolicy) -> bytes:
    declared = resp.headers.get("Content-Length")
    encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
    if declared and declared.isdigit() and encoding == "identity" and int(declared) > policy.max_bytes:
        raise FetchError("too_large", f"Content-Length {declared} exceeds max_bytes={policy.max_bytes}")
    # A slow trickle of bytes resets the read timeout each time; cap the whole read too.
    deadline = time.monotonic() + policy.timeout * 3
    parts: list[bytes] = []
    total = 0
    for chunk in _decoded_chunks(resp.iter_raw(_DECODE_STEP), encoding):
        total += len(chunk)
        if total > policy.max_bytes:
            raise FetchError(
                "too_large", f"body exceeds max_bytes={policy.max_bytes} after decoding ({encoding})"
            )
        if time.monotonic() > deadline:
            raise FetchError("timeout", f"the body took longer than {policy.timeout * 3}s to arrive")
        parts.append(chunk)
    return b"".join(parts)


def _decoded_chunks(raw: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """Yield the decoded body in pieces of at most _DECODE_STEP bytes (max_length bounds each step)."""
    if encoding in {"identity", ""}:
        yield from raw
        return
    if encoding in {"gzip", "x-gzip"}:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        decompressor = None  # zlib-wrapped or raw deflate; decided on the first bytes
    else:
        raise FetchError("bad_content_encoding", f"Content-Encoding {encoding!r} is not supported")
    try:
        for chunk in raw:
            if decompressor is None:
                wrapped = (
                    len(chunk) >= 2 and (chunk[0] & 0x0F) == 8 and ((chunk[0] << 8) | chunk[1]) % 31 == 0
                )
                decompressor = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            data = chunk
            while data and not decompressor.eof:
                out = decompressor.decompress(data, _DECODE_STEP)
                if out:
                    yield out
                data = decompressor.unconsumed_tail
        while decompressor is not None and not decompressor.eof:
            out = decompressor.decompress(b"", _DECODE_STEP)
            if not out:
                break
            yield out
        if decompressor is not None:
            tail = decompressor.flush()
            if tail:
                yield tail
    except zlib.error as exc:
        raise FetchError("bad_content_encoding", f"corrupt {encoding} body: {exc}") from exc


@dataclass
class HttpState:
    """Conditional-GET validators per URL, kept in a small JSON file written atomically."""

    path: Path
    urls: dict[str, Validators] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> HttpState:
        """Return the state stored at `path`; a missing or unreadable file gives an empty state."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            urls = {
                str(url): Validators(v.get("etag"), v.get("last_modified"))
                for url, v in raw.get("urls", {}).items()
                if isinstance(v, dict)
            }
        except (OSError, ValueError, AttributeError):
            urls = {}
        return cls(path, urls)

    def get(self, url: str) -> Validators | None:
        """Return the validators stored for `url`, if any."""
        return self.urls.get(url)

    def set(self, url: str, validators: Validators) -> None:
        """Remember `validators` for `url` (forget the URL when the server gave none)."""
        if validators.etag or validators.last_modified:
            self.urls[url] = validators
        else:
            self.urls.pop(url, None)

    def save(self) -> None:
        """Write the state atomically (temporary file and rename locally, one PUT on object storage)."""
        payload = {
            "version": 1,
            "urls": {
                u: {"etag": v.etag, "last_modified": v.last_modified} for u, v in sorted(self.urls.items())
            },
        }
        atomic_write_bytes(self.path, json.dumps(payload, indent=2).encode("utf-8"))
