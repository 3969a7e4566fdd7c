"""The standard-library glance at the learning state agrees with the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.grading.grade import Grade, Verdict
from assistant.settings import DatabaseUrl
from assistant.store import SessionStore
from assistant.store.peek import peek_learning_states


@pytest.fixture
def backend() -> str:
    """Peeking reads an SQLite file; a server database is not peeked at (see the next test)."""
    return "sqlite"


def test_a_server_database_is_not_peeked_at(postgres_url: DatabaseUrl) -> None:
    """No driver is loaded before the first question: a URL peeks as a new candidate."""
    assert peek_learning_states(postgres_url) == {}


def test_peek_reads_what_the_store_wrote(store: SessionStore) -> None:
    when = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
    sid = store.start_session(
        mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
    )
    for order, (qid, score) in enumerate((("a", 30), ("b", 90), ("a", 70)), start=1):
        store.record_turn(
            sid,
            order=order,
            question_id=qid,
            question_text="Q",
            reference_answer="R",
            category="c",
            answer="x",
            grade=Grade(score, Verdict.PARTIAL),
            shown_at=when,
            submitted_at=when,
        )
    assert peek_learning_states(store.path) == store.learning_states()
    assert set(peek_learning_states(store.path)) == {"a", "b"}


def test_peek_of_a_missing_or_foreign_file_is_empty(tmp_path: Path) -> None:
    assert peek_learning_states(tmp_path / "none.db") == {}
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert peek_learning_states(garbage) == {}
    assert garbage.read_bytes() == b"not a database at all" * 100
