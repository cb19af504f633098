"""A real HTTP server for an offline copy of the site, on loopback.

Pages are stored with the live origin (``https://belitongekspres.com``) in their links, as the
site writes them; the server rewrites that origin to its own address while serving, so a crawl of
the mirror never leaves 127.0.0.1. Used by the tests and by the offline demo.

Layout of a mirror folder: URL path ``/a/b`` is served from ``a/b/index.html`` (``/`` from
``index.html``); other files (``robots.txt``) by their own path. The query string is ignored.
Article pages are also found by their id, as the CMS does: any URL form of an article
(``/read/<id>/<any slug>``, ``/<any category>/read/<id>/...``, ``/amp/<id>/...``, ``.../<n>`` for
page n) is answered from the one stored page of that id.

Two mirrors are bundled: the older template generation of belitongekspres.com (``site``), and the
current network layout on another Disway paper (``current/site``, origin ``https://jogja.disway.id``).
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MIRRORS = Path(__file__).resolve().parent / "mirror"
LIVE_ORIGIN = "https://belitongekspres.com"
MIRROR_ROOT = MIRRORS / "site"
CURRENT_LIVE_ORIGIN = "https://jogja.disway.id"
CURRENT_MIRROR_ROOT = MIRRORS / "current" / "site"
# How the CMS routes an article, by its id alone: [/<anything>]/read|amp/<id>[/<slug>][/<page>]
# (written here on its own, not borrowed from the crawler's URL grammar that the mirror tests).
ARTICLE_ROUTE = re.compile(r"^/(?:[^/]+/)?(?:read|amp)/(?P<id>\d+)(?:/[^/]+?)?(?:/(?P<page>\d+))?/?$")


class MirrorServer(ThreadingHTTPServer):
    """Serves one mirror folder and records every request path, in order."""

    daemon_threads = True

    def __init__(
        self,
        root: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        live_origin: str = LIVE_ORIGIN,
        canonical_redirects: bool = False,
    ) -> None:
        super().__init__((host, port), _MirrorHandler)
        self.root = Path(root)
        self.live_origin = live_origin.encode()
        # article id -> the folder of its stored first page
        self.articles = {
            int(p.parent.parent.name): p.parent
            for p in self.root.glob("**/read/*/*/index.html")
            if p.parent.parent.name.isdigit()
        }
        self.requests: list[str] = []
        self.down = False  # when True every request gets 503, as a site that is down
        self.delay = 0.0  # seconds to wait before each answer, as a slow site
        self.failing: set[str] = set()  # path prefixes answered with 500, as a page with a bad minute
        self.redirects: dict[str, str] = {}  # path -> path it is moved to (301)
        # when True, any other URL form of an article is moved (301) to its stored, canonical one
        self.canonical_redirects = canonical_redirects
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> MirrorServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def file_for(self, path: str) -> Path | None:
        relative = path.strip("/")
        candidates = [self.root / relative] if relative else []
        candidates.append(self.root / relative / "index.html")
        root = self.root.resolve()
        canonical = self.canonical_path(path)
        if canonical is not None:  # any URL form of a stored article
            candidates.append(self.root / canonical.strip("/") / "index.html")
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(root):
                return resolved
        return None

    def canonical_path(self, path: str) -> str | None:
        """The stored path of the article page any URL form points to, or None."""
        route = ARTICLE_ROUTE.match(re.sub("/+", "/", path))
        if route is None or int(route["id"]) not in self.articles:
            return None
        folder = "/" + str(self.articles[int(route["id"])].relative_to(self.root))
        return folder + (f"/{route['page']}" if route["page"] and route["page"] != "1" else "")


class _MirrorHandler(BaseHTTPRequestHandler):
    server: MirrorServer

    def do_GET(self) -> None:
        path = self.path.split("?")[0].split("#")[0]
        with self.server._lock:
            self.server.requests.append(self.path)
        if self.server.delay:
            time.sleep(self.server.delay)
        if self.server.down:
            self._send(503, b"<html><body>Service Unavailable</body></html>", "text/html")
            return
        moved = self.server.redirects.get(path)
        if moved is None and self.server.canonical_redirects:
            canonical = self.server.canonical_path(path)
            moved = canonical if canonical not in (None, path) else None
        if moved is not None:
            self.send_response(301)
            self.send_header("Location", self.server.origin + moved)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if any(path.startswith(prefix) for prefix in self.server.failing):
            self._send(500, b"<html><body>Internal Server Error</body></html>", "text/html")
            return
        file = self.server.file_for(path)
        if file is None:
            self._send(404, b"<html><body><h1>404 Halaman tidak ditemukan</h1></body></html>", "text/html")
            return
        body = file.read_bytes().replace(self.server.live_origin, self.server.origin.encode())
        kind = "text/plain" if file.suffix == ".txt" else "text/html; charset=utf-8"
        self._send(200, body, kind)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: requests are recorded
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the offline site mirror on loopback.")
    parser.add_argument(
        "--current",
        action="store_true",
        help=f"serve the current-layout mirror ({CURRENT_LIVE_ORIGIN}), not the older one",
    )
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    root, origin = (CURRENT_MIRROR_ROOT, CURRENT_LIVE_ORIGIN) if args.current else (MIRROR_ROOT, LIVE_ORIGIN)
    server = MirrorServer(root, port=args.port, live_origin=origin)
    args.root = root
    print(f"Serving {args.root} at {server.origin}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
