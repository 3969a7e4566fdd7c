"""The name field of the start screen when served: required, checked, recorded as typed; and
absent in the terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from assistant.app import InterviewApp, make_app
from assistant.knowledge.loader import load_bank
from assistant.screens.interview import InterviewScreen
from assistant.screens.start import MAX_NAME_LENGTH, StartScreen, name_problem
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import SessionStore, open_store
from tests.fakes import KeywordGrader
from tests.ui.conftest import FrozenClock


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    s = open_store(tmp_path / "sessions.db")
    yield s
    s.close()


def _app(
    store: SessionStore | Callable[[], SessionStore], tmp_path: Path, *, served: bool
) -> InterviewApp:
    return make_app(
        Settings.from_env(db=tmp_path / "sessions.db"),
        load_bank([shipped_bank_dir()]),
        store,
        grader_loader=KeywordGrader,
        clock=FrozenClock(),
        served=served,
    )


def _error(app: InterviewApp) -> str:
    return str(app.screen.query_one("#form-error", Static).content)


def _ungraded_session(
    store: SessionStore,
    question_id: str,
    answer: str,
    *,
    candidate: str | None = None,
    settings: dict[str, object] | None = None,
) -> int:
    """A session left unfinished with one answer saved ungraded; its id."""
    session_id = store.start_session(
        mode="practice",
        lang="en",
        settings=settings or {},
        model_id="m",
        bank_version="1",
        candidate=candidate,
    )
    store.record_turn(
        session_id,
        order=1,
        question_id=question_id,
        question_text="What is it?",
        reference_answer="Reference.",
        category="fundamentals",
        answer=answer,
        grade=None,
        hints_used=0,
        skipped=False,
        shown_at=datetime(2026, 1, 1, tzinfo=UTC),
        submitted_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return session_id


async def test_a_served_interview_starts_only_with_a_name(
    store: SessionStore, tmp_path: Path
) -> None:
    """Ctrl+S with no name says why and starts nothing; the name typed is recorded literally."""
    app = _app(store, tmp_path, served=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.screen.query_one("#candidate", Input).has_focus
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert _error(app) == "Type your name to start."
        assert store.list_sessions() == []

        typed = "  Zoë [bold]O'Brien[/bold]  "
        await pilot.press(*typed)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        [session] = store.list_sessions()
        assert store.candidate == "Zoë [bold]O'Brien[/bold]"
        assert session.candidate == "Zoë [bold]O'Brien[/bold]"


async def test_the_terminal_asks_no_name(store: SessionStore, tmp_path: Path) -> None:
    app = _app(store, tmp_path, served=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#candidate")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        [session] = store.list_sessions()
        assert "candidate" not in session.settings


async def test_a_served_start_screen_offers_no_ones_unfinished_interview(
    store: SessionStore, tmp_path: Path
) -> None:
    """Served, the log is shared: the server user's unfinished interview is not offered to
    whoever opens a tab, neither before nor after the log opens."""
    _ungraded_session(store, "a", "Inputs change.", settings={"plan": ["a", "b"]})
    assert store.unfinished_session() is not None
    # Opened after the first paint, as from the command line: the offer comes when it opens.
    app = _app(lambda: store, tmp_path, served=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.store_ready
        assert not app.screen.query("#resume-bar")


async def test_a_served_review_shows_only_the_named_candidates_sessions(
    store: SessionStore, tmp_path: Path
) -> None:
    """Served, the log is shared: the review opens only with a name, and lists only theirs."""
    for who in ("server-user", "ada", "bob"):
        store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="1", candidate=who
        )
    app = _app(store, tmp_path, served=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.click("#review")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert _error(app) == "Type your name to start."
        await pilot.press(*"ada")
        await pilot.click("#review")
        await pilot.pause()
        assert not isinstance(app.screen, StartScreen)
        assert [s.candidate for s in store.list_sessions()] == ["ada"]


def test_names_that_are_refused() -> None:
    assert name_problem("") == "bad_name_empty"
    assert name_problem("   ") == "bad_name_empty"
    assert name_problem("x" * (MAX_NAME_LENGTH + 1)) == "bad_name_long"
    assert name_problem("Ada\x1b[31m") == "bad_name_chars"
    assert name_problem("Ada\nLovelace") == "bad_name_chars"
    assert name_problem(" Ada Lovelace ") is None
    assert name_problem("x" * MAX_NAME_LENGTH) is None


async def test_a_served_tab_grades_only_its_named_candidates_old_answers(
    store: SessionStore, tmp_path: Path
) -> None:
    """Answers left ungraded wait for a grader; served, a tab grades those of the candidate
    named in it, never the server user's (their own terminal grades those)."""
    answer = "MLOps automates the deployment and monitoring of models in production."
    servers = _ungraded_session(store, "what-is-mlops", answer, candidate=store.candidate)
    adas = _ungraded_session(store, "what-is-mlops", answer, candidate="ada")

    def grade_of(session_id: int) -> object:
        detail = store.get_session(session_id)
        assert detail is not None
        return detail.turns[0].grade

    app = _app(store, tmp_path, served=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.grader is not None
        assert grade_of(adas) is None  # the grader is loaded, and waits for a name
        await pilot.press(*"ada")
        await pilot.click("#review")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.candidate == "ada"
        assert grade_of(adas) is not None
        assert grade_of(servers) is None


async def test_remembered_choices_are_each_candidate_s_own(
    store: SessionStore, tmp_path: Path
) -> None:
    """Issue 21.15: a served start screen showed the previous user's choices as "(last
    session)"."""
    from assistant.interview.choices import remembered_choices, save_last_choices
    from assistant.interview.flow import InterviewSettings, Mode

    config = Settings.from_env(db=tmp_path / "sessions.db").config_dir
    save_last_choices(config, InterviewSettings(lang="fr", mode=Mode.MOCK, count=7), "owner")
    app = _app(store, tmp_path, served=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        start = app.screen
        assert isinstance(start, StartScreen)
        assert "(last session)" not in " ".join(
            str(label.render()) for label in start.query("Label")
        )
        assert start.choice.lang == "en" and start.choice.count != 7
        await pilot.press(*"ada")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
    # Ada's choices are hers; the owner's are still the owner's.
    ada = remembered_choices(config, "ada", inherit=False)
    owner = remembered_choices(config, "owner", inherit=False)
    assert ada is not None and ada.lang == "en"
    assert owner is not None and (owner.lang, owner.count) == ("fr", 7)
    assert remembered_choices(config, "bob", inherit=False) is None
