"""A small stdlib HTTP server for the simulated Colab, on 127.0.0.1 with an ephemeral port.

Routes:
    /notebook, /notebook/<name>   the simulated notebook page (query string parameters: see
                                  watchdog/sim/README.md); <name> only makes URLs distinct
    /elsewhere                    a page that is not a notebook (navigation-away tests)
    /ServiceLogin                 a Google-like sign-in page (where `signed_out=redirect` goes)
    /                             an index of example links, for humans

The page's JavaScript is inlined, so one page load is exactly one request: `requests` lets a
test prove the page (and anything injected into it) made no network call after loading.
"""

from __future__ import annotations

import contextlib
import html
import socket
import sys
import threading
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from types import TracebackType
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from watchdog.core.jstemplate import fill, without_header

DEFAULT_TITLE = "sim_notebook.ipynb - Colab"
# Concatenated, in this order, into one function scope (they share its variables).
PAGE_SCRIPTS = ("sim-state.js", "sim-view.js", "sim-dialogs.js", "sim-page.js")
_ERAS = ("2019", "2021", "2023", "2025")


@cache
def _static(name: str) -> str:
    return (resources.files("watchdog.sim") / "static" / name).read_text(encoding="utf-8")


@cache
def _page_js() -> str:
    parts = "\n".join(_static(name) for name in PAGE_SCRIPTS)
    return fill(without_header(_static("sim-wrapper.js")), PAGE_SCRIPTS=parts)


def render_notebook(query: str) -> str:
    """The notebook page's HTML for a query string (title filled in, scripts inlined)."""
    params = parse_qs(query)
    title = params.get("title", [DEFAULT_TITLE])[0] or DEFAULT_TITLE
    return (
        _static("notebook.html")
        .replace("{{title}}", html.escape(title))
        .replace("{{elements_js}}", _static("sim-elements.js"))
        .replace("{{page_js}}", _page_js())
    )


def render_signed_out(query: str, path: str) -> str:
    """Colab's own signed-out page at the notebook's address: a sign-in link, no runtime."""
    title = parse_qs(query).get("title", [DEFAULT_TITLE])[0] or DEFAULT_TITLE
    target = quote(path + (f"?{query}" if query else ""), safe="")
    return (
        _static("signed-out.html")
        .replace("{{title}}", html.escape(title))
        .replace("{{continue}}", html.escape(target))
    )


def _index(base_url: str) -> str:
    links = []
    for era in _ERAS:
        for extra in ("", "&state=disconnected", "&busy=1", "&lang=es"):
            url = f"{base_url}/notebook?era={era}&idle=30{extra}"
            links.append(f'<li><a href="{html.escape(url)}">{html.escape(url)}</a></li>')
    body = "\n".join(links)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Simulated Colab</title>'
        '<link rel="icon" href="data:,"></head><body><h1>Simulated Colab</h1>'
        f"<ul>{body}</ul></body></html>"
    )


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A connection reset by the browser or closed by stop() is expected: no traceback.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class SimServer:
    """The simulated Colab served from a daemon thread.

    Use as a context manager (or call `start()` / `stop()`). `stop()` then `start()` serves
    again on the same port: a server that goes down and comes back.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self._lock = threading.Lock()
        self._requests: list[str] = []
        self._fail_status: int | None = None
        self._delay = 0.0
        self._delay_event = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()  # open (kept-alive) client sockets

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> SimServer:
        """Bind and serve; the first start picks an ephemeral port, later starts reuse it."""
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.port), _make_handler(self))
        self.port = int(httpd.server_address[1])
        self._httpd = httpd
        self._delay_event.clear()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.name = f"sim-server-{self.port}"
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving: close the listening socket (new connections are refused) and every
        open client connection, kept-alive ones included, so "down" is down for a browser too.
        """
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._delay_event.set()  # release requests held by `delay()`
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)  # its handler thread sees EOF and ends
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None

    pause = stop
    resume = start

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ URLs
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def page_url(self, name: str | None = None, **params: object) -> str:
        """URL of the notebook page; `name` gives a distinct path `/notebook/<name>`.

        Parameters become the query string (`era=2025, idle=5` -> `?era=2025&idle=5`);
        booleans become 1/0, None values are left out, and a trailing underscore is dropped
        from a name (`global_=1` -> `global=1`).
        """
        path = "/notebook" if name is None else f"/notebook/{name}"
        query = {k.rstrip("_"): _query_value(v) for k, v in params.items() if v is not None}
        return f"{self.base_url}{path}" + (f"?{urlencode(query)}" if query else "")

    def url(self, path: str) -> str:
        """Absolute URL of any path on this server (e.g. `/elsewhere`)."""
        return f"{self.base_url}{path}"

    # ------------------------------------------------------------------ request log, faults
    @property
    def requests(self) -> list[str]:
        """A copy of every request path (with query string) served or refused, in order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def fail_with(self, status: int | None) -> None:
        """Answer every request with this HTTP status (e.g. 500); None serves normally again."""
        self._fail_status = status

    def delay(self, seconds: float) -> None:
        """Hold each response this long before answering (0 = answer at once)."""
        self._delay = max(0.0, seconds)

    def reset(self) -> None:
        """Serve normally again: no failure status, no delay, running."""
        self._fail_status = None
        self._delay = 0.0
        self.start()

    # ------------------------------------------------------------------ used by the handler
    def _track(self, conn: socket.socket, *, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    def _record(self, path: str) -> None:
        with self._lock:
            self._requests.append(path)

    def _respond(self, raw_path: str) -> tuple[int, str, str]:
        """(status, content type, body); a 302's body is its Location."""
        if self._delay > 0:
            self._delay_event.wait(self._delay)
        if self._fail_status is not None:
            status = self._fail_status
            return status, "text/plain; charset=utf-8", f"simulated failure {status}\n"
        parts = urlsplit(raw_path)
        path = parts.path.rstrip("/") or "/"
        if path == "/notebook" or (path.startswith("/notebook/") and len(path) > len("/notebook/")):
            return self._notebook(raw_path, path, parts.query)
        if path == "/ServiceLogin":
            return 200, "text/html; charset=utf-8", _static("signin.html")
        if path == "/elsewhere":
            return 200, "text/html; charset=utf-8", _static("elsewhere.html")
        if path == "/":
            return 200, "text/html; charset=utf-8", _index(self.base_url)
        return 404, "text/plain; charset=utf-8", "not found\n"

    @staticmethod
    def _notebook(raw_path: str, path: str, query: str) -> tuple[int, str, str]:
        params = parse_qs(query)
        signed_out = params.get("signed_out", [""])[0]
        elsewhere = params.get("redirect", [""])[0]
        if elsewhere.startswith("/") and not elsewhere.startswith("//"):
            return 302, "text/plain", elsewhere  # a notebook that is never reached
        if signed_out == "redirect":  # as Google does for a signed-out browser
            return 302, "text/plain", "/ServiceLogin?continue=" + quote(raw_path, safe="")
        if signed_out == "page":
            return 200, "text/html; charset=utf-8", render_signed_out(query, path)
        return 200, "text/html; charset=utf-8", render_notebook(query)


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _make_handler(server: SimServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "colab-watchdog-sim"

        def setup(self) -> None:
            super().setup()
            server._track(self.connection, open_=True)

        def finish(self) -> None:
            server._track(self.connection, open_=False)
            with contextlib.suppress(OSError):
                super().finish()

        def do_GET(self) -> None:
            self._serve(head=False)

        def do_HEAD(self) -> None:
            self._serve(head=True)

        def do_POST(self) -> None:
            self._serve(head=False)

        def _serve(self, *, head: bool) -> None:
            server._record(self.path)
            status, ctype, text = server._respond(self.path)
            location = text if status == 302 else None
            body = b"" if location else text.encode("utf-8")
            try:
                self.send_response(status, _reason(status))
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if not head:
                    self.wfile.write(body)
            except OSError:
                pass  # the browser went away, or stop() closed the connection

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the request log is `SimServer.requests`

    return Handler


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Simulated"


__all__ = ["DEFAULT_TITLE", "SimServer", "render_notebook"]
