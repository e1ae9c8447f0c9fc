"""Read one configured source: walk folders, sniff formats, fetch feeds; account for every input."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import httpx

from assets.sources.config import SourceSpec
from assets.sources.decode import Decoded, decode_bytes
from assets.sources.feeds import iter_feed
from assets.sources.html import parse_html
from assets.sources.http import FetchError, FetchPolicy, HttpState, fetch, new_client
from assets.sources.ledger import FileLedger
from assets.sources.records import RawArticle, Reject, reject_for
from assets.sources.textfiles import (
    first_nonblank_line,
    is_seed_header,
    iter_text_records,
    looks_like_json_lines,
    read_capped,
    starts_as_utf8_text,
    stream_json_lines,
    with_encoding_note,
)

FEED_SUFFIXES = {".xml", ".rss", ".atom"}
JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf)[\s>]")
_HTML_MARK = re.compile(r"<(!doctype html|html|head|body|article|p|div)[\s>]")

Record = RawArticle | Reject


def sniff_format(text: str, suffix: str = "") -> str:
    """Return "feed", "html" or "text" for decoded content, by its first bytes and then its suffix.

    Content wins over the suffix: an RSS document named .txt is a feed, a seed file named .html is text. The
    suffix decides only when content gives no sign (an .xml file whose root is unknown is still read as a
    feed, and rejected as not one, rather than taken for a plain-text article).
    """
    head = text.lstrip()[:4096].lower()
    if head.startswith("<"):
        if _FEED_ROOT.search(head):
            return "feed"
        if _HTML_MARK.search(head):
            return "html"
        if suffix in HTML_SUFFIXES:
            return "html"
        return "feed" if head.startswith("<?xml") or suffix in FEED_SUFFIXES else "html"
    if is_seed_header(first_nonblank_line(text)) or looks_like_json_lines(text):
        return "text"
    if suffix in FEED_SUFFIXES:
        return "feed"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "text"


def read_file(
    path: Path,
    source: str,
    *,
    location: str | None = None,
    max_bytes: int = 5_000_000,
    fetch_page: Callable | None = None,
) -> Iterator[Record]:
    """Yield the records of one file in any supported format; never raises for a bad file.

    Seed, JSON Lines, JSON and plain text give their articles; HTML gives one article; a feed gives one record
    per entry (linked pages are fetched only when `fetch_page` is given). Anything unreadable is a Reject.
    """
    location = location or str(path)
    try:
        # streamed, so a bulk JSON Lines file costs the memory of one line; records already given stay given
        yield from _read_file(path, source, location, max_bytes, fetch_page)
    except Exception as exc:  # the last line of defence: a reader bug must not stop the run or lose the input
        yield Reject(source, location, "internal_error", f"{type(exc).__name__}: {exc}")


def _read_file(
    path: Path, source: str, location: str, max_bytes: int, fetch_page: Callable | None
) -> Iterator[Record]:
    if path.suffix.lower() in JSON_LINES_SUFFIXES and starts_as_utf8_text(path):
        yield from stream_json_lines(path, source, location, max_bytes)
        return
    data = read_capped(path, max_bytes)
    if isinstance(data, Reject):
        yield dataclasses.replace(data, source=source, location=location)
        return
    decoded = decode_bytes(data)
    if not isinstance(decoded, Decoded):
        yield reject_for(source, location, decoded.reason, decoded.detail, data)
        return
    suffix = path.suffix.lower()
    kind = sniff_format(decoded.text, suffix)
    if kind == "feed":
        yield from iter_feed(data, source, location, fetch_page=fetch_page)
    elif kind == "html":
        record = parse_html(decoded.text, source, location)
        if isinstance(record, Reject):
            record = reject_for(source, location, record.reason, record.detail, data)
        yield with_encoding_note(record, decoded.encoding)
    else:
        for record in iter_text_records(decoded.text, suffix, source, location):
            yield with_encoding_note(record, decoded.encoding)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _resolve(raw: str, root: Path) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else root / path


def iter_folder(spec: SourceSpec, root: Path) -> Iterator[Path]:
    """Return the files a folder source covers, sorted, without hidden names; none if the folder is absent.

    An absent folder is an empty inbox, not an error (data/inbox/ does not exist on a fresh checkout).
    """
    folder = _resolve(spec.path or ".", root)
    if not folder.is_dir():
        return iter(())
    found: set[Path] = set()
    for pattern in spec.patterns:
        matches = folder.rglob(pattern) if spec.recursive else folder.glob(pattern)
        for path in matches:
            relative = path.relative_to(folder)
            if any(part.startswith(".") for part in relative.parts):
                continue  # .gitkeep, editor swap files, our own state files
            if path.is_file():
                found.add(path)
    return iter(sorted(found))


def state_path(spec: SourceSpec, state_dir: Path) -> Path:
    """Return the conditional-GET state file of a source (one per source, so sources never share a write)."""
    return state_dir / f"{spec.name}.http.json"


def iter_source(
    spec: SourceSpec,
    *,
    root: Path,
    state_dir: Path,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    ledger: FileLedger | None = None,
) -> Iterator[Record]:
    """Yield every RawArticle and Reject of one source; nothing escapes as an exception, nothing is dropped.

    With a `ledger`, files of folder sources that were read whole before and are unchanged are skipped (the
    ledger lists them); the caller commits the ledger once it has stored the records.

    Relative paths are read under `root`, and file locations are given relative to it. A feed URL is fetched
    with a conditional GET whose validators live in state_path(spec, state_dir); that state is saved only once
    the caller has consumed every record, so a run that dies midway re-reads the feed next time. A 304 yields
    nothing.
    """
    root = Path(root)
    if not spec.enabled:
        return
    policy = FetchPolicy(max_bytes=spec.max_bytes, timeout=spec.timeout, retries=spec.retries)
    own_client = None
    if client is None and spec.kind == "feed" and (spec.url is not None or spec.fetch_linked):
        client = own_client = new_client(policy)  # one connection pool for the feed and all its pages
    try:
        yield from _iter_spec(spec, root, state_dir, policy, client, sleep, ledger)
    except Exception as exc:  # e.g. a folder that vanished midway; report it rather than kill the run
        where = spec.path or spec.url or spec.name
        yield Reject(spec.name, where, "internal_error", f"{type(exc).__name__}: {exc}")
    finally:
        if own_client is not None:
            own_client.close()


def _iter_spec(
    spec: SourceSpec,
    root: Path,
    state_dir: Path,
    policy: FetchPolicy,
    client: httpx.Client | None,
    sleep: Callable[[float], None],
    ledger: FileLedger | None = None,
) -> Iterator[Record]:
    fetch_page = partial(fetch, client=client, policy=policy, sleep=sleep) if spec.fetch_linked else None
    if spec.kind == "folder":
        folder = _resolve(spec.path or ".", root)
        if folder.exists() and not folder.is_dir():
            yield Reject(
                spec.name, _display(folder, root), "unreadable", "a folder source's path is not a folder"
            )
            return
        for path in iter_folder(spec, root):
            if ledger is not None:
                if ledger.unchanged(path):
                    continue
                ledger.about_to_read(path)
            yield from read_file(path, spec.name, location=_display(path, root), max_bytes=spec.max_bytes)
    elif spec.kind in {"file", "feed"} and spec.path is not None:
        path = _resolve(spec.path, root)
        page_fetcher = fetch_page if spec.kind == "feed" else None
        location = _display(path, root)
        yield from read_file(
            path, spec.name, location=location, max_bytes=spec.max_bytes, fetch_page=page_fetcher
        )
    elif spec.kind == "feed" and spec.url is not None:
        yield from _iter_feed_url(
            spec, spec.url, policy, state_path(spec, state_dir), client, sleep, fetch_page
        )
    else:
        raise ValueError(f"source {spec.name!r}: cannot read kind {spec.kind!r} without a path or url")


def _iter_feed_url(
    spec: SourceSpec,
    url: str,
    policy: FetchPolicy,
    state_file: Path,
    client: httpx.Client | None,
    sleep: Callable[[float], None],
    fetch_page: Callable | None,
) -> Iterator[Record]:
    state = HttpState.load(state_file)
    try:
        fetched = fetch(url, client=client, policy=policy, validators=state.get(url), sleep=sleep)
    except FetchError as exc:
        yield Reject(spec.name, url, exc.reason, exc.detail)
        return
    if fetched.not_modified:
        return
    decoded = decode_bytes(fetched.content)
    if not isinstance(decoded, Decoded):
        yield reject_for(spec.name, url, decoded.reason, decoded.detail, fetched.content)
    else:
        records = list(
            iter_feed(
                fetched.content,
                spec.name,
                url,
                base_url=fetched.url,
                content_type=fetched.content_type,
                fetch_page=fetch_page,
            )
        )
        yield from records
    # Reached only when the caller consumed every record: remember the validators for the next conditional
    # GET.
    state.set(url, fetched.validators)
    state.save()
