"""The journal of answers the log could not store: durable lines, idempotent replay."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant.store import SessionStore, open_store
from assistant.store.journal import (
    AnswerJournal,
    PendingTurn,
    journal_path,
    replay_journal,
    store_pending,
)

NOW = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def pending(session_id: int, order: int, answer: str) -> PendingTurn:
    return PendingTurn(
        session_id=session_id,
        order=order,
        question_id=f"q{order}",
        question_text="Question?",
        reference_answer="Reference.",
        category="fundamentals",
        answer=answer,
        hints_used=0,
        skipped=False,
        follow_up_of=None,
        shown_at=NOW,
        submitted_at=NOW,
    )


def new_session(store: SessionStore) -> int:
    return store.start_session(
        mode="mock", lang="en", settings={}, model_id="m", bank_version="1", started_at=NOW
    )


def test_replay_stores_each_answer_once_and_removes_the_journal(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        session_id = new_session(store)
        journal = AnswerJournal(journal_path(store.path))
        nasty = "ESC \x1b[2J, NUL \x00, RTL \u202e, [bold]markup[/bold], 🙂"
        first, second = pending(session_id, 1, nasty), pending(session_id, 2, "second")
        journal.append(first)
        journal.append(second)
        # The first was stored just before a crash that left it in the journal.
        store_pending(store, first)
        report = replay_journal(store)
        detail = store.get_session(session_id)
        assert detail is not None
        assert [t.answer for t in detail.turns] == [nasty, "second"]
        assert (report.stored, report.left) == (2, 0)
        assert not journal.path.exists()


def test_a_damaged_line_is_kept_and_an_orphan_answer_stays(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        journal = AnswerJournal(journal_path(store.path))
        journal.append(pending(999, 1, "its session was deleted"))
        with journal.path.open("a", encoding="utf-8") as out:
            out.write('{"torn": \n')
        report = replay_journal(store)
        assert (report.stored, report.left) == (0, 1)
        assert report.problem is not None and str(journal.path) in report.problem
        assert [t.answer for t in journal.entries()] == ["its session was deleted"]
        assert '{"torn": ' in journal.path.read_text(encoding="utf-8")
