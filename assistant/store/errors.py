"""The one error the session log raises: it names the file and says what the user can do."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The session log cannot be opened or written; the message is meant for the user."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path
        """The database file concerned."""


class NoSessionLogError(StoreError):
    """A read-only command found no session log: the file is missing or empty (no session yet)."""
