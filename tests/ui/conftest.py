"""Fixtures for driving the app headless: a temporary database and an injected grader."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events

from assistant.app import InterviewApp, make_app
from assistant.interview.flow import InterviewSettings
from assistant.knowledge.loader import LoadReport, load_bank
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import SessionStore, open_store
from tests.fakes import KeywordGrader

AppFactory = Callable[..., InterviewApp]


_KEY_NAMES = {" ": "space", ".": "full_stop"}
"""Textual's names of the characters the tests type that are not their own name."""


def send_at_once(app: InterviewApp, keys: Iterable[str]) -> None:
    """Queue keys all at once, as a fast typist's terminal sends them (`pilot.press` waits for
    the app to be idle after every key, which hides order bugs): each a key name (`backspace`,
    `ctrl+s`) or one character."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = events.Key(_KEY_NAMES.get(key, key), key if len(key) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)


class FrozenClock:
    """A monotonic clock that only moves when told (timers on screen stay still)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="session")
def bank_report() -> LoadReport:
    """The shipped bank, loaded once."""
    return load_bank([shipped_bank_dir()])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a temporary database."""
    return Settings.from_env(db=tmp_path / "sessions.db")


@pytest.fixture
def store(settings: Settings) -> Iterator[SessionStore]:
    """A fresh session log on a temporary file."""
    s = open_store(settings.db)
    yield s
    s.close()


@pytest.fixture
def make_test_app(settings: Settings, bank_report: LoadReport, store: SessionStore) -> AppFactory:
    """Build the app with a fake grader (or the given loader) and a frozen clock."""

    def build(
        interview: InterviewSettings | None = None,
        grader_loader: Callable[[], Any] | None = None,
    ) -> InterviewApp:
        return make_app(
            settings,
            bank_report,
            store,
            grader_loader=grader_loader or KeywordGrader,
            interview=interview,
            clock=FrozenClock(),
        )

    return build
