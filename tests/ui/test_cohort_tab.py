"""The Cohort tab of the review screen, driven by a Pilot on a log of three candidates."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TabPane

from assistant.app import InterviewApp, make_app
from assistant.knowledge.loader import LoadReport
from assistant.screens.cohort import CandidateSessionScreen, CohortView
from assistant.screens.review import ReviewScreen, TurnCard
from assistant.settings import Settings
from assistant.store import SessionStore, open_store
from tests.cohort_log import PLANS, fill_cohort


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so dates on screen are the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db(tmp_path: Path, bank_report: LoadReport) -> Path:
    path = tmp_path / "cohort.db"
    stores = {name: open_store(path, candidate=name) for name in PLANS}
    try:
        fill_cohort(stores, bank_report.bank)
    finally:
        for store in stores.values():
            store.close()
    return path


def review_app(db: Path, bank_report: LoadReport, candidate: str, *, mentor: bool) -> InterviewApp:
    """The app on the review screen, as `mock-interview review --candidate NAME` opens it."""
    settings = Settings.from_env(db=db, candidate=candidate)
    mentors = frozenset({candidate}) if mentor else frozenset()
    store = open_store(db, read_only=True, candidate=candidate, mentors=mentors)
    return make_app(settings, bank_report, store, grader_loader=no_model, review=True)


def no_model() -> Any:
    raise RuntimeError("no grading model in review tests")


async def settled(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def review_screen(app: InterviewApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def as_text(renderable: Any) -> str:
    """What a Rich renderable reads as, on a wide console."""
    console = Console(width=200, no_color=True)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_a_mentor_sees_every_candidate_and_the_questions_failed_most(
    db: Path, bank_report: LoadReport
) -> None:
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await settled(pilot)
        screen = review_screen(app)
        assert screen.query("#cohort-pane")
        await pilot.press("c")
        await settled(pilot)
        assert screen.tabs.active == "cohort-pane"
        view = screen.query_one(CohortView)
        table = rows(view.candidates_table)
        # candidate, sessions, answers, average, trend
        assert [r[:5] for r in table] == [
            ["alice", "8", "24", "58", "+26"],
            ["bob", "6", "18", "59", "-21"],
            ["chen", "2", "6", "29", "—"],
        ]
        troubles = as_text(view.query_one("#cohort-troubles", Static).content)
        assert "What is model drift, and what is concept drift?" in troubles
        assert "missed 10, contradicted 6 of 16" in troubles


async def test_a_candidate_has_no_cohort_tab_and_the_key_says_how_to_become_a_mentor(
    db: Path, bank_report: LoadReport
) -> None:
    app = review_app(db, bank_report, "bob", mentor=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await settled(pilot)
        screen = review_screen(app)
        assert not screen.query("#cohort-pane")
        assert "Cohort" not in [str(p._title) for p in screen.query(TabPane)]
        # Their own sessions only.
        assert screen.sessions_table.row_count == len(PLANS["bob"])
        await pilot.press("c")
        await pilot.pause()
        assert screen.tabs.active == "sessions-pane"
        messages = [n.message for n in app._notifications]
        assert any("'bob' is not one" in m and "roles.toml" in m for m in messages)


async def test_a_mentor_opens_a_candidate_s_session_read_only(
    db: Path, bank_report: LoadReport
) -> None:
    before = digest(db)
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await settled(pilot)
        await pilot.press("c")
        await settled(pilot)
        await pilot.press("down", "down", "enter")  # chen
        await settled(pilot)
        view = review_screen(app).query_one(CohortView)
        assert view.shown_candidate == "chen"
        assert len(rows(view.sessions_table)) == 2
        await pilot.press("enter")  # chen's newest session
        await settled(pilot)
        session = app.screen
        assert isinstance(session, CandidateSessionScreen)
        assert session.detail.session.candidate == "chen"
        answers = [card.turn.answer for card in session.query(TurnCard)]
        assert answers and all(a.startswith("chen's answer") for a in answers)
        # Nothing here changes the log: no delete, no export.
        assert not {"delete", "export"} & {
            b.binding.action for b in session.active_bindings.values()
        }
        await pilot.press("d", "e")
        await pilot.pause()
        assert app.screen is session
        await pilot.press("escape")
        await pilot.pause()
        assert review_screen(app).tabs.active == "cohort-pane"
        store = app.store
        assert isinstance(store, SessionStore) and store.read_only
    assert digest(db) == before
