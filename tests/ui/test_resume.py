"""Resuming an interview left mid-way, on a real SQLite file: the offer says what it resumes,
and the session goes on as it was (mode, language, clock, skips, grades still owed)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from assistant.app import InterviewApp, make_app
from assistant.interview.choices import save_last_choices
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import LoadReport
from assistant.screens.interview import InterviewScreen
from assistant.screens.start import StartScreen
from assistant.settings import Settings
from assistant.store import SessionStore
from assistant.widgets.answer_editor import AnswerEditor
from tests.fakes import KeywordGrader
from tests.ui.conftest import FrozenClock


class WallClock:
    """Wall-clock time that moves only when told."""

    def __init__(self) -> None:
        self.at = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def build(
    settings: Settings,
    bank_report: LoadReport,
    store: SessionStore,
    loader: Callable[[], Any],
    *,
    interview: InterviewSettings | None = None,
    now: WallClock | None = None,
) -> InterviewApp:
    return make_app(
        settings,
        bank_report,
        store,
        grader_loader=loader,
        interview=interview,
        clock=FrozenClock(),
        now=now or WallClock(),
    )


def no_model() -> KeywordGrader:
    raise RuntimeError("the model is not there")


async def send(pilot: Pilot[None], text: str) -> None:
    pilot.app.screen.query_one(AnswerEditor).text = text
    await pilot.press("ctrl+s")
    await pilot.pause()


async def leave_mid_interview(
    settings: Settings, bank_report: LoadReport, store: SessionStore, skip_first: bool = False
) -> list[str]:
    """A French mock interview of 3: (a skip, then) one answer, saved ungraded (no model),
    95 s spent on it; the app then quits. Returns the planned question ids."""
    now = WallClock()
    mock_fr = InterviewSettings(count=3, seed=8, mode=Mode.MOCK, lang="fr")
    app = build(settings, bank_report, store, no_model, interview=mock_fr, now=now)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        plan = [q.id for q in screen.interview.questions]
        if skip_first:
            await pilot.press("ctrl+n")
            await pilot.pause()
        now.at += timedelta(seconds=95)
        await send(pilot, "Drift is when the data the model sees in production changes.")
    # The next start shows the start screen in English, practice mode.
    save_last_choices(
        settings.config_dir, InterviewSettings(lang="en", mode=Mode.PRACTICE), settings.candidate
    )
    return plan


async def test_the_offer_says_mode_language_date_and_progress(
    settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    await leave_mid_interview(settings, bank_report, store)
    app = build(settings, bank_report, store, KeywordGrader)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        offer = str(app.screen.query_one("#resume-text", Static).render())
        (session,) = store.list_sessions()
        date = session.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
        assert offer == f"Resume the mock interview in French from {date}: 1 of 3 answered."


async def test_resuming_before_the_model_is_ready_grades_the_earlier_answer_first(
    settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """The answer the quit left ungraded is graded once the model loads, and the summary at
    the end counts every answer graded; mode, language and the elapsed time go on."""
    await leave_mid_interview(settings, bank_report, store)
    model_may_load = threading.Event()

    def slow_model() -> KeywordGrader:
        model_may_load.wait(timeout=30)
        return KeywordGrader()

    app = build(settings, bank_report, store, slow_model)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # Resume has the focus
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.interview.settings.mode is Mode.MOCK
        assert screen.lang == "fr"
        progress = str(screen.query_one("#progress", Static).render())
        assert "Question 2 sur 3" in progress
        assert "écoulé 1:35" in progress  # the 95 s of the first run are counted
        model_may_load.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        (session,) = store.list_sessions()
        first = store.get_session(session.id)
        assert first is not None
        assert first.turns[0].grade is not None
        await send(pilot, "Monitoring compares input distributions over time.")
        await send(pilot, "Retrain the model when the drift is too large.")
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = store.get_session(session.id)
        assert detail is not None
        assert [t.grade is not None for t in detail.turns] == [True, True, True]
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#summary-body", Static).content)
        body = console.export_text()
        assert "3 réponse(s) notée(s) sur 3" in body


async def test_a_question_skipped_before_the_quit_still_comes_back_at_the_end(
    settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    plan = await leave_mid_interview(settings, bank_report, store, skip_first=True)
    app = build(settings, bank_report, store, KeywordGrader)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        # Skipped plan[0], answered plan[1]: plan[2] now, then plan[0] once more.
        assert [q.id for q in screen.interview.questions[screen.interview.index :]] == [
            plan[2],
            plan[0],
        ]


async def test_a_session_open_in_another_window_is_said_not_offered_until_it_closes(
    settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """Issue 21.3: window B was offered "Resume... 1 of 2 answered" while window A had the
    session open; both answered Q2 and the session got two turns numbered 2."""
    from assistant.store import open_store

    mock = InterviewSettings(count=2, seed=8, mode=Mode.MOCK, lang="en")
    window_a = build(settings, bank_report, store, KeywordGrader, interview=mock)
    other_store = open_store(settings.db)
    try:
        async with window_a.run_test(size=(100, 32)) as pilot_a:
            await window_a.workers.wait_for_complete()
            await pilot_a.pause()
            await send(pilot_a, "Drift is when the data the model sees in production changes.")
            window_b = build(settings, bank_report, other_store, KeywordGrader)
            async with window_b.run_test(size=(100, 32)) as pilot_b:
                await window_b.workers.wait_for_complete()
                await pilot_b.pause()
                start = window_b.screen
                assert isinstance(start, StartScreen)
                offer = str(start.query_one("#resume-text", Static).render())
                assert "is open in another window" in offer and "1 of 2 answered" in offer
                assert not start.query("#resume") and not start.query("#discard")
                await pilot_b.press("ctrl+r")  # the resume key does nothing here
                await pilot_b.pause()
                assert window_b.screen is start
                # Starting afresh in B leaves A's session alone (it was abandoned before).
                await pilot_b.press("ctrl+s")
                await window_b.workers.wait_for_complete()
                await pilot_b.pause()
                assert isinstance(window_b.screen, InterviewScreen)
            in_a = [s for s in store.list_sessions() if s.status.value == "in-progress"]
            assert [s.turn_count for s in in_a] == [1]
        # A has quit: its session is released and offered, resumable, at once.
        window_c = build(settings, bank_report, other_store, KeywordGrader)
        async with window_c.run_test(size=(100, 32)) as pilot_c:
            await window_c.workers.wait_for_complete()
            await pilot_c.pause()
            start = window_c.screen
            assert isinstance(start, StartScreen)
            offer = str(start.query_one("#resume-text", Static).render())
            assert offer.startswith("Resume the mock interview in English")
            await pilot_c.press("enter")
            await pilot_c.pause()
            assert isinstance(window_c.screen, InterviewScreen)
            assert window_c.screen.session_id == in_a[0].id
    finally:
        other_store.close()


async def test_a_resumed_interview_shows_what_was_answered_and_its_reference(
    settings: Settings, bank_report: LoadReport, store: SessionStore
) -> None:
    """Issue 21.10: after a resume the transcript no longer showed Q1, and Ctrl+R said "No
    answer yet" though Q1 was answered."""
    from assistant.widgets.transcript import TranscriptEntry

    practice = InterviewSettings(count=3, seed=8, mode=Mode.PRACTICE, lang="en")
    first = build(settings, bank_report, store, KeywordGrader, interview=practice)
    answer = "Drift is when the live data moves away from the training data."
    async with first.run_test(size=(100, 32)) as pilot:
        await first.workers.wait_for_complete()
        await pilot.pause()
        screen = first.screen
        assert isinstance(screen, InterviewScreen)
        question = screen.interview.step.question
        await send(pilot, answer)
        await first.workers.wait_for_complete()
        await pilot.pause()
    again = build(settings, bank_report, store, KeywordGrader)
    async with again.run_test(size=(100, 32)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")  # Resume has the focus
        await pilot.pause()
        resumed = again.screen
        assert isinstance(resumed, InterviewScreen)
        entries = list(resumed.query(TranscriptEntry))
        said = [str(e.render()) for e in entries]
        assert question.question.en in said and answer in said
        assert any(e.has_class("feedback") for e in entries)  # practice: its feedback too
        await pilot.press("ctrl+r")
        await pilot.pause()
        said = [str(e.render()) for e in resumed.query(TranscriptEntry)]
        assert f"Reference answer to: {question.question.en}" in said
        assert not any(s.startswith("No answer yet") for s in said)
