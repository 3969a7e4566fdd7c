"""A whole interview through the real model and a real SQLite file, driven from the start screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.app import make_app
from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.pipeline import Grader
from assistant.knowledge.loader import LoadReport
from assistant.screens.interview import InterviewScreen
from assistant.screens.start import StartScreen
from assistant.screens.summary import SummaryScreen
from assistant.settings import Settings
from assistant.store import SessionStore, open_store
from assistant.widgets.answer_editor import AnswerEditor
from tests.ui.conftest import FrozenClock


async def test_whole_interview_with_the_real_grader(
    tmp_path: Path, bank_report: LoadReport, backend: SentenceTransformerBackend
) -> None:
    """Start, a hint, a weak answer, the follow-up it earns, a good answer, a skip, the summary."""
    settings = Settings.from_env(db=tmp_path / "e2e.db")
    store: SessionStore = open_store(settings.db)

    def real_grader() -> Grader:
        return Grader(backend, EmbeddingCache(tmp_path / "cache"), bank_report.bank.version)

    app = make_app(settings, bank_report, store, grader_loader=real_grader, clock=FrozenClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        start = app.screen
        assert isinstance(start, StartScreen)
        start.choice = replace(start.choice, seed=3)
        start.query_one("#count").value = "3"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.grader is not None

        async def answer(text: str) -> None:
            screen.query_one(AnswerEditor).text = text
            await pilot.press("ctrl+s")
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()

        # Question 1: a hint, then only its first key point: a weak answer with gaps.
        first = screen.interview.step.question
        await pilot.press("ctrl+t")
        await answer(first.key_points[0].en)
        follow_up = screen.interview.step.follow_up
        assert follow_up is not None, "a weak answer to a question with follow-ups earns one"
        # The follow-up, answered with the very point it probes.
        await answer(first.key_point(follow_up.key_point).en)
        # Question 2: the reference answer itself.
        second = screen.interview.step.question
        assert second.id != first.id
        await answer(second.answer.en)
        # Question 3: skipped; the interview ends on the summary.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)

    store.close()
    reopened = open_store(settings.db)
    (session,) = reopened.list_sessions()
    assert session.status.value == "completed"
    assert session.model_id == "all-MiniLM-L6-v2"
    detail = reopened.get_session(session.id)
    assert detail is not None
    weak, follow, strong, skipped = detail.turns
    assert weak.question_id == first.id and weak.hints_used == 1
    assert follow.follow_up_of == weak.id and follow.question_id == first.id
    assert strong.question_id == second.id
    assert skipped.skipped and skipped.grade is None
    assert weak.grade is not None and follow.grade is not None and strong.grade is not None
    assert weak.grade.model_id == "all-MiniLM-L6-v2"
    assert weak.grade.score < 70 <= strong.grade.score
    assert follow.grade.score >= 70
    assert any(n.code.value == "hints-used" for n in weak.grade.notes)
    # The learning state now knows these questions.
    assert {first.id, second.id} <= set(reopened.learning_states())
    reopened.close()
