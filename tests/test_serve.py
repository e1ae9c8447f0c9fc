"""`tally serve`: the snapshots folder over HTTP, read-only, with Range support and nothing reachable outside it."""

import hashlib
import http.client
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from email.utils import parsedate_to_datetime

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from assets.snapshots import publish_snapshot, read_manifest
from pipelines.cli import build_parser, main
from pipelines.serve import make_server, parse_range
from tests.child_signals import default_signals
from tests.conftest import ROOT

SECRET = b"outside-the-snapshots-folder"
FIGURE_ROWS = 20_000  # enough that figures.parquet is larger than pyarrow's 64 KiB footer read


def card(version: str) -> str:
    return f"card {version}\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two published versions plus the traps: a secret beside the folder, a symlink out, a staging folder."""
    base = tmp_path_factory.mktemp("serve")
    db = base / "tally.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE articles AS SELECT 'a' AS article_id, 'x' AS text")
        con.execute("CREATE TABLE article_rejects AS SELECT 'r' AS reject_id WHERE false")
        # md5 strings barely compress, so the file really is large enough to need several ranged reads
        con.execute(f"CREATE TABLE figures AS SELECT md5(i::VARCHAR) AS figure_id, i AS value "
                    f"FROM range({FIGURE_ROWS - 1}) t(i)")
        con.execute("CREATE TABLE figure_rejects AS SELECT 'f' AS figure_id, 'c' AS \"check\", 'v' AS \"column\"")
        con.execute("CREATE TABLE claims AS SELECT 'c' AS claim_id, 'f' AS figure_ids")
    snaps = base / "snapshots"
    old = publish_snapshot(db, snaps, "1.0", card).version
    with duckdb.connect(str(db)) as con:
        con.execute("INSERT INTO figures VALUES ('zzz', -1)")
    new = publish_snapshot(db, snaps, "1.0", card).version
    assert new > old

    (base / "secret.txt").write_bytes(SECRET)
    (snaps / new / "outside.txt").symlink_to(base / "secret.txt")
    (snaps / new / ".hidden").write_bytes(SECRET)
    staging = snaps / ".staging-x"
    staging.mkdir()
    (staging / "articles.parquet").write_bytes(SECRET)
    (staging / "manifest.json").write_text("{}")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "manifest.json").write_text("{}")
    (elsewhere / "secret.txt").write_bytes(SECRET)
    (snaps / "evil").symlink_to(elsewhere, target_is_directory=True)
    return {"base": base, "snaps": snaps, "old": old, "new": new}


@pytest.fixture(scope="module")
def server(site):
    """The server on 127.0.0.1, a free port, serving in a thread; shut down and joined afterwards."""
    srv = make_server(site["snaps"], "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()  # the socket already listens, so requests made now simply wait for the loop
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)
    assert not thread.is_alive()


def request(server, method: str, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """Send `path` exactly as given (http.client does not normalise it); return status, headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def raw_request(server, data: bytes) -> tuple[int, bytes]:
    """Send raw bytes on a socket (for what http.client refuses to send); return the status and whole response."""
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    assert response.startswith(b"HTTP/1."), response[:80]
    return int(response.split(b" ", 2)[1]), response


def test_index_lists_versions_newest_first_with_files_rows_and_checksums(server, site):
    status, headers, body = request(server, "GET", "/")
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert page.index(site["new"]) < page.index(site["old"])
    new_section = page[page.index(f'id="{site["new"]}"'):page.index(f'id="{site["old"]}"')]
    assert "LATEST" in new_section and "LATEST" not in page[page.index(f'id="{site["old"]}"'):]
    for version, figures_rows in ((site["new"], FIGURE_ROWS), (site["old"], FIGURE_ROWS - 1)):
        manifest = read_manifest(site["snaps"], version)
        for entry in manifest["tables"].values():
            assert f'href="/{version}/{entry["file"]}"' in page
            assert entry["sha256"] in page
        assert f"<td>{figures_rows}</td>" in page
    assert 'href="/latest/"' in page


def test_index_hides_staging_dotfiles_and_folders_leading_outside(server):
    page = request(server, "GET", "/")[2].decode()
    assert ".staging" not in page and "evil" not in page
    assert "outside.txt" not in page and ".hidden" not in page


def test_version_listing_and_redirect_to_add_the_slash(server, site):
    status, _, body = request(server, "GET", f"/{site['old']}/")
    assert status == 200 and f'href="/{site["old"]}/figures.parquet"' in body.decode()
    status, headers, _ = request(server, "GET", f"/{site['old']}")
    assert status == 301 and headers["location"] == f"/{site['old']}/"


def test_latest_redirects_to_the_version_latest_names(server, site):
    status, headers, _ = request(server, "GET", "/latest/")
    assert status == 302 and headers["location"] == f"/{site['new']}/"
    status, headers, _ = request(server, "GET", "/latest/figures.parquet")
    assert status == 302 and headers["location"] == f"/{site['new']}/figures.parquet"


@pytest.mark.parametrize("version_key", ["old", "new"])
def test_every_manifest_file_downloads_with_its_sha256(server, site, version_key):
    version = site[version_key]
    manifest = read_manifest(site["snaps"], version)
    for entry in manifest["tables"].values():
        status, headers, body = request(server, "GET", f"/{version}/{entry['file']}")
        assert status == 200
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert int(headers["content-length"]) == entry["bytes"] == len(body)
        assert headers["content-type"] == "application/vnd.apache.parquet"
        assert headers["etag"] == f'"{entry["sha256"]}"'
        assert headers["accept-ranges"] == "bytes"
        assert parsedate_to_datetime(headers["last-modified"]).year >= 2024


def test_downloaded_parquet_reads_with_pyarrow(server, site):
    _, _, body = request(server, "GET", f"/{site['new']}/figures.parquet")
    table = pq.read_table(pa.BufferReader(body))
    assert table.num_rows == FIGURE_ROWS
    assert table.column_names == ["figure_id", "value"]
    assert -1 in table.column("value").to_pylist()


def test_manifest_and_data_card_have_their_content_types(server, site):
    status, headers, body = request(server, "GET", f"/{site['new']}/manifest.json")
    assert status == 200 and headers["content-type"] == "application/json"
    assert json.loads(body)["version"] == site["new"]
    status, headers, body = request(server, "GET", f"/{site['new']}/README.md")
    assert status == 200 and headers["content-type"] == "text/markdown; charset=utf-8"
    assert body == card(site["new"]).encode()


def test_range_requests_return_206_with_content_range(server, site):
    path = f"/{site['new']}/figures.parquet"
    whole = (site["snaps"] / site["new"] / "figures.parquet").read_bytes()
    size = len(whole)
    cases = {
        "bytes=0-3": (0, 3),
        "bytes=100-": (100, size - 1),
        "bytes=-8": (size - 8, size - 1),
        f"bytes=10-{size + 500}": (10, size - 1),  # an end past the file is clamped
        f"bytes=-{size + 500}": (0, size - 1),  # so is a suffix longer than the file
    }
    for spec, (first, last) in cases.items():
        status, headers, body = request(server, "GET", path, {"Range": spec})
        assert status == 206, spec
        assert headers["content-range"] == f"bytes {first}-{last}/{size}", spec
        assert body == whole[first:last + 1], spec
        assert int(headers["content-length"]) == len(body), spec
    assert request(server, "GET", path, {"Range": "bytes=0-3"})[2] == b"PAR1"


@pytest.mark.parametrize("spec", ["bytes={size}-", "bytes={size}-{big}", "bytes=-0", "bytes=9-2", "bytes=abc",
                                  "bytes=-", "bytes=1-2-3"])
def test_unsatisfiable_or_malformed_ranges_get_416(server, site, spec):
    size = (site["snaps"] / site["new"] / "figures.parquet").stat().st_size
    status, headers, _ = request(server, "GET", f"/{site['new']}/figures.parquet",
                                 {"Range": spec.format(size=size, big=size + 10)})
    assert status == 416
    assert headers["content-range"] == f"bytes */{size}"


def test_ranges_it_may_ignore_give_the_whole_file(server, site):
    path = f"/{site['new']}/README.md"
    for spec in ["items=0-3", "bytes=0-1,4-5"]:
        status, _, body = request(server, "GET", path, {"Range": spec})
        assert status == 200 and body == card(site["new"]).encode()


def test_parse_range_edges():
    assert parse_range(None, 10) is None
    assert parse_range("bytes=0-0", 10) == (0, 0)
    assert parse_range("bytes=9-", 10) == (9, 9)
    assert parse_range(" bytes = -3 ", 10) == (7, 9)


def test_head_gives_the_get_headers_without_a_body(server, site):
    path = f"/{site['new']}/figures.parquet"
    _, get_headers, _ = request(server, "GET", path)
    status, headers, body = request(server, "HEAD", path)
    assert status == 200 and body == b""
    for key in ("content-length", "content-type", "etag", "last-modified", "accept-ranges"):
        assert headers[key] == get_headers[key]
    status, headers, body = request(server, "HEAD", path, {"Range": "bytes=4-"})
    assert status == 206 and body == b"" and headers["content-length"] == str(int(get_headers["content-length"]) - 4)


def test_if_none_match_gives_304(server, site):
    path = f"/{site['new']}/figures.parquet"
    etag = request(server, "HEAD", path)[1]["etag"]
    status, headers, body = request(server, "GET", path, {"If-None-Match": etag})
    assert status == 304 and body == b"" and headers["etag"] == etag


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FROB"])
def test_methods_other_than_get_and_head_get_405(server, site, method):
    status, headers, _ = request(server, method, f"/{site['new']}/figures.parquet")
    assert status == 405 and headers["allow"] == "GET, HEAD"
    assert (site["snaps"] / site["new"] / "figures.parquet").exists()


TRAVERSALS = [
    "/../secret.txt",
    "/{new}/../../secret.txt",
    "/{new}/../{old}/figures.parquet",
    "/./{new}/figures.parquet",
    "/%2e%2e/secret.txt",
    "/%2E%2E%2Fsecret.txt",
    "/{new}/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/{new}%2Ffigures.parquet",
    "/%252e%252e/secret.txt",
    "/%252e%252e%252fsecret.txt",
    "/{new}/%252e%252e%252f%252e%252e%252fsecret.txt",
    "/..%5csecret.txt",
    "/{new}/..\\..\\secret.txt",
    "/{new}\\figures.parquet",
    "//{base}/secret.txt",
    "/%2F{base}/secret.txt",
    "/{new}//{base}/secret.txt",
    "/{new}/figures.parquet%00.md",
    "/{new}/%c0%ae%c0%ae/secret.txt",
    "/{new}/outside.txt",
    "/{new}/.hidden",
    "/.staging-x/",
    "/.staging-x/articles.parquet",
    "/%2estaging-x/articles.parquet",
    "/evil/",
    "/evil/secret.txt",
    "/evil/manifest.json",
    "/LATEST",
    "/{new}/figures.parquet/",
    "/{new}/figures.parquet/x",
    "/nonexistent/",
    "/latest/../secret.txt",
    "/latest/.hidden",
    "http://127.0.0.1/{new}/figures.parquet",
    "*",
]


@pytest.mark.parametrize("template", TRAVERSALS)
def test_paths_outside_or_hidden_get_404(server, site, template):
    base = str(site["base"]).lstrip("/")
    path = template.format(new=site["new"], old=site["old"], base=base)
    for method in ("GET", "HEAD"):
        status, _, body = request(server, method, path)
        assert status == 404, (method, path)
        assert SECRET not in body


def test_raw_nul_bytes_and_malformed_request_lines_get_4xx(server, site):
    cases = [
        f"GET /{site['new']}/figures.parquet\x00 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        b"GET /\x00/../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /\r\n\r\n",  # HTTP/0.9: it would get bytes without any headers
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nBroken header line\r\n\r\n",
        b"GET / HTTP/1.1\r\n folded\r\nHost: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 150 + b"\r\n",
    ]
    for data in cases:
        status, response = raw_request(server, data)
        assert 400 <= status < 500 or status == 505, data[:40]
        assert SECRET not in response and b"Traceback" not in response
    assert request(server, "GET", "/")[0] == 200  # and the server still answers


class HttpRangeFile(io.RawIOBase):
    """A read-only, seekable file whose reads are ranged GETs on one kept-alive connection, as remote readers do."""

    def __init__(self, port: int, path: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.path = path
        self.pos = 0
        self.ranges: list[tuple[int, int]] = []
        self.conn.request("HEAD", path)
        resp = self.conn.getresponse()
        resp.read()
        assert resp.status == 200 and resp.getheader("Accept-Ranges") == "bytes"
        self.size = int(resp.getheader("Content-Length"))

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.pos = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence] + offset
        return self.pos

    def read(self, n: int = -1) -> bytes:
        last = self.size - 1 if n is None or n < 0 else min(self.pos + n, self.size) - 1
        if last < self.pos:
            return b""
        self.conn.request("GET", self.path, headers={"Range": f"bytes={self.pos}-{last}"})
        resp = self.conn.getresponse()
        data = resp.read()
        assert resp.status == 206
        assert resp.getheader("Content-Range") == f"bytes {self.pos}-{last}/{self.size}"
        assert len(data) == last - self.pos + 1
        self.ranges.append((self.pos, last))
        self.pos = last + 1
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.conn.close()
        super().close()


def test_pyarrow_reads_a_served_parquet_through_ranged_gets(server, site):
    """What a remote Parquet reader does: footer from the tail, then only the column chunks it needs."""
    path = f"/{site['new']}/figures.parquet"
    remote = HttpRangeFile(server.server_address[1], path)
    try:
        table = pq.read_table(remote, columns=["value"])
    finally:
        remote.close()
    local = pq.read_table(site["snaps"] / site["new"] / "figures.parquet", columns=["value"])
    assert table.equals(local)
    assert len(remote.ranges) >= 2
    assert remote.ranges[0][0] > 0 and remote.ranges[0][1] == remote.size - 1  # the footer, from the tail
    fetched = sum(last - first + 1 for first, last in remote.ranges)
    assert fetched < remote.size  # figure_id's chunk was never fetched


# DuckDB 2.0's httpfs extension is downloaded at run time from DuckDB's own server, which this network does not
# reach; DuckDB 1.5.5 and its httpfs extension are on PyPI. `make test` installs them aside (they would clash with
# the project's DuckDB) so that a real DuckDB reads a served file the way an analyst's would.
DUCKDB_HTTP_CLIENT = ROOT / ".venv" / "duckdb-http-client"
HTTPFS_QUERY = """
import pathlib, sys, duckdb, duckdb_extension_httpfs
ext = next(pathlib.Path(duckdb_extension_httpfs.__file__).parent.rglob("httpfs.duckdb_extension"))
con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
con.execute(f"LOAD '{ext}'")
print(*con.execute(f"SELECT count(*), min(value) FROM read_parquet('{sys.argv[1]}')").fetchone())
"""


def test_duckdb_httpfs_reads_a_served_parquet(server, site):
    if not (DUCKDB_HTTP_CLIENT / "duckdb_extension_httpfs").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{DUCKDB_HTTP_CLIENT} is missing: `make test` installs DuckDB 1.5.5 with httpfs there")
        pytest.skip(f"{DUCKDB_HTTP_CLIENT} not installed (make test installs it)")
    url = f"http://127.0.0.1:{server.server_address[1]}/{site['new']}/figures.parquet"
    proc = subprocess.run(
        [sys.executable, "-c", HTTPFS_QUERY, url], env={**os.environ, "PYTHONPATH": str(DUCKDB_HTTP_CLIENT)},
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(FIGURE_ROWS), "-1"]


def test_cli_parses_serve_with_its_defaults():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.dir) == ("127.0.0.1", 8000, None)
    args = build_parser().parse_args(["serve", "--host", "127.0.0.2", "--port", "0", "--dir", "/x"])
    assert (args.host, args.port, args.dir) == ("127.0.0.2", 0, "/x")


def test_cli_serve_refuses_a_missing_folder(tmp_path, capsys):
    assert main(["serve", "--port", "0", "--dir", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_serve_answers_logs_one_line_per_request_and_stops_on_ctrl_c(site):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "serve", "--port", "0", "--dir", str(site["snaps"])],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
        preexec_fn=default_signals,  # as in a terminal's foreground, where Ctrl-C reaches the server
    )
    try:
        banner = proc.stderr.readline()  # printed once the socket listens
        port = int(banner.rsplit("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/{site['new']}/manifest.json")
        resp = conn.getresponse()
        assert resp.status == 200 and json.loads(resp.read())["version"] == site["new"]
        conn.close()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    size = (site["snaps"] / site["new"] / "manifest.json").stat().st_size
    assert err.splitlines()[0] == f"127.0.0.1 GET /{site['new']}/manifest.json 200 {size}"
    assert "Traceback" not in err
