"""Which questions come next: a skipped one comes back, the summary proposes by results."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Static

from assistant.interview.flow import InterviewSettings, Mode
from assistant.screens.interview import InterviewScreen
from assistant.screens.summary import SummaryScreen
from assistant.store import SessionStore
from tests.ui.conftest import AppFactory
from tests.ui.test_interview_pilot import interview_screen, transcript_text, type_and_submit


async def test_a_skipped_question_comes_back_later_in_the_session(
    make_test_app: AppFactory, store: SessionStore
) -> None:
    app = make_test_app(InterviewSettings(count=2, seed=4, mode=Mode.MOCK))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await interview_screen(app, pilot)
        first, second = (q.id for q in screen.interview.questions)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.interview.step.question.id == second
        assert "Skipped: it comes back at the end." in transcript_text(app)
        await type_and_submit(app, pilot, "an answer about pipelines and monitoring")
        assert isinstance(app.screen, InterviewScreen)
        assert screen.interview.step.question.id == first
        assert screen.interview.step.number == 2  # still 2 questions, asked in a new order
        await type_and_submit(app, pilot, "an answer about deployment")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#summary-body", Static).content)
        body = console.export_text()
        # The question skipped then answered is proposed by its last score, not "never asked".
        assert "Practise next" in body and "last score" in body

    detail = store.get_session(store.list_sessions()[0].id)
    assert detail is not None
    turns = [(t.question_id, t.skipped) for t in detail.turns]
    assert turns == [(first, True), (second, False), (first, False)]
