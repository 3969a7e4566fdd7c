"""The one error the session log raises: it names the file (or the server database's URL, its
password masked) and says what the user can do."""

from __future__ import annotations

from assistant.settings import DatabaseTarget


class StoreError(Exception):
    """The session log cannot be opened or written; the message is meant for the user."""

    def __init__(self, message: str, *, path: DatabaseTarget) -> None:
        super().__init__(message)
        self.path = path
        """The database file concerned, or the server database's URL."""


class NoSessionLogError(StoreError):
    """A read-only command found no session log: the file is missing or empty (no session yet)."""
