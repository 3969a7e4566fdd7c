"""The session log: every interview and answer in SQLite, and the learning state derived from it.

StoreError imports cheaply; the records (about 5 ms) on first use, and `open_store` and
`SessionStore`, which load SQLModel (about 0.3 s), too: the app shows its first question first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from assistant.store.errors import StoreError

if TYPE_CHECKING:
    from assistant.store.records import (
        CategoryPoint,
        QuestionAttempt,
        SessionDetail,
        SessionStatus,
        SessionSummary,
        TurnRecord,
    )
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


_HOME = {name: "repository" for name in ("SessionStore", "open_store")} | {
    name: "records" for name in __all__ if name not in ("SessionStore", "StoreError", "open_store")
}
"""The module of each name imported on first use (the records too: not needed at start-up)."""


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f"assistant.store.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
