"""A PostgreSQL server stopped in the middle of an interview: no answer lost, none stored twice.

The server is the test's own (stopping the run's shared one would fail other tests): answers go
to it through the real interview screen, `pg_ctl stop` takes it away, the next answer is kept in
the journal in the user data folder, and once the server is back the answers kept are stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from assistant.app import InterviewApp, make_app
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import LoadReport, load_bank
from assistant.screens.interview import InterviewScreen
from assistant.settings import DatabaseUrl, Settings, data_dir, shipped_bank_dir, shown_path
from assistant.store import open_store
from assistant.store.journal import AnswerJournal, journal_path
from tests.fakes import KeywordGrader
from tests.faults.test_interview_faults import burst, notice, settle, visible_notice
from tests.store.postgres_server import PASSWORD, PostgresServer, server_for_tests
from tests.ui.conftest import FrozenClock


@pytest.fixture(scope="module")
def bank_report() -> LoadReport:
    return load_bank([shipped_bank_dir()])


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry storing kept answers without the 2 s pause between tries."""
    monkeypatch.setattr(InterviewScreen, "RETRY_EVERY", 0.01, raising=False)


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A server for this test alone, which it stops and starts."""
    with server_for_tests() as server:
        yield server


def build_app(url: DatabaseUrl, bank_report: LoadReport, **interview: object) -> InterviewApp:
    return make_app(
        Settings.from_env(db=url.url),
        bank_report,
        lambda: open_store(url),
        grader_loader=KeywordGrader,
        interview=InterviewSettings(**interview) if interview else None,  # type: ignore[arg-type]
        clock=FrozenClock(),
    )


def stored_answers(url: DatabaseUrl) -> list[tuple[int, str]]:
    """(order, answer) of every turn on the server, in order."""
    with psycopg.connect(url.conninfo) as conn:
        rows = conn.execute('SELECT "order", answer FROM turn ORDER BY "order", id').fetchall()
    return [(int(order), str(answer)) for order, answer in rows]


async def test_a_server_stopped_mid_interview_loses_no_answer_and_stores_none_twice(
    own_server: PostgresServer,
    bank_report: LoadReport,
    isolated_user_dirs: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The journal sits under the home folder, as it does for a person, and is shown as ~/...
    monkeypatch.setenv("HOME", str(isolated_user_dirs))
    url = DatabaseUrl.parse(own_server.create_database("cohort"))
    first, second = "Stored while the server runs.", "Given while the server is stopped."
    kept_in = journal_path(url)
    assert kept_in.parent == data_dir() and PASSWORD not in kept_in.name

    app = build_app(url, bank_report, count=3, seed=4, mode=Mode.MOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        burst(app, first, "ctrl+s")
        await settle(app, pilot)
        assert stored_answers(url) == [(1, first)]

        own_server.stop()
        burst(app, second, "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert [t.answer for t in AnswerJournal(kept_in).entries()] == [second]
        message = notice(app)
        assert "cannot be reached" in message and url.masked in message
        assert PASSWORD not in message

        # Issue 21.16: at 100x32 the notice was cut before the journal's path. It is shown whole,
        # on a line of its own: a longer path, folded by Textual at a hyphen, lost a character.
        shown = visible_notice(app)
        assert shown_path(kept_in).startswith("~/data/mock-interview/")
        assert f" {shown_path(kept_in)}; " in " ".join(shown.split())
        await pilot.press("ctrl+q")

    own_server.start()
    assert stored_answers(url) == [(1, first)]
    again = build_app(url, bank_report)
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(again, pilot)
    assert stored_answers(url) == [(1, first), (2, second)]
    assert not kept_in.exists()

    # A later start finds nothing to replay: the answer is not stored a second time.
    third = build_app(url, bank_report)
    async with third.run_test(size=(100, 32)) as pilot:
        await settle(third, pilot)
    assert stored_answers(url) == [(1, first), (2, second)]
