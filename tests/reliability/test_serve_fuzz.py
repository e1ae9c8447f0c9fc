"""`tally serve` under generated hostile paths and requests: only 2xx/3xx for what lies in data/snapshots, 4xx for
everything else, never a 5xx, never a byte of the secret beside the folder.

tests/test_serve.py lists known traversal tricks one by one; here hypothesis combines the pieces (dot segments,
single and double percent-encoding, backslashes, NULs, overlong UTF-8, symlinked and hidden names) freely.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_serve import SECRET, raw_request, request, server, site  # noqa: F401 - fixtures

PIECES = ["..", ".", "%2e%2e", "%2E%2e", "%252e%252e", "%2f", "%2F", "%5c", "\\", "%00", "%c0%ae", "%c0%af", "/",
          "//", "latest", "evil", ".staging-x", ".hidden", "outside.txt", "secret.txt", "manifest.json",
          "figures.parquet", "README.md", "LATEST", "%", "%zz", "?x=1", "#frag", ";", "~", "{new}", "{old}",
          "\u00e9", "%ff", "a" * 300]
segment = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
paths = st.lists(segment, min_size=0, max_size=6).map(lambda parts: "/" + "/".join(parts))
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def outcome_is_safe(status: int, body: bytes, path: str) -> None:
    assert status < 500, (status, path)
    assert SECRET not in body, path


@FUZZ
@given(template=paths, method=st.sampled_from(["GET", "HEAD"]))
def test_generated_paths_never_leave_the_snapshots_folder(server, site, template, method):  # noqa: F811
    path = template.replace("{new}", site["new"]).replace("{old}", site["old"])
    try:
        path.encode("ascii")
    except UnicodeEncodeError:
        return  # http.client sends ASCII only; raw non-ASCII bytes are the next test's
    status, headers, body = request(server, method, path)
    outcome_is_safe(status, body, path)
    if status == 200 and method == "GET" and headers.get("content-type", "").startswith("application/vnd.apache"):
        assert body.startswith(b"PAR1"), path


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(line=st.binary(min_size=0, max_size=200), headers=st.binary(max_size=200))
def test_malformed_request_bytes_get_4xx_never_5xx(server, site, line, headers):  # noqa: F811
    data = b"GET /" + line + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n\r\n"
    try:
        status, response = raw_request(server, data)
    except AssertionError:
        return  # the server closed the connection without answering: nothing served, nothing leaked
    assert status < 500 or status == 505, (status, data[:80])
    assert SECRET not in response and b"Traceback" not in response


def test_the_server_still_answers_after_the_fuzzing(server, site):  # noqa: F811
    assert request(server, "GET", "/")[0] == 200
