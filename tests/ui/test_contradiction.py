"""A contradicting answer in the TUI: its own mark on the feedback card, and the words that said
the opposite underlined in the answer as typed (real model, real verifier, real SQLite)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.content import Content

from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.grade import Coverage
from assistant.grading.pipeline import Grader
from assistant.grading.verify import CrossEncoderVerifier
from assistant.interview.flow import InterviewSettings
from assistant.store import SessionStore
from assistant.widgets.transcript import TranscriptEntry
from tests.ui.conftest import AppFactory
from tests.ui.test_interview_pilot import interview_screen, type_and_submit

WRONG = (
    "I package the model in a Docker container and expose it through an endpoint. "
    "Nobody monitors the model's performance once it is deployed."
)
"""A negation the verifier reads (it misses others: bench/grading_quality.py measures how many)."""


async def test_a_contradicted_key_point_is_marked_and_its_span_underlined(
    make_test_app: AppFactory,
    store: SessionStore,
    backend: SentenceTransformerBackend,
    verifier: CrossEncoderVerifier,
) -> None:
    app = make_test_app(
        InterviewSettings(count=1, categories=("cloud",), seed=2),
        grader_loader=lambda: Grader(backend, EmbeddingCache(None), verifier=verifier),
    )
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await interview_screen(app, pilot)
        assert screen.interview.step.question.id == "cloud-model-deployment"
        await type_and_submit(app, pilot, WRONG)
        await app.workers.wait_for_complete()
        await pilot.pause()
        [session] = store.list_sessions()
        detail = store.get_session(session.id)
        assert detail is not None and detail.turns[0].grade is not None
        grade = detail.turns[0].grade
        [monitoring] = [k for k in grade.key_points if k.id == "cloud-monitoring"]
        assert monitoring.status is Coverage.CONTRADICTED
        assert monitoring.span is not None
        assert WRONG[slice(*monitoring.span)] == monitoring.evidence
        assert monitoring.evidence == "Nobody monitors the model's performance once it is deployed."

        entries = list(screen.query(TranscriptEntry))
        answer = next(e for e in entries if e.has_class("candidate"))
        shown = answer.render()
        assert isinstance(shown, Text | Content) and shown.plain == WRONG
        underlined = [
            shown.plain[span.start : span.end]
            for span in shown.spans
            if "underline" in str(span.style) and "magenta" in str(span.style)
        ]
        assert underlined == [monitoring.evidence]
        card = next(e for e in entries if e.has_class("feedback"))
        body = card.content
        assert isinstance(body, Group)
        lines = [part.plain for part in body.renderables if isinstance(part, Text)]
        assert any(
            line.startswith("≠ Contradicted: you seem to say the opposite:") for line in lines
        )
