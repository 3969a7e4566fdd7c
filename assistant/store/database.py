"""The SQLite file behind the session log: connections, locking, and errors told to the user."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import ENV_DB
from assistant.store.errors import StoreError
from assistant.store.migrations import ForeignDatabaseError, NewerSchemaError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

DEFAULT_BUSY_TIMEOUT = 5.0
"""Seconds a write waits for another instance to release the file before giving up."""

WRITE = {"session_log_write": True}
"""Execution options of a write transaction (begun IMMEDIATE, see `create_engine`)."""

_ELSEWHERE = f"pass --db with another file (or set {ENV_DB})"

# SQLite primary result codes (an extended code keeps its primary code in the low byte).
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_LOCKED = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_UNWRITABLE = {3, 8, 14}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN
_FULL = 13  # SQLITE_FULL


def create_engine(path: Path, *, busy_timeout: float) -> Engine:
    """An engine on `path` with a busy timeout and foreign keys enforced.

    WAL mode is not set here: it is written into the file, so `open_store` sets it once the file
    is known to be a session log.
    """
    from sqlalchemy import URL, event
    from sqlalchemy import create_engine as sa_create_engine

    def connect() -> sqlite3.Connection:
        # isolation_level=None: pysqlite's implicit BEGIN is DEFERRED, and a deferred transaction
        # that reads then writes fails at once, ignoring the busy timeout, when another instance
        # wrote in between. Transactions are begun explicitly in `begin` instead.
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            # FULL: an answer committed is on disk, even if the machine loses power after.
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    engine = sa_create_engine(URL.create("sqlite", database=str(path)), creator=connect)

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # A writer takes the write lock first, waiting out the busy timeout if another holds it.
        immediate = conn.get_execution_options().get("session_log_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _sqlite_error(error: BaseException) -> sqlite3.Error | None:
    if isinstance(error, sqlite3.Error):
        return error
    orig: Any = getattr(error, "orig", None)
    return orig if isinstance(orig, sqlite3.Error) else None


def store_error(error: BaseException, path: Path, *, busy_timeout: float) -> StoreError | None:
    """The user-facing error for a failure on `path`, or None when it is not a database failure."""
    if isinstance(error, NewerSchemaError):
        return StoreError(
            f"The session log {path} was written by a newer mock-interview (schema version "
            f"{error.found}; this one knows up to {error.known}). It was left as it is: "
            f"upgrade mock-interview, or {_ELSEWHERE}.",
            path=path,
        )
    if isinstance(error, ForeignDatabaseError):
        return StoreError(
            f"{path} is an SQLite database of another program, not a mock-interview session "
            f"log ({error}). It was left as it is: {_ELSEWHERE}.",
            path=path,
        )
    sqlite_error = _sqlite_error(error)
    if sqlite_error is None:
        return None
    code = getattr(sqlite_error, "sqlite_errorcode", -1) & 0xFF
    detail = str(sqlite_error)
    if code in _DAMAGED:
        message = (
            f"The session log {path} is damaged or is not an SQLite database ({detail}). "
            f"It was left as it is: move it aside to start a new log, or {_ELSEWHERE}."
        )
    elif code in _LOCKED:
        message = (
            f"The session log {path} is locked by another program (another mock-interview "
            f"writing to it?) and stayed locked for {busy_timeout:g} s. Close that program and "
            "try again."
        )
    elif code in _UNWRITABLE:
        message = (
            f"The session log {path} cannot be opened for writing ({detail}). Check that you "
            f"may write to the file and to its folder {path.parent}, or {_ELSEWHERE}."
        )
    elif code == _FULL:
        message = f"The disk holding the session log {path} is full. Free some space and retry."
    else:
        message = f"The session log {path} could not be read or written ({detail})."
    return StoreError(message, path=path)


@contextmanager
def user_facing_errors(path: Path, *, busy_timeout: float) -> Iterator[None]:
    """Turn database failures on `path` inside the block into `StoreError`."""
    try:
        yield
    except StoreError:
        raise
    except Exception as error:
        translated = store_error(error, path, busy_timeout=busy_timeout)
        if translated is None:
            raise
        raise translated from error
