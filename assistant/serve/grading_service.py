"""One grading model for every browser tab: a small HTTP service on a unix socket.

textual-serve runs one app process per tab; each would load its own sentence-transformers model
and verifier (hundreds of MB each). `mock-interview serve` starts this service once, as a child
process, and the tabs grade through it (`assistant.serve.remote_grader.RemoteGrader`).

The socket is bound before the model loads, so a tab can tell "still loading" (503) from "not
running" (no socket). Requests are served on threads; one lock keeps the model to one batch at a
time. The socket lives in a directory only its user can enter. The service ends when the
`serve` process that started it is gone.

    GET  /health  200 {"state": "ready", "model_id", "verifier_id"} | 503 loading | 500 failed
    POST /grade   {"items": [{"target": {...}, "answer": str}], "bank_version": str}
                  -> 200 {"grades": [Grade.to_dict(), ...]}
"""

from __future__ import annotations

import argparse
import json
import os
import socketserver
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.grading.target import GradingTarget

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader

PARENT_CHECK_SECONDS = 2.0
"""How often the service checks that the `serve` process that started it is still there."""


def target_to_wire(target: GradingTarget) -> dict[str, Any]:
    """A grading target as JSON-ready data."""
    return {
        "question": target.question,
        "reference": target.reference,
        "key_points": [list(point) for point in target.key_points],
        "lang": target.lang,
    }


def target_from_wire(data: dict[str, Any]) -> GradingTarget:
    """Inverse of `target_to_wire`; a malformed request raises KeyError, TypeError, ValueError."""
    return GradingTarget(
        question=str(data["question"]),
        reference=str(data["reference"]),
        key_points=[(str(i), str(text)) for i, text in data["key_points"]],
        lang=str(data["lang"]),
    )


class GradingService:
    """The loaded grader behind a lock, and the state of its load."""

    def __init__(self, load: Callable[[], Grader]) -> None:
        self._load = load
        """Loads the grader (slow: run by `load`, in a thread)."""
        self._grader: Grader | None = None
        self._problem: str | None = None
        self._lock = threading.Lock()
        """One batch through the model at a time (torch uses every core for one already)."""

    def load(self) -> None:
        """Load the models (slow); a failure is kept and told to every tab that asks."""
        try:
            self._grader = self._load()
        except Exception as exc:  # any failure: the tabs say why, and answers stay ungraded
            self._problem = str(exc) or type(exc).__name__

    def health(self) -> tuple[int, dict[str, Any]]:
        """The status code and body of GET /health."""
        if self._grader is not None:
            grader = self._grader
            return 200, {
                "state": "ready",
                "model_id": grader.model_id,
                "verifier_id": grader.verifier_id,
            }
        if self._problem is not None:
            return 500, {"state": "failed", "reason": self._problem}
        return 503, {"state": "loading"}

    def grade(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The status code and body of POST /grade."""
        if self._grader is None:
            return self.health()
        try:
            items = [(target_from_wire(i["target"]), str(i["answer"])) for i in request["items"]]
            bank_version = str(request.get("bank_version", ""))
        except (KeyError, TypeError, ValueError) as exc:
            return 400, {"state": "ready", "reason": f"malformed request: {exc!r}"}
        with self._lock:
            grades = self._grader.grade_many(items)
        # The tab's bank names the version: the grades carry it, as a local grader's would.
        return 200, {"grades": [replace(g, bank_version=bank_version).to_dict() for g in grades]}


class _Handler(BaseHTTPRequestHandler):
    server: GradingServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """Health: ready, loading or failed."""
        if self.path != "/health":
            self._reply(404, {"reason": f"no such path: {self.path}"})
            return
        self._reply(*self.server.service.health())

    def do_POST(self) -> None:
        """Grade a batch of answers."""
        if self.path != "/grade":
            self._reply(404, {"reason": f"no such path: {self.path}"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            request = json.loads(self.rfile.read(length))
        except ValueError as exc:
            self._reply(400, {"reason": f"not JSON: {exc}"})
            return
        self._reply(*self.server.service.grade(request))

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def address_string(self) -> str:
        return "unix-socket"  # a unix socket has no client address

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the serve process's terminal shows the tabs, not every grade."""


class GradingServer(socketserver.ThreadingUnixStreamServer):
    """The service's socket: one thread per request."""

    daemon_threads = True

    def __init__(self, socket_path: Path, service: GradingService) -> None:
        super().__init__(str(socket_path), _Handler)
        self.socket_path = socket_path
        self.service = service

    def serve_until_shutdown(self) -> None:
        """Answer requests until `shutdown()`; the socket file goes with the service."""
        try:
            self.serve_forever()
        finally:
            self.server_close()
            self.socket_path.unlink(missing_ok=True)


def serve_grading(socket_path: Path, load: Callable[[], Grader], *, parent_pid: int | None) -> None:
    """Bind `socket_path`, load the model, answer until the parent process is gone."""
    server = GradingServer(socket_path, GradingService(load))
    threading.Thread(target=server.service.load, name="model-load", daemon=True).start()
    if parent_pid is not None:
        threading.Thread(
            target=_stop_when_orphaned, args=(server, parent_pid), name="parent", daemon=True
        ).start()
    server.serve_until_shutdown()


def _stop_when_orphaned(server: GradingServer, parent_pid: int) -> None:
    """Stop serving once the `serve` process is gone (killed without a chance to stop us)."""
    stopped = threading.Event()
    while not stopped.wait(PARENT_CHECK_SECONDS):
        if os.getppid() != parent_pid:
            server.shutdown()
            return


def main(argv: list[str] | None = None) -> None:
    """`python -m assistant.serve.grading_service --socket PATH [--model M] [--verifier V]`."""
    from assistant.grading.pipeline import load_grader
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--socket", type=Path, required=True)
    parser.add_argument("--model")
    parser.add_argument("--verifier")
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args(argv)
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    os.environ["TRANSFORMERS_VERBOSITY"] = "error"
    settings = Settings.from_env(model=args.model, verifier=args.verifier)
    serve_grading(args.socket, partial(load_grader, settings, ""), parent_pid=args.parent_pid)


if __name__ == "__main__":
    main()
