"""A read-only glance at the session log with the standard library alone.

Choosing the first questions needs the learning state; reading it this way lets the first
question reach the screen before SQLModel (about a quarter of a second to import) is loaded.
The full store is opened right after, and it reports any problem with the file.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from assistant.knowledge.scheduler import LearningState
from assistant.settings import DatabaseTarget

_COLUMNS = "question_id, attempts, last_score, best_score, last_reviewed_at, due_at, card_json"
# Unnamed rows (from before candidates had names) are the candidate's on an SQLite file; named
# rows come last so they win, as in SessionStore.learning_states.
_QUERY = f"SELECT {_COLUMNS} FROM question_state WHERE candidate IN ('', ?) ORDER BY candidate"
_QUERY_BEFORE_NAMES = f"SELECT {_COLUMNS} FROM question_state"
"""A log of schema 3 or older: every row is the candidate's."""


def _utc(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def peek_learning_states(db_path: DatabaseTarget, candidate: str = "") -> dict[str, LearningState]:
    """The candidate's learning states in `db_path`; empty when the file is missing or cannot
    be read.

    A server database is not peeked at (that would mean loading its driver before the first
    question): the first questions are chosen as for a new candidate.
    """
    if not isinstance(db_path, Path) or not db_path.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"{db_path.absolute().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            try:
                rows = conn.execute(_QUERY, (candidate,)).fetchall()
            except sqlite3.OperationalError:  # no candidate column yet
                rows = conn.execute(_QUERY_BEFORE_NAMES).fetchall()
        finally:
            conn.close()
        return {
            str(qid): LearningState(
                attempts=int(attempts),
                last_score=int(last),
                best_score=int(best),
                last_reviewed=_utc(str(reviewed)),
                due=_utc(str(due)),
                card_json=str(card),
            )
            for qid, attempts, last, best, reviewed, due, card in rows
        }
    except (sqlite3.Error, ValueError):
        # Whatever is wrong, opening the store says it properly, naming the file.
        return {}
