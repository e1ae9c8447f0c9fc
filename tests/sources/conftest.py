"""Fixtures for the source reader tests: a local HTTP server on 127.0.0.1 and a recording no-op sleep."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Route:
    """What the local server answers on one path, and what it saw."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 when If-None-Match carries it
    last_modified: str | None = None  # answer 304 when If-Modified-Since carries it
    fail_first: int = 0  # answer fail_status this many times before answering normally
    fail_status: int = 503
    block: bool = False  # hold the request until the test ends (the client must time out)
    send_length: bool = True
    hits: int = 0
    seen_headers: list[dict[str, str]] = field(default_factory=list)


class LocalServer:
    """A threaded HTTP server on 127.0.0.1, port 0, answering from a table of routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route.hits += 1
                route.seen_headers.append({k.lower(): v for k, v in self.headers.items()})
                if route.block:
                    server.release.wait(timeout=30)
                    return
                if route.hits <= route.fail_first:
                    self.send_response(route.fail_status)
                    for key, value in route.headers.items():
                        if key.lower() == "retry-after":
                            self.send_header(key, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if (
                    route.etag
                    and self.headers.get("If-None-Match") == route.etag
                    or (route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified)
                ):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading (size cap): expected

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll interval only makes shutdown() return sooner; requests are served as they come.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kwargs: object) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kwargs)  # type: ignore[arg-type]
        self.routes[path] = route
        return route


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """Yield a running LocalServer; it is shut down (and blocked handlers released) after the test."""
    local = LocalServer()
    local.thread.start()
    try:
        yield local
    finally:
        local.release.set()
        local.httpd.shutdown()
        local.httpd.server_close()
        local.thread.join(timeout=10)


@pytest.fixture
def closed_port_url() -> str:
    """Return an http URL on 127.0.0.1 whose port was just freed, so nothing listens there."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


@pytest.fixture
def sleeps() -> list[float]:
    """A list the no-op sleep records its delays in."""
    return []


@pytest.fixture
def no_sleep(sleeps: list[float]):
    """A sleep that returns at once and records the delay asked for."""
    return sleeps.append
