"""A small web site on 127.0.0.1 for the stream tests: feeds and article pages written for them,
answers that misbehave on purpose, and a record of every request (path, User-Agent, the fake
clock's time). Nothing here reaches past the loopback address."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from warmonitor.streams.fetch import Clock


class FakeClock:
    """Time that passes only when slept; every sleep is recorded."""

    def __init__(self, start: float = 1000.0, epoch: float = 1_741_000_000.0) -> None:
        self.now = start
        self._offset = epoch - start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.now + self._offset

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds

    def clock(self) -> Clock:
        return Clock(monotonic=self.monotonic, wall=self.wall, sleep=self.sleep)


Route = Callable[["Handler", int], None]  # (handler, how many times this path was asked, this one included)


@dataclass
class Request:
    path: str
    user_agent: str | None
    at: float  # the fake clock's time, when the site has one
    headers: dict[str, str]


@dataclass
class Site:
    """Routes by path; hit counts and requests as they came."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    requests: list[Request] = field(default_factory=list)
    clock: FakeClock | None = None
    release: threading.Event = field(default_factory=threading.Event)  # lets hanging answers go at teardown
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def page(self, path: str, body: str | bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def answer(handler: Handler, _hit: int) -> None:
            handler.answer(status, data, {"Content-Type": content_type, **(headers or {})})

        self.routes[path] = answer


class Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        with self.server.lock:
            site.hits[self.path] += 1
            hit = site.hits[self.path]
            site.requests.append(Request(self.path, self.headers.get("User-Agent"), site.clock.now if site.clock else 0.0,
                                         {name.lower(): value for name, value in self.headers.items()}))
        route = site.routes.get(self.path)
        if route is None:
            self.answer(404, b"<html><body>Not found</body></html>", {"Content-Type": "text/html"})
        else:
            route(self, hit)

    def answer(self, status: int, body: bytes, headers: dict[str, str], length: bool = True) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, site: Site) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.site = site
        self.lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (a timeout test) leaves a broken pipe behind: expected


def serve(site: Site) -> Iterator[Site]:
    server = _Server(site)
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()


# --- answers that misbehave ------------------------------------------------------------------------------

def busy_then(body: str, status: int = 429, retry_after: str | None = "7", busy_times: int = 1) -> Route:
    """``status`` (with Retry-After) for the first ``busy_times`` asks, then the page."""

    def answer(handler: Handler, hit: int) -> None:
        if hit <= busy_times:
            headers = {"Content-Type": "text/plain"}
            if retry_after is not None:
                headers["Retry-After"] = retry_after
            handler.answer(status, b"busy, come back later", headers)
        else:
            handler.answer(200, body.encode(), {"Content-Type": "text/html; charset=utf-8"})

    return answer


def hanging(seconds: float = 3.0) -> Route:
    """Says nothing for ``seconds`` (or until the site closes), then a page."""

    def answer(handler: Handler, _hit: int) -> None:
        handler.server.site.release.wait(seconds)
        handler.answer(200, b"<html><body><p>Too late.</p></body></html>", {"Content-Type": "text/html"})

    return answer


def endless(size: int) -> Route:
    """A page of ``size`` bytes with no Content-Length: the reader finds out as it reads."""

    def answer(handler: Handler, _hit: int) -> None:
        handler.answer(200, b"<html><body><p>" + b"word " * (size // 5) + b"</p></body></html>",
                       {"Content-Type": "text/html"}, length=False)

    return answer


def with_etag(body: str, etag: str, content_type: str = "application/rss+xml") -> Route:
    """The body, or 304 when the client already holds ``etag``."""

    def answer(handler: Handler, _hit: int) -> None:
        if handler.headers.get("If-None-Match") == etag:
            handler.answer(304, b"", {"ETag": etag}, length=False)
        else:
            handler.answer(200, body.encode(), {"Content-Type": content_type, "ETag": etag,
                                                "Last-Modified": formatdate(1_741_000_000, usegmt=True)})

    return answer
