"""`mock-interview serve`: textual-serve's web server, one app process per browser tab, behind
the access check of `auth`, with one grading service for every tab.

textual-serve is used as it is, through a small subclass: its aiohttp app gets our middleware
(so a refused request never reaches the handler that starts an app process), and its index page
points the websocket at the address the browser used rather than at the bound one (a server
bound to 0.0.0.0 is reached by some other name).
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from assistant.serve.auth import TOKEN_QUERY, access_middleware, is_loopback
from assistant.settings import ENV_DB, DatabaseUrl, Settings

SERVICE_START_SECONDS = 60.0
"""How long `serve` waits for the grading service to bind its socket (before the model loads)."""

Grading = Literal["shared", "per-tab"]


@dataclass(frozen=True)
class ServeOptions:
    """What `mock-interview serve` was asked for."""

    host: str = "127.0.0.1"
    """The address to bind; anything but loopback needs a token."""
    port: int = 8000
    token: str | None = None
    """The access token; None serves without one (loopback only)."""
    public_url: str | None = None
    """The URL browsers use, when a reverse proxy stands in front (e.g. https://coach.example)."""
    grading: Grading = "shared"
    """"shared": one grading service for all tabs; "per-tab": each tab loads its own model."""
    kb: tuple[str, ...] = ()
    """--kb directories given to `serve`, handed on to each tab."""


def page_url(options: ServeOptions) -> str:
    """The URL to open (with the token in it when one is required)."""
    if options.public_url:
        base = options.public_url.rstrip("/")
    else:
        host = options.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()  # reachable by that name, not by the wildcard
        elif ":" in host:
            host = f"[{host}]"
        base = f"http://{host}:{options.port}"
    return f"{base}/?{TOKEN_QUERY}={options.token}" if options.token else f"{base}/"


def app_command(
    settings: Settings, options: ServeOptions, grading_socket: Path | None
) -> list[str]:
    """The command textual-serve runs for each tab: this app, served, on the same files."""
    command = [sys.executable, "-m", "assistant", "--served"]
    # A server database's URL holds its password: the tabs inherit it through the environment
    # (see `serve`), never on a command line that `ps` shows.
    if isinstance(settings.db, Path):
        command += ["--db", str(settings.db)]
    command += ["--model", settings.model, "--verifier", settings.verifier]
    for directory in options.kb:
        command += ["--kb", directory]
    if grading_socket is not None:
        command += ["--grading-socket", str(grading_socket)]
    return command


class CoachServer(Server):
    """textual-serve's Server with an access check and an index page that follows the browser."""

    def __init__(self, command: Sequence[str], options: ServeOptions) -> None:
        # textual-serve runs the command through a shell: every part is quoted.
        super().__init__(
            shlex.join(command),
            host=options.host,
            port=options.port,
            title="Mock interview coach",
            public_url=options.public_url,
        )
        self.options = options

    def serve_on(self, listening: socket.socket) -> None:
        """Serve on a socket already bound and listening, until Ctrl+C or SIGTERM.

        textual-serve's own `serve` binds after its start-up signal, when ours has already said
        where to connect; binding first also reports a port in use before anything starts.
        """
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, self.request_exit)
        web.run_app(
            self._make_app(),
            sock=listening,
            handle_signals=False,
            loop=loop,
            print=lambda *_: None,
            access_log=None,  # it would print every URL, token included
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(access_middleware(self.options.token))
        # textual-serve's page loads its font from a font CDN: a request that fails offline and
        # tells a third party who practises. Its own static folder ships the same font.
        environment = aiohttp_jinja2.get_env(app)
        environment.loader = OwnOriginLoader(environment.loader)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Print where to open the coach (the socket listens already: see `serve_on`)."""
        print(f"Serving the mock-interview coach on {page_url(self.options)}", flush=True)
        if self.options.token and not self.options.public_url:
            print("Anyone with this URL can use the coach; it is not encrypted (no TLS).")
        print("Press Ctrl+C to stop.", flush=True)

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: its websocket and static files on the address the browser used."""
        base = self.options.public_url or f"{request.scheme}://{request.host}"
        base = base.rstrip("/")
        websocket = ("wss" if base.startswith("https:") else "ws") + base[base.index(":") :]
        return {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }


_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.IGNORECASE)
_OWN_FONT = (
    "<style>@font-face { font-family: 'Roboto Mono'; "
    "src: url('{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf'); }</style>"
)


class OwnOriginLoader(jinja2.BaseLoader):
    """textual-serve's templates, with every reference to another origin replaced by the same
    file from the server's own static folder (the font), so the page asks nothing of any other
    host; a template that still names another origin is refused rather than served."""

    def __init__(self, inner: jinja2.BaseLoader | None) -> None:
        assert inner is not None
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        source = _FONT_LINK.sub(_OWN_FONT, source)
        if re.search(r"""(?:href|src)\s*=\s*["']https?://""", source):
            raise jinja2.TemplateError(f"{template} loads from another origin")
        return source, filename, uptodate


@contextmanager
def grading_service(settings: Settings) -> Iterator[Path]:
    """Start the grading service; yields its socket once bound; stops it on the way out."""
    with tempfile.TemporaryDirectory(prefix="mock-interview-grading-") as private:
        # mkdtemp makes the directory 0700: other users of the machine cannot reach the socket.
        socket_path = Path(private) / "grading.sock"
        command = [
            sys.executable,
            "-m",
            "assistant.serve.grading_service",
            "--socket",
            str(socket_path),
            "--model",
            settings.model,
            "--verifier",
            settings.verifier,
            "--parent-pid",
            str(os.getpid()),
        ]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + SERVICE_START_SECONDS
            while not socket_path.exists():
                if process.poll() is not None:
                    raise RuntimeError(f"the grading service ended at start ({process.returncode})")
                if time.monotonic() > deadline:
                    raise RuntimeError("the grading service did not start")
                time.sleep(0.05)
            yield socket_path
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` and listening; OSError when it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=128)


def serve(settings: Settings, options: ServeOptions) -> None:
    """Serve the coach until Ctrl+C (or SIGTERM)."""
    if options.token is None and not is_loopback(options.host):
        raise ValueError("serving beyond this machine needs an access token")
    if isinstance(settings.db, DatabaseUrl):
        os.environ[ENV_DB] = settings.db.url  # the tabs' database, kept off their command line
    with listen(options.host, options.port) as listening:
        if options.grading == "per-tab":
            CoachServer(app_command(settings, options, None), options).serve_on(listening)
            return
        with grading_service(settings) as socket_path:
            command = app_command(settings, options, socket_path)
            CoachServer(command, options).serve_on(listening)
