"""A grader that grades through the serve process's grading service, for a browser tab.

It is a `Grader` to the app and its screens: `grade`, `grade_question` and `grade_many` answer
the same, but the models stay in the one grading service (see `grading_service`), so a tab
process holds no model. Only the cheap, model-free steps (the answer's language) run here.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant.grading.grade import Grade
from assistant.grading.parameters import DEFAULT_PARAMETERS
from assistant.grading.pipeline import Grader
from assistant.grading.target import GradingTarget
from assistant.serve.grading_service import target_to_wire

GRADE_TIMEOUT_SECONDS = 300.0
"""How long one batch may take: other tabs' batches go first, one at a time."""
LOAD_TIMEOUT_SECONDS = 600.0
"""How long a tab waits for the service to finish loading the model (a cold disk is slow)."""
LOAD_POLL_SECONDS = 0.25
"""How often a tab asks whether the model is loaded yet."""


class GradingServiceError(RuntimeError):
    """The grading service cannot grade: not running, failed to load, or a bad reply."""


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over a unix socket."""

    def __init__(self, socket_path: Path, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(str(self.socket_path))
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _gone(socket_path: Path, exc: BaseException) -> GradingServiceError:
    return GradingServiceError(
        f"The grading service ({socket_path}) is not answering ({exc}). Your answer is saved "
        "and will be graded when it is back: ask whoever runs `mock-interview serve` to "
        "restart it."
    )


def _call(
    socket_path: Path, method: str, path: str, body: dict[str, Any] | None, timeout: float
) -> tuple[int, dict[str, Any]]:
    """One request; the service's status and JSON body. Raises GradingServiceError."""
    connection = _UnixConnection(socket_path, timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        reply = json.loads(response.read())
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _gone(socket_path, exc) from exc
    finally:
        connection.close()
    if not isinstance(reply, dict):
        raise GradingServiceError(
            f"The grading service sent a reply that is not an object: {reply!r}"
        )
    return response.status, reply


class RemoteGrader(Grader):
    """Grades through the grading service at `socket_path`.

    `Grader.__init__` is not called on purpose: it builds the aligner around a loaded model,
    and the point of this class is that the tab process loads none.
    """

    def __init__(
        self, socket_path: Path, bank_version: str, *, model_id: str, verifier_id: str
    ) -> None:
        self.socket_path = socket_path
        self.bank_version = bank_version
        self.params = DEFAULT_PARAMETERS
        self.verifier = None
        self.verifier_problem = None
        self._model_id = model_id
        self._verifier_id = verifier_id

    @property
    def model_id(self) -> str:
        """The service's embedding model."""
        return self._model_id

    @property
    def verifier_id(self) -> str:
        """The service's verifier ("" without one)."""
        return self._verifier_id

    def warm_up(self, targets: Iterable[GradingTarget]) -> int:
        """Nothing to warm here: the service's cache is shared by every tab."""
        return 0

    def grade_many(self, items: Sequence[tuple[GradingTarget, str]]) -> list[Grade]:
        """Grade a batch in the service; raises GradingServiceError if it cannot."""
        request = {
            "items": [{"target": target_to_wire(t), "answer": a} for t, a in items],
            "bank_version": self.bank_version,
        }
        status, reply = _call(self.socket_path, "POST", "/grade", request, GRADE_TIMEOUT_SECONDS)
        if status != 200:
            reason = reply.get("reason") or reply.get("state") or f"status {status}"
            raise GradingServiceError(f"The grading service could not grade: {reason}")
        return [Grade.from_dict(g) for g in reply["grades"]]


def connect_grader(
    socket_path: Path, bank_version: str, *, timeout: float = LOAD_TIMEOUT_SECONDS
) -> RemoteGrader:
    """A RemoteGrader once the service has its model loaded (waits while it loads).

    Raises GradingServiceError at once when no service answers, or when its model failed to
    load; after `timeout` seconds of loading, too.
    """
    deadline = time.monotonic() + timeout
    while True:
        status, reply = _call(socket_path, "GET", "/health", None, timeout=10.0)
        if status == 200:
            return RemoteGrader(
                socket_path,
                bank_version,
                model_id=str(reply["model_id"]),
                verifier_id=str(reply.get("verifier_id", "")),
            )
        if reply.get("state") != "loading":
            raise GradingServiceError(
                f"The grading model could not be loaded by the server: {reply.get('reason')}"
            )
        if time.monotonic() > deadline:
            raise GradingServiceError(f"The grading model was still loading after {timeout:.0f} s")
        time.sleep(LOAD_POLL_SECONDS)
