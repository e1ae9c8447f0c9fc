"""HTTP fetching against a local server on 127.0.0.1: retries, timeouts, size caps, encodings, state file."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib

import httpx
import pytest

from assets.sources import FetchError, FetchPolicy, HttpState, fetch
from assets.sources.http import USER_AGENT, Validators, backoff_delay

FAST = FetchPolicy(max_bytes=100_000, timeout=2.0, retries=3)


def gzip_bomb(size: int) -> bytes:
    """Return a gzip stream of `size` zero bytes, built in pieces (it compresses about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * (1 << 20)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.flush())
    return b"".join(parts)


def test_plain_get_sends_tally_user_agent(server, no_sleep):
    route = server.add("/page", "hello", headers={"Content-Type": "text/plain; charset=utf-8"})
    fetched = fetch(server.url("/page"), policy=FAST, sleep=no_sleep)
    assert (fetched.status, fetched.content, fetched.not_modified) == (200, b"hello", False)
    assert fetched.content_type == "text/plain; charset=utf-8"
    assert route.seen_headers[0]["user-agent"] == USER_AGENT
    assert "Tally" in USER_AGENT


def test_retries_503_with_exponential_backoff(server, sleeps, no_sleep):
    route = server.add("/flaky", "finally", fail_first=2)
    fetched = fetch(server.url("/flaky"), policy=FAST, sleep=no_sleep)
    assert fetched.content == b"finally"
    assert fetched.attempts == 3
    assert route.hits == 3
    assert sleeps == [0.5, 1.0]


def test_gives_up_after_the_retries(server, sleeps, no_sleep):
    route = server.add("/down", fail_first=99)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/down"), policy=FetchPolicy(retries=2), sleep=no_sleep)
    assert (info.value.reason, info.value.status) == ("http_error", 503)
    assert "after 3 attempts" in info.value.detail
    assert route.hits == 3
    assert sleeps == [0.5, 1.0]


def test_retry_after_is_honoured_but_bounded(server, sleeps, no_sleep):
    server.add("/busy", "ok", fail_first=1, fail_status=429, headers={"Retry-After": "3600"})
    fetch(server.url("/busy"), policy=FAST, sleep=no_sleep)
    assert sleeps == [FAST.backoff_max]


def test_backoff_is_capped():
    policy = FetchPolicy(backoff_base=1.0, backoff_max=5.0)
    assert [backoff_delay(policy, n) for n in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]


@pytest.mark.parametrize("status", [404, 410, 403])
def test_client_errors_are_not_retried(server, sleeps, no_sleep, status):
    route = server.add("/gone", "no", status=status)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/gone"), policy=FAST, sleep=no_sleep)
    assert (info.value.reason, info.value.status) == ("http_error", status)
    assert route.hits == 1 and sleeps == []


def test_timeout_is_retried_then_reported(server, sleeps, no_sleep):
    route = server.add("/hang", block=True)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/hang"), policy=FetchPolicy(timeout=0.2, retries=1), sleep=no_sleep)
    assert info.value.reason == "timeout"
    assert route.hits == 2 and sleeps == [0.5]


def test_unreachable_port(closed_port_url, sleeps, no_sleep):
    with pytest.raises(FetchError) as info:
        fetch(closed_port_url, policy=FetchPolicy(retries=2), sleep=no_sleep)
    assert info.value.reason == "unreachable"
    assert len(sleeps) == 2


@pytest.mark.parametrize("url", ["file:///etc/hostname", "ftp://127.0.0.1/x", "127.0.0.1/feed", "http://"])
def test_only_http_and_https(url, no_sleep):
    with pytest.raises(FetchError) as info:
        fetch(url, sleep=no_sleep)
    assert info.value.reason == "bad_url"


def test_redirect_to_another_scheme_is_refused(server, no_sleep):
    server.add("/jump", status=302, headers={"Location": "file:///etc/hostname"})
    with pytest.raises(FetchError) as info:
        fetch(server.url("/jump"), policy=FAST, sleep=no_sleep)
    assert info.value.reason == "bad_url"


def test_redirect_within_http_is_followed(server, no_sleep):
    server.add("/old", status=301, headers={"Location": "/new"})
    server.add("/new", "moved here")
    fetched = fetch(server.url("/old"), policy=FAST, sleep=no_sleep)
    assert (fetched.content, fetched.url) == (b"moved here", server.url("/new"))


def test_declared_length_over_the_cap_is_refused_before_reading(server, no_sleep):
    server.add("/big", b"x" * 5000)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/big"), policy=FetchPolicy(max_bytes=1000, retries=0), sleep=no_sleep)
    assert info.value.reason == "too_large" and "Content-Length" in info.value.detail


def test_undeclared_length_over_the_cap_is_cut_while_streaming(server, no_sleep):
    server.add("/stream", b"x" * 300_000, send_length=False)
    with pytest.raises(FetchError) as info:
        fetch(server.url("/stream"), policy=FetchPolicy(max_bytes=100_000, retries=0), sleep=no_sleep)
    assert info.value.reason == "too_large"


def test_gzip_body_is_decoded(server, no_sleep):
    server.add("/gz", gzip.compress(b"compressed text"), headers={"Content-Encoding": "gzip"})
    assert fetch(server.url("/gz"), policy=FAST, sleep=no_sleep).content == b"compressed text"


@pytest.mark.parametrize("wrapped", [True, False])
def test_deflate_body_is_decoded(server, no_sleep, wrapped):
    compressor = zlib.compressobj(wbits=zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
    body = compressor.compress(b"deflated text") + compressor.flush()
    server.add("/df", body, headers={"Content-Encoding": "deflate"})
    assert fetch(server.url("/df"), policy=FAST, sleep=no_sleep).content == b"deflated text"


def test_gzip_bomb_is_rejected_within_bounded_memory(server, no_sleep):
    bomb = gzip_bomb(64 << 20)  # 64 MiB of zeros in about 64 KiB
    assert len(bomb) < 200_000
    server.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as info:
            fetch(server.url("/bomb"), policy=FetchPolicy(max_bytes=1_000_000, retries=0), sleep=no_sleep)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.reason == "too_large"
    assert peak < 8_000_000, f"peak {peak} bytes while reading a 64 MiB bomb with a 1 MB cap"


@pytest.mark.parametrize(
    ("encoding", "body", "reason"),
    [
        ("br", b"\x0b\x02\x80hello\x03", "bad_content_encoding"),
        ("gzip", b"not gzip at all", "bad_content_encoding"),
    ],
)
def test_unsupported_or_corrupt_encoding(server, no_sleep, encoding, body, reason):
    server.add("/enc", body, headers={"Content-Encoding": encoding})
    with pytest.raises(FetchError) as info:
        fetch(server.url("/enc"), policy=FetchPolicy(retries=0), sleep=no_sleep)
    assert info.value.reason == reason


def test_conditional_get_sends_validators_and_reads_304(server, no_sleep):
    route = server.add("/feed", "body", etag='"v1"', last_modified="Tue, 01 Jul 2025 08:00:00 GMT")
    first = fetch(server.url("/feed"), policy=FAST, sleep=no_sleep)
    assert first.validators == Validators('"v1"', "Tue, 01 Jul 2025 08:00:00 GMT")
    second = fetch(server.url("/feed"), policy=FAST, validators=first.validators, sleep=no_sleep)
    assert second.not_modified and second.status == 304 and second.content == b""
    assert route.seen_headers[1]["if-none-match"] == '"v1"'
    assert route.seen_headers[1]["if-modified-since"] == "Tue, 01 Jul 2025 08:00:00 GMT"


def test_injected_client_is_used_and_left_open(server, no_sleep):
    server.add("/page", "with my client")
    with httpx.Client(trust_env=False) as client:
        assert (
            fetch(server.url("/page"), client=client, policy=FAST, sleep=no_sleep).content
            == b"with my client"
        )
        assert not client.is_closed


def test_state_file_round_trip_and_atomic_write(tmp_path):
    path = tmp_path / "nested" / "wire.http.json"
    state = HttpState.load(path)
    assert state.urls == {}
    state.set("http://127.0.0.1/a", Validators('"e"', None))
    state.set("http://127.0.0.1/b", Validators(None, None))  # nothing to remember
    state.save()
    assert json.loads(path.read_text())["urls"] == {
        "http://127.0.0.1/a": {"etag": '"e"', "last_modified": None}
    }
    assert [p.name for p in path.parent.iterdir()] == ["wire.http.json"]  # no temporary file left behind
    assert HttpState.load(path).get("http://127.0.0.1/a") == Validators('"e"', None)


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"urls": {"u": 3}}'])
def test_corrupt_state_file_reads_as_empty(tmp_path, content):
    path = tmp_path / "s.json"
    path.write_text(content)
    assert HttpState.load(path).urls == {}
