"""Serve data/snapshots read-only over HTTP: an index page, per-version listings, and the files with Range support.

Only complete versions (folders with a manifest.json, as `list_versions` sees them) are reachable; every path
segment must be a plain name, and every file is resolved and checked to lie inside the snapshots folder, so
`../`, encoded slashes, dotfiles such as `.staging-*` and symlinks leading out all get 404.
"""

from __future__ import annotations

import html
import json
import os
import re
import socketserver
import sys
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from assets.snapshots import LATEST, MANIFEST, list_versions

CONTENT_TYPES = {
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
}
# A plain file or folder name: no dotfiles, no separators, no percent signs left after decoding once.
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
CHUNK = 1 << 16


class NotFound(Exception):
    """The request names nothing this server will serve."""


class BadRange(Exception):
    """The Range header is malformed or cannot be satisfied for this file."""


@dataclass(frozen=True)
class FileInfo:
    """A servable file of a version, with what the manifest says about it (None where it says nothing)."""

    name: str
    path: Path
    size: int
    rows: int | None
    sha256: str | None


# --- paths ---------------------------------------------------------------------------------------------------


def split_path(raw: str) -> tuple[list[str], bool]:
    """Return the decoded segments of a raw request path and whether it ended with '/'; raise NotFound if unsafe.

    Segments are split before decoding, so an encoded '/' (%2F) stays inside one segment and is refused.
    """
    path = raw.split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/"):
        raise NotFound(raw)
    parts = path[1:].split("/")
    trailing = parts[-1] == ""
    if trailing:
        parts = parts[:-1]
    names = []
    for part in parts:
        try:
            name = unquote(part, errors="strict")
        except UnicodeDecodeError as exc:
            raise NotFound(raw) from exc
        if not SAFE_NAME.fullmatch(name):
            raise NotFound(raw)
        names.append(name)
    return names, trailing


def contained(path: Path, root: Path) -> Path:
    """Return `path` resolved (symlinks followed); raise NotFound unless it lies inside `root` (already resolved)."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a symlink loop
        raise NotFound(str(path)) from exc
    if not resolved.is_relative_to(root):
        raise NotFound(str(path))
    return resolved


def served_versions(root: Path) -> list[str]:
    """Return the complete versions with plain names whose folder resolves inside `root`, newest first."""
    versions = []
    for version in list_versions(root):
        if not SAFE_NAME.fullmatch(version):
            continue
        try:
            contained(root / version, root)
        except NotFound:
            continue
        versions.append(version)
    return sorted(versions, reverse=True)


def latest(root: Path) -> str | None:
    """Return the version LATEST names if it is a served version, else None."""
    try:
        name = (root / LATEST).read_text().strip()
    except OSError:
        return None
    return name if SAFE_NAME.fullmatch(name) and name in served_versions(root) else None


def load_manifest(root: Path, version: str) -> dict:
    """Return the version's manifest, or {} when it is unreadable (the files are still served)."""
    try:
        return json.loads((root / version / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def version_files(root: Path, version: str) -> list[FileInfo]:
    """Return the servable files of a version, sorted by name, with rows and sha256 from its manifest."""
    by_file = {e.get("file"): e for e in load_manifest(root, version).get("tables", {}).values()
               if isinstance(e, dict)}
    files = []
    for entry in sorted((root / version).iterdir()):
        if not SAFE_NAME.fullmatch(entry.name):
            continue
        try:
            resolved = contained(entry, root)
        except NotFound:
            continue
        if resolved.is_file():
            known = by_file.get(entry.name, {})
            files.append(FileInfo(entry.name, resolved, resolved.stat().st_size, known.get("rows"),
                                  known.get("sha256")))
    return files


def find_file(root: Path, version: str, name: str) -> FileInfo:
    """Return the named file of a served version; raise NotFound otherwise."""
    if version not in served_versions(root):
        raise NotFound(name)
    for info in version_files(root, version):
        if info.name == name:
            return info
    raise NotFound(name)


# --- ranges and pages ----------------------------------------------------------------------------------------


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """Return the inclusive (first, last) byte range asked for, or None to send the whole file; raise BadRange.

    A unit other than bytes, or several ranges, is ignored (RFC 9110 lets a server send the whole file instead).
    """
    if header is None:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes":
        return None
    if "," in spec:
        return None
    match = re.fullmatch(r"\s*(\d*)-(\d*)\s*", spec)
    if not match or match.group(1) == match.group(2) == "":
        raise BadRange(header)
    first, last = match.group(1), match.group(2)
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise BadRange(header)
        return max(0, size - suffix), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or (last != "" and int(last) < start):
        raise BadRange(header)
    return start, end


def human_size(size: int) -> str:
    """Return a byte count as a short human-readable string."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"


def version_section(root: Path, version: str, current: str | None) -> str:
    """Return the HTML section listing one version's files with sizes, rows, sha256 and links."""
    href = "/" + quote(version) + "/"
    mark = ' <strong class="latest">LATEST</strong>' if version == current else ""
    rows = []
    for info in version_files(root, version):
        link = href + quote(info.name)
        rows.append(
            f'<tr><td><a href="{html.escape(link)}">{html.escape(info.name)}</a></td>'
            f'<td title="{info.size} bytes">{human_size(info.size)}</td>'
            f'<td>{"" if info.rows is None else info.rows}</td>'
            f'<td><code>{html.escape(info.sha256 or "")}</code></td></tr>'
        )
    return (
        f'<section id="{html.escape(version)}"><h2><a href="{html.escape(href)}">{html.escape(version)}</a>{mark}</h2>'
        "<table><tr><th>file</th><th>size</th><th>rows</th><th>sha256</th></tr>"
        + "".join(rows) + "</table></section>"
    )


def page(title: str, body: str) -> bytes:
    """Return a complete HTML page as UTF-8 bytes."""
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .8em;text-align:left}"
        "code{font-size:.85em}.latest{color:#070}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>\n"
    ).encode()


def index_page(root: Path) -> bytes:
    """Return the index: every served version, newest first, LATEST marked."""
    versions = served_versions(root)
    current = latest(root)
    if not versions:
        return page("Tally snapshots", "<p>No snapshot has been published yet.</p>")
    intro = '<p><a href="/latest/">/latest/</a> always leads to the version LATEST names.</p>' if current else ""
    return page("Tally snapshots", intro + "".join(version_section(root, v, current) for v in versions))


def version_page(root: Path, version: str) -> bytes:
    """Return the listing page of one version."""
    return page(f"Tally snapshot {version}",
                '<p><a href="/">all versions</a></p>' + version_section(root, version, latest(root)))


# --- the server ----------------------------------------------------------------------------------------------


class SnapshotHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD for the snapshots folder of its server; every other method gets 405."""

    server: SnapshotServer
    server_version = "TallySnapshots/1"
    protocol_version = "HTTP/1.1"  # keep-alive: Parquet readers issue many small ranged GETs
    timeout = 30  # a client that stops sending does not hold a thread forever

    def __getattr__(self, name: str):
        """Return a 405 responder for any do_<METHOD> not defined here (the base class would answer 501)."""
        if name.startswith("do_"):
            return self.method_not_allowed
        raise AttributeError(name)

    def method_not_allowed(self) -> None:
        """Answer 405 with the allowed methods."""
        self.send_plain(HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": "GET, HEAD"})

    def do_GET(self) -> None:
        """Answer a GET."""
        self.respond(body=True)

    def do_HEAD(self) -> None:
        """Answer a HEAD: the GET's status and headers without the body."""
        self.respond(body=False)

    def respond(self, body: bool) -> None:
        """Route the request to the index, a redirect, a listing or a file; unsafe or unknown paths get 404."""
        root = self.server.root
        try:
            names, trailing = split_path(self.path)
            if not names:
                self.send_bytes(index_page(root), "text/html; charset=utf-8", body)
            elif names[0] == "latest" and len(names) <= 2:
                self.redirect_latest(names[1:], trailing)
            elif len(names) == 1:
                if names[0] not in served_versions(root):
                    raise NotFound(self.path)
                if not trailing:  # the listing's relative links need the trailing slash
                    self.send_plain(HTTPStatus.MOVED_PERMANENTLY, {"Location": f"/{quote(names[0])}/"})
                else:
                    self.send_bytes(version_page(root, names[0]), "text/html; charset=utf-8", body)
            elif len(names) == 2 and not trailing:
                self.send_file(find_file(root, names[0], names[1]), body)
            else:
                raise NotFound(self.path)
        except NotFound:
            self.send_plain(HTTPStatus.NOT_FOUND)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # never a traceback to the client; one log line for us
            self.log_message("internal error %s: %s", type(exc).__name__, exc)
            self.close_connection = True
            if not self.headers_sent():
                self.send_plain(HTTPStatus.INTERNAL_SERVER_ERROR)

    def redirect_latest(self, rest: list[str], trailing: bool) -> None:
        """Answer 302 from /latest/ (or /latest/<file>) to the version LATEST names; 404 when there is none."""
        current = latest(self.server.root)
        if current is None or (rest and trailing):
            raise NotFound(self.path)
        target = f"/{quote(current)}/" + (quote(rest[0]) if rest else "")
        self.send_plain(HTTPStatus.FOUND, {"Location": target, "Cache-Control": "no-cache"})

    def send_file(self, info: FileInfo, body: bool) -> None:
        """Send a file (or the asked-for byte range of it) with type, length, ETag and Last-Modified."""
        with open(info.path, "rb") as handle:
            stat = os.fstat(handle.fileno())  # the opened file, even if the path changes meanwhile
            size = stat.st_size
            etag = f'"{info.sha256}"' if info.sha256 else f'"{size:x}-{stat.st_mtime_ns:x}"'
            headers = {
                "Content-Type": CONTENT_TYPES.get(info.path.suffix, "application/octet-stream"),
                "ETag": etag,
                "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
                "Accept-Ranges": "bytes",
            }
            if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
                self.send_plain(HTTPStatus.NOT_MODIFIED, headers)
                return
            try:
                span = parse_range(self.headers.get("Range"), size)
            except BadRange:
                self.send_plain(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, {"Content-Range": f"bytes */{size}"})
                return
            first, last = span or (0, size - 1)
            length = last - first + 1 if size else 0
            if span:
                headers["Content-Range"] = f"bytes {first}-{last}/{size}"
            self.start(HTTPStatus.PARTIAL_CONTENT if span else HTTPStatus.OK, length, headers)
            if body:
                handle.seek(first)
                copy_bytes(handle, self.wfile, length)

    def send_bytes(self, data: bytes, content_type: str, body: bool) -> None:
        """Send a generated page."""
        self.start(HTTPStatus.OK, len(data), {"Content-Type": content_type, "Cache-Control": "no-cache"})
        if body:
            self.wfile.write(data)

    def send_plain(self, status: HTTPStatus, headers: dict[str, str] | None = None) -> None:
        """Send a status with a one-line text body (none for HEAD and 304)."""
        data = b"" if status == HTTPStatus.NOT_MODIFIED else f"{status.value} {status.phrase}\n".encode()
        self.start(status, len(data), {"Content-Type": "text/plain; charset=utf-8", **(headers or {})})
        if self.command != "HEAD":
            self.wfile.write(data)

    def start(self, status: HTTPStatus, length: int, headers: dict[str, str]) -> None:
        """Send the status line and headers; the length is remembered for the log line."""
        self._length = length
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def headers_sent(self) -> bool:
        """Return whether a status line has already gone out for this request."""
        return getattr(self, "_length", None) is not None

    def parse_request(self) -> bool:
        """Return whether the request line and headers parsed; HTTP/0.9 and header lines without a colon are refused.

        The stdlib parser silently drops every header after a line without a colon; refusing is less surprising.
        """
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9" or self.headers.defects:
            self.send_error(HTTPStatus.BAD_REQUEST)
            return False
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer the base class's parse errors (bad request line, oversized headers) with a short plain body."""
        self.close_connection = True
        if self.request_version in ("", "HTTP/0.9"):  # else the base class would omit the status line
            self.request_version = "HTTP/1.0"
        self.send_plain(HTTPStatus(code), {"Connection": "close"})

    def handle_one_request(self) -> None:
        """Handle one request, forgetting the previous one's logged length first (connections are kept alive)."""
        self._length = None
        super().handle_one_request()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log one compact line per request: client, method, path, status, body bytes."""
        method = getattr(self, "command", None) or "-"
        path = (getattr(self, "path", None) or "-").encode("unicode_escape").decode("ascii")
        length = "-" if self._length is None else self._length
        status = code.value if isinstance(code, HTTPStatus) else code
        sys.stderr.write(f"{self.client_address[0]} {method} {path} {status} {length}\n")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's signature
        """Log anything other than a request line compactly, with control characters escaped."""
        text = (format % args).encode("unicode_escape").decode("ascii")
        sys.stderr.write(f"{self.client_address[0]} ! {text}\n")

    def log_error(self, format: str, *args) -> None:  # noqa: A002
        """Drop the base class's error notes: the request's own log line already carries the status."""


def copy_bytes(source, sink, length: int) -> None:
    """Copy exactly `length` bytes (or until the file ends) from `source` to `sink`, in chunks."""
    remaining = length
    while remaining > 0:
        chunk = source.read(min(CHUNK, remaining))
        if not chunk:
            break
        sink.write(chunk)
        remaining -= len(chunk)


class SnapshotServer(ThreadingHTTPServer):
    """A threading HTTP server that serves one snapshots folder read-only."""

    daemon_threads = True

    def __init__(self, snapshots_dir: Path, address: tuple[str, int]):
        self.root = Path(snapshots_dir).resolve(strict=True)
        super().__init__(address, SnapshotHandler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's getfqdn(), which may make a DNS query just to name the server."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def make_server(snapshots_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """Return a bound, listening server for `snapshots_dir` (port 0 picks a free one); call serve_forever() on it.

    Raises FileNotFoundError when the folder does not exist.
    """
    return SnapshotServer(Path(snapshots_dir), (host, port))
