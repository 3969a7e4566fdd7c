"""The grading service every browser tab grades through: same grades as a local grader, many
tabs at once, and a clear error when it is gone. Real model, real unix socket."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.pipeline import Grader
from assistant.grading.verify import CrossEncoderVerifier
from assistant.knowledge.loader import load_bank
from assistant.knowledge.models import Question
from assistant.serve.grading_service import GradingServer, GradingService
from assistant.serve.remote_grader import GradingServiceError, connect_grader
from assistant.settings import shipped_bank_dir

ANSWERS = [
    "MLOps applies DevOps practices to machine learning to automate the model lifecycle.",
    "It brings data scientists and operations together so models reach production.",
    "Monitoring models in production and retraining them when data drifts.",
    "I don't know.",
    "MLOps n'est pas utile, les modèles ne changent jamais une fois déployés.",
    "Version data, code and models; automate tests; deploy with CI/CD; watch for drift.",
]


@pytest.fixture(scope="module")
def question() -> Question:
    return load_bank([shipped_bank_dir()]).bank.questions["what-is-mlops"]


@pytest.fixture(scope="module")
def local_grader(backend: SentenceTransformerBackend, verifier: CrossEncoderVerifier) -> Grader:
    """The models of the whole run, as the service holds them."""
    return Grader(backend, bank_version="bank-1", verifier=verifier)


@pytest.fixture
def socket_path() -> Iterator[Path]:
    """A short path (a unix socket's is limited to about 100 bytes)."""
    with tempfile.TemporaryDirectory(prefix="grading-") as folder:
        yield Path(folder) / "grading.sock"


def _running(socket_path: Path, load: Callable[[], Grader]) -> GradingServer:
    server = GradingServer(socket_path, GradingService(load))
    server.service.load()
    threading.Thread(target=server.serve_until_shutdown, daemon=True).start()
    return server


def test_a_tab_gets_the_grade_a_local_grader_gives(
    socket_path: Path, local_grader: Grader, question: Question
) -> None:
    """Same score, key points, evidence and notes; named with the tab's bank version."""
    server = _running(socket_path, lambda: local_grader)
    try:
        remote = connect_grader(socket_path, "bank-1")
        assert remote.model_id == local_grader.model_id
        assert remote.verifier_id == local_grader.verifier_id
        for answer in ANSWERS[:3]:
            assert remote.grade_question(question, answer, "en") == local_grader.grade_question(
                question, answer, "en"
            )
    finally:
        server.shutdown()


def test_many_tabs_grade_at_once(
    socket_path: Path, local_grader: Grader, question: Question
) -> None:
    """Six tabs send at the same moment: each gets its own answer's grade."""
    expected = [local_grader.grade_question(question, a, "en") for a in ANSWERS]
    server = _running(socket_path, lambda: local_grader)
    try:
        tabs = [connect_grader(socket_path, "bank-1") for _ in ANSWERS]
        with ThreadPoolExecutor(len(tabs)) as pool:
            grades = list(
                pool.map(
                    lambda tab, answer: tab.grade_question(question, answer, "en"), tabs, ANSWERS
                )
            )
        assert grades == expected
    finally:
        server.shutdown()


def test_a_tab_says_so_when_the_service_is_gone(
    socket_path: Path, local_grader: Grader, question: Question
) -> None:
    """The service stopped after the tab connected: grading fails with a clear message, and
    a tab that starts then is told at once."""
    server = _running(socket_path, lambda: local_grader)
    remote = connect_grader(socket_path, "bank-1")
    server.shutdown()
    server.server_close()
    socket_path.unlink(missing_ok=True)
    with pytest.raises(GradingServiceError, match=r"not answering.*Your answer is saved"):
        remote.grade_question(question, ANSWERS[0], "en")
    with pytest.raises(GradingServiceError, match="not answering"):
        connect_grader(socket_path, "bank-1")


def test_a_failed_model_load_is_told_to_the_tab(socket_path: Path) -> None:
    def broken() -> Grader:
        raise RuntimeError("no model at /nowhere")

    server = _running(socket_path, broken)
    try:
        with pytest.raises(GradingServiceError, match=r"could not be loaded.*no model at /nowhere"):
            connect_grader(socket_path, "bank-1")
    finally:
        server.shutdown()


def test_a_tab_waits_while_the_model_loads(socket_path: Path, local_grader: Grader) -> None:
    """503 while loading: the tab keeps asking (here with no time left, so it says so)."""
    server = GradingServer(socket_path, GradingService(lambda: local_grader))
    threading.Thread(target=server.serve_until_shutdown, daemon=True).start()
    try:
        assert server.service.health() == (503, {"state": "loading"})
        with pytest.raises(GradingServiceError, match="still loading"):
            connect_grader(socket_path, "bank-1", timeout=0)
        server.service.load()
        assert connect_grader(socket_path, "bank-1").model_id == local_grader.model_id
    finally:
        server.shutdown()
