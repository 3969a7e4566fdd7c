"""The SQLite file behind the session log: connections, locking, and errors told to the user.

A server database (a URL) is `server`'s: `check_log`, `store_error` and `user_facing_errors`
hand it over, so callers need not ask which backend they have.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import ENV_DB, DatabaseTarget, DatabaseUrl
from assistant.store.errors import NoSessionLogError, StoreError
from assistant.store.migrations import (
    ForeignDatabaseError,
    NewerSchemaError,
    checked_version,
    upgrade,
)

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


def _configured(conn: sqlite3.Connection) -> sqlite3.Connection:
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: an answer committed is on disk, even if the machine loses power after.
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def _engine(connect: Callable[[], sqlite3.Connection], name: str) -> Engine:
    from sqlalchemy import URL, event
    from sqlalchemy import create_engine as sa_create_engine
    from sqlalchemy.pool import QueuePool

    engine = sa_create_engine(
        URL.create("sqlite", database=name), creator=connect, poolclass=QueuePool
    )

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # A writer takes the write lock first, waiting out the busy timeout if another holds it.
        immediate = conn.get_execution_options().get("session_log_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def create_engine(path: Path, *, busy_timeout: float) -> Engine:
    """An engine on `path` with a busy timeout and foreign keys enforced.

    WAL mode is not set here: it is written into the file, so `open_store` sets it once the file
    is known to be a session log.
    """

    def connect() -> sqlite3.Connection:
        # isolation_level=None: pysqlite's implicit BEGIN is DEFERRED, and a deferred transaction
        # that reads then writes fails at once, ignoring the busy timeout, when another instance
        # wrote in between. Transactions are begun explicitly in `begin` instead.
        return _configured(
            sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        )

    return _engine(connect, str(path))


def location_error(path: Path) -> StoreError | None:
    """What makes `path` unusable as the session log before any file is opened, or None.

    A folder where the file should be, or a file where one of its folders should be.
    """
    if path.is_dir():
        return StoreError(
            f"The session log {path} is a folder; it must be a file. Pass --db with a file path "
            f"such as {path / 'sessions.db'} (or set {ENV_DB}).",
            path=path,
        )
    for folder in path.parents:
        if folder.is_dir():
            break
        if folder.exists():
            return StoreError(
                f"The session log {path} cannot be made: {folder} is a file, not a folder. "
                f"Pass --db with a path inside a folder (or set {ENV_DB}), or move {folder} "
                "aside.",
                path=path,
            )
    return None


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def read_only_connection(path: Path, *, busy_timeout: float) -> sqlite3.Connection:
    """A connection that only reads `path` and creates no file beside it.

    A read-only reader of a WAL database needs the -shm file: when another connection has the log
    open, the -wal and -shm files exist and the log is read through them (`mode=ro`). Otherwise
    every commit is in the main file, which `immutable=1` reads without creating (and leaving) a
    -shm and -wal file, and without locks, so a read-only folder or mount works too.
    """
    uri = path.absolute().as_uri()
    query = "mode=ro" if _sibling(path, "-wal").exists() else "mode=ro&immutable=1"
    return sqlite3.connect(
        f"{uri}?{query}",
        uri=True,
        timeout=busy_timeout,
        isolation_level=None,
        check_same_thread=False,
    )


def is_empty_log(path: Path) -> bool:
    """Whether `path` holds no session yet: it does not exist or is an empty file."""
    try:
        return path.stat().st_size == 0
    except (FileNotFoundError, NotADirectoryError):
        return True


def check_log(path: DatabaseTarget, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
    """Raise StoreError if `path` cannot be the session log; reads it only, with sqlite3 alone.

    Cheap enough to run before the app starts, so a wrong --db is told once on the terminal: a
    folder or a file in the way, a damaged file, another program's database, a newer schema.
    A missing or empty file is fine: the app makes the log there. A server database is
    connected to (psycopg alone): unreachable, refused, missing, foreign or newer is told.
    """
    if isinstance(path, DatabaseUrl):
        from assistant.store.server import check_server

        check_server(path)
        return
    error = location_error(path)
    if error is not None:
        raise error
    if is_empty_log(path):
        return
    with user_facing_errors(path, busy_timeout=busy_timeout, reading=True):
        conn = read_only_connection(path, busy_timeout=busy_timeout)
        try:
            checked_version(conn)
        finally:
            conn.close()


class Snapshot:
    """An in-memory copy of the session log, brought to this release's schema; the file is only
    read, and only while the copy is made. Read-only commands (review, export) work on it, so a
    missing, empty, read-only or older log is read without creating or changing any file."""

    def __init__(self, path: Path, *, busy_timeout: float, missing_ok: bool) -> None:
        self.path = path
        """The session log copied (or the missing file it stands for)."""
        self.uri = f"file:mock-interview-{uuid.uuid4().hex}?mode=memory&cache=shared"
        """The shared in-memory database: it lives while `keeper` is open."""
        error = location_error(path)
        if error is not None:
            raise error
        missing = is_empty_log(path)
        if missing and not missing_ok:
            state = "is an empty file" if path.exists() else "does not exist"
            raise NoSessionLogError(
                f"No sessions yet: {path} {state}. Run an interview first, or pass --db with "
                f"the session log to read (or set {ENV_DB}).",
                path=path,
            )
        self.keeper = self._connect()
        try:
            with user_facing_errors(path, busy_timeout=busy_timeout, reading=True):
                if not missing:
                    source = read_only_connection(path, busy_timeout=busy_timeout)
                    try:
                        # Checked first: another program's file or a newer schema is not copied.
                        checked_version(source)
                        source.backup(self.keeper)
                    finally:
                        source.close()
                # An older log is upgraded in memory only; a missing one gets the empty schema.
                upgrade(self.keeper)
        except BaseException:
            self.keeper.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        return _configured(
            sqlite3.connect(self.uri, uri=True, isolation_level=None, check_same_thread=False)
        )

    def engine(self) -> Engine:
        """An engine on the copy (each connection shares it)."""
        return _engine(self._connect, self.uri)

    def close(self) -> None:
        """Free the copy once every engine on it is disposed."""
        self.keeper.close()


def _sqlite_error(error: BaseException) -> sqlite3.Error | None:
    if isinstance(error, sqlite3.Error):
        return error
    orig: Any = getattr(error, "orig", None)
    return orig if isinstance(orig, sqlite3.Error) else None


def store_error(
    error: BaseException, path: DatabaseTarget, *, busy_timeout: float, reading: bool = False
) -> StoreError | None:
    """The user-facing error for a failure on `path`, or None when it is not a database failure.

    `reading`: the file was opened to be read only, so a failure to open it is not about writing.
    """
    if isinstance(path, DatabaseUrl):
        from assistant.store.server import server_error

        return server_error(error, path)
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
    elif code in _UNWRITABLE and reading:
        message = (
            f"The session log {path} cannot be read ({detail}). Check that you may read the "
            f"file and its folder {path.parent}, or {_ELSEWHERE}."
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
def user_facing_errors(
    path: DatabaseTarget, *, busy_timeout: float, reading: bool = False
) -> Iterator[None]:
    """Turn database failures on `path` inside the block into `StoreError`."""
    try:
        yield
    except StoreError:
        raise
    except Exception as error:
        translated = store_error(error, path, busy_timeout=busy_timeout, reading=reading)
        if translated is None:
            raise
        raise translated from error
