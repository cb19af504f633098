"""A loopback server that serves the mirror and injects faults, path by path, for the tests.

``FaultServer`` is the mirror server (``belitong_crawler.mirror_server``: links rewritten to its own
origin) plus faults a test sets per URL path: a redirect, an error status (with ``Retry-After``), a
gzip bomb, a huge page, a response cut short. A path can take a sequence of faults, one per request
(``Status(503), Redirect(...)``: 503 first, then a redirect on the retry); the last one repeats, and
``SERVE`` in a sequence serves the mirror's page. Every request is recorded in order, with its headers
and the time it arrived.

``FaultSite`` is one such server for the crawl plus two traps running the same code, on another
loopback address (127.0.0.2) and on another port of 127.0.0.1: a crawl that keeps to its origin
sends them nothing.
"""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer, _MirrorHandler

MIB = 1024 * 1024
GIB = 1024 * MIB


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


class Fault:
    """What the server answers instead of the mirror's page."""

    def send(self, handler: _FaultHandler) -> None:
        raise NotImplementedError


class Serve(Fault):
    """The mirror's own page (in a sequence: 'then answer normally')."""

    def send(self, handler: _FaultHandler) -> None:
        _MirrorHandler.do_GET(handler)  # records the path in ``requests`` itself


SERVE = Serve()


@dataclass(frozen=True)
class Redirect(Fault):
    location: str  # absolute URL
    status: int = 301

    def send(self, handler: _FaultHandler) -> None:
        handler.send_response(self.status)
        handler.send_header("Location", self.location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


@dataclass(frozen=True)
class Status(Fault):
    status: int
    retry_after: str | None = None
    body: bytes = b"<html><body><h1>Service Unavailable</h1></body></html>"

    def send(self, handler: _FaultHandler) -> None:
        handler.send_response(self.status)
        if self.retry_after is not None:
            handler.send_header("Retry-After", self.retry_after)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(self.body)))
        handler.end_headers()
        handler.wfile.write(self.body)


@dataclass(frozen=True)
class GzipBomb(Fault):
    """A small gzip body (``Content-Encoding: gzip``) that inflates to a huge one; see ``make_gzip_bomb``."""

    file: Path

    def send(self, handler: _FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(self.file.stat().st_size))
        handler.end_headers()
        with self.file.open("rb") as stream:
            while chunk := stream.read(MIB):
                handler.wfile.write(chunk)


@dataclass(frozen=True)
class BigPage(Fault):
    """A page of ``size`` bytes, streamed; without ``Content-Length`` unless ``declared`` (the client
    learns the size only by reading)."""

    size: int = 20 * MIB
    declared: bool = False

    def send(self, handler: _FaultHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if self.declared:
            handler.send_header("Content-Length", str(self.size))
        handler.end_headers()
        head = b"<html><head><title>Besar</title></head><body><p>"
        filler = b"kata " * (MIB // 5)
        handler.wfile.write(head)
        left = self.size - len(head)
        while left > 0:
            handler.wfile.write(filler[:left])
            left -= len(filler)


@dataclass(frozen=True)
class CutShort(Fault):
    """The mirror's page with its full ``Content-Length`` (or none, when not ``declared``: the client
    cannot tell the page is cut), but only ``share`` of its bytes sent before the connection closes."""

    share: float = 0.5
    declared: bool = True

    def send(self, handler: _FaultHandler) -> None:
        file = handler.server.file_for(urlsplit(handler.path).path)
        assert file is not None, f"no mirror page at {handler.path}"
        body = file.read_bytes().replace(handler.server.live_origin, handler.server.origin.encode())
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if self.declared:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: int(len(body) * self.share)])
        handler.wfile.flush()
        handler.close_connection = True


@dataclass(frozen=True)
class Page(Fault):
    """A page made by ``render(path, mirror_html)`` (``mirror_html``: the mirror's page at that path,
    or "" where there is none), written with the live origin like the mirror's pages."""

    render: Callable[[str, str], str]

    def send(self, handler: _FaultHandler) -> None:
        path = urlsplit(handler.path).path
        file = handler.server.file_for(path)
        html = self.render(path, file.read_text("utf-8") if file else "")
        body = html.encode().replace(handler.server.live_origin, handler.server.origin.encode())
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def make_gzip_bomb(path: Path, inflated: int = GIB) -> Path:
    """Write gzip (one member) of ``inflated`` zero bytes to ``path`` (about 1 MB for 1 GiB), in 1 MiB
    chunks, so the bomb is never whole in memory. Deflate's run-length strategy packs zeros as tightly
    as its default one does, in half the time."""
    zeros = bytes(MIB)
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS, 9, zlib.Z_RLE)  # 16 +: a gzip member
    with path.open("wb") as stream:
        for _ in range(inflated // MIB):
            stream.write(packer.compress(zeros))
        stream.write(packer.flush())
    return path


class FaultServer(MirrorServer):
    """The mirror server with faults per path; records every request (``received``). With a
    ``listener`` (a socket listening already) it serves on that socket, and leaves it open when it
    stops, for the next server to take: servers one after another on one origin."""

    def __init__(
        self,
        root: Path = MIRROR_ROOT,
        host: str = "127.0.0.1",
        port: int = 0,
        listener: socket.socket | None = None,
    ) -> None:
        super().__init__(root, host, port)
        if listener is not None:
            self.socket.close()
            self.socket = listener
            self.server_address = listener.getsockname()
            self.server_port = self.server_address[1]
        self._listener = listener
        self.RequestHandlerClass = _FaultHandler
        self.received: list[Received] = []
        self._faults: dict[str, list[Fault]] = {}
        self._prefix_faults: dict[str, Fault] = {}

    def start(self) -> FaultServer:
        # stop() returns within 0.05 s (serve_forever looks for it that often; 0.5 s by default)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def server_close(self) -> None:
        if self._listener is None:
            super().server_close()

    def settings(self) -> tuple[object, ...] | None:
        """What the server answers, beside its files, as a value: None when it holds a fault that a
        request uses up or that answers by code (``fault``, ``fault_under``)."""
        with self._lock:
            if self._faults or self._prefix_faults:
                return None
            return (
                self.origin,
                self.down,
                self.delay,
                tuple(sorted(self.failing)),
                tuple(sorted(self.redirects.items())),
                self.canonical_redirects,
            )

    def fault(self, path: str, *faults: Fault) -> None:
        """Answer requests for ``path`` with ``faults``, one per request; the last one repeats."""
        with self._lock:
            self._faults[path] = list(faults)

    def fault_under(self, prefix: str, fault: Fault) -> None:
        """Answer every path under ``prefix`` (that has no fault of its own) with ``fault``."""
        with self._lock:
            self._prefix_faults[prefix] = fault

    def next_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self._faults.get(path)
            if not queue:
                return next((f for prefix, f in self._prefix_faults.items() if path.startswith(prefix)), None)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.received.append(Received(path, headers, time.monotonic()))

    def paths(self) -> list[str]:
        return [r.path for r in self.received]

    def times(self, path: str) -> list[float]:
        """When each request for ``path`` (without its query) arrived."""
        return [r.at for r in self.received if urlsplit(r.path).path == path]


class _FaultHandler(_MirrorHandler):
    server: FaultServer

    def do_GET(self) -> None:  # noqa: N802 (http.server names it)
        self.server.record(self.path, dict(self.headers.items()))
        fault = self.server.next_fault(urlsplit(self.path).path)
        try:
            if fault is None:
                fault = SERVE
            elif not isinstance(fault, Serve):
                with self.server._lock:
                    self.server.requests.append(self.path)
            fault.send(self)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading: its right
            self.close_connection = True


@dataclass
class FaultSite:
    """The crawl's server and two traps that must receive nothing."""

    main: FaultServer = field(default_factory=FaultServer)
    trap_host: FaultServer = field(default_factory=lambda: FaultServer(host="127.0.0.2"))
    trap_port: FaultServer = field(default_factory=FaultServer)
    servers: ClassVar[tuple[str, ...]] = ("main", "trap_host", "trap_port")

    def start(self) -> FaultSite:
        for name in self.servers:
            getattr(self, name).start()
        return self

    def stop(self) -> None:
        for name in self.servers:
            getattr(self, name).stop()

    def url(self, path: str) -> str:
        return self.main.origin + path

    def trapped(self) -> list[str]:
        """Every request the traps received (``origin path``)."""
        return [f"{trap.origin} {r.path}" for trap in (self.trap_host, self.trap_port) for r in trap.received]
