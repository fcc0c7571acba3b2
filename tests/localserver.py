"""A real HTTP server on 127.0.0.1 for fetching and webhook tests: routes are set per test."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # For large bodies: (chunk, count) streamed without a Content-Length.
    stream: tuple[bytes, int] | None = None


@dataclass
class Received:
    """A request as the server got it (webhook receivers check headers and body)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up early (the size cap, timeouts) are what the tests provoke, not errors.
        return


class LocalServer:
    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, Route | Callable[[], Route]] = {}
        self.hits: list[str] = []
        self.received: list[Received] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                server.received.append(Received("POST", self.path, dict(self.headers.items()), body))
                self.do_GET()

            def do_GET(self) -> None:
                server.hits.append(self.path)
                entry = server.routes.get(self.path, Route(status=404, body=b"not here"))
                route = entry() if callable(entry) else entry
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                try:
                    if route.stream is not None:
                        chunk, count = route.stream
                        self.send_header("Connection", "close")
                        self.end_headers()
                        for _ in range(count):
                            self.wfile.write(chunk)
                    else:
                        self.send_header("Content-Length", str(len(route.body)))
                        self.end_headers()
                        self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    return

        self.httpd = QuietServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> LocalServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
