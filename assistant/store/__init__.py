"""The session log: every interview and answer in SQLite, and the learning state derived from it.

Records and StoreError import cheaply; `open_store` and `SessionStore` load SQLModel (about 0.3 s)
on first use, so the app can show its first question before paying for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.store.errors import StoreError
from assistant.store.records import (
    CategoryPoint,
    QuestionAttempt,
    SessionDetail,
    SessionStatus,
    SessionSummary,
    TurnRecord,
)

if TYPE_CHECKING:
    from assistant.store.repository import SessionStore, open_store

__all__ = [
    "CategoryPoint",
    "QuestionAttempt",
    "SessionDetail",
    "SessionStatus",
    "SessionStore",
    "SessionSummary",
    "StoreError",
    "TurnRecord",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name in ("SessionStore", "open_store"):
        from assistant.store import repository

        return getattr(repository, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
