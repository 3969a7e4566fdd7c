"""SVG snapshots of the main screens; clocks frozen, fake grader, fresh database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot

from assistant.app import InterviewApp, make_app
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import LoadReport
from assistant.settings import Settings
from assistant.store import SessionStore
from assistant.widgets.answer_editor import AnswerEditor
from tests.fakes import KeywordGrader
from tests.ui.conftest import FrozenClock

FIXED_NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

SnapCompare = Callable[..., bool]


def frozen_app(
    settings: Settings,
    bank_report: LoadReport,
    store: SessionStore,
    interview: InterviewSettings | None = None,
) -> InterviewApp:
    return make_app(
        settings,
        bank_report,
        store,
        grader_loader=KeywordGrader,
        interview=interview,
        clock=FrozenClock(),
        now=lambda: FIXED_NOW,
    )


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for editor in pilot.app.screen.query(AnswerEditor):
        editor.cursor_blink = False
    await pilot.pause()


def test_start_screen(
    snap_compare: SnapCompare, settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """At 80x24: title, subject, difficulty, number of questions, language, mode, the six
    categories of the article and the Start and Review buttons, all visible."""
    app = frozen_app(settings, bank_report, store)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_interview_with_feedback(
    snap_compare: SnapCompare, settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """After one answer in practice mode: the candidate's answer, the score and verdict, each
    key point marked covered or missed, the offer to disagree (Ctrl+G), then the interviewer's
    follow-up or next question, 'Question n of 3' with the category, and the footer's keys."""
    app = frozen_app(settings, bank_report, store, InterviewSettings(count=3, seed=11))

    async def answer_once(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = pilot.app.screen
        question = screen.interview.step.question  # type: ignore[attr-defined]
        screen.query_one(AnswerEditor).text = question.key_points[0].en
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 32), run_before=answer_once)


def test_summary_screen(
    snap_compare: SnapCompare, settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """At 80x24, in French: overall score, the score per category, the strongest and weakest
    answers, what to practise next with due dates, and the action buttons."""
    app = frozen_app(
        settings, bank_report, store, InterviewSettings(count=2, seed=2, lang="fr", mode=Mode.MOCK)
    )

    async def answer_all(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for _ in range(2):
            screen = pilot.app.screen
            question = screen.interview.step.question  # type: ignore[attr-defined]
            text = " ".join(kp.fr for kp in question.key_points[:2])
            screen.query_one(AnswerEditor).text = text
            await pilot.press("ctrl+s")
            await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer_all)
