"""A session log on a PostgreSQL server (psycopg 3): connections, and errors told to the user.

A cohort shares one database: `--db postgresql+psycopg://user:password@host:port/database`.
The repository is the same as on SQLite; what differs is here: how to connect, how long to wait
for a server that does not answer, and what to tell the user when it fails. Every message names
the URL with its password masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.settings import ENV_DB, DatabaseUrl
from assistant.store.errors import StoreError
from assistant.store.migrations import ForeignDatabaseError, NewerSchemaError

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Engine

CONNECT_TIMEOUT = 5
"""Seconds to wait for a server that does not answer (libpq's connect_timeout; whole seconds)."""

_ELSEWHERE = f"or pass --db with another database (or set {ENV_DB})"

# SQLSTATE classes and codes (https://www.postgresql.org/docs/15/errcodes-appendix.html).
_GONE = {"57P01", "57P02", "57P03"}  # admin_shutdown, crash_shutdown, cannot_connect_now
_AUTH = {"28000", "28P01"}  # invalid_authorization_specification, invalid_password
_NO_DATABASE = "3D000"  # invalid_catalog_name
_NO_RIGHT = {"42501", "25006"}  # insufficient_privilege, read_only_sql_transaction
_TOO_MANY = "53300"  # too_many_connections
_FULL = "53100"  # disk_full

# libpq reports a failed connection as text only (no SQLSTATE): these words tell which failure.
_AUTH_WORDS = ("password authentication failed", "no password supplied", "authentication failed")
_UNREACHABLE_WORDS = (
    "connection refused",
    "could not connect",
    "connection to server",
    "timeout expired",
    "could not translate host name",
    "no such file or directory",
    "server closed the connection",
    "connection is closed",
    "connection is lost",
    "consuming input failed",
    "terminating connection",
    "the database system is",
)


def create_server_engine(url: DatabaseUrl) -> Engine:
    """An engine on the server database at `url`.

    `pool_pre_ping`: a connection kept from before a server restart is noticed and replaced, so
    the first answer after the restart is stored instead of failing on a dead connection.
    """
    from sqlalchemy import create_engine

    return create_engine(
        url.sqlalchemy_url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT},
    )


def connect(url: DatabaseUrl) -> psycopg.Connection[Any]:
    """A plain psycopg connection in autocommit mode (migrations begin their own transaction)."""
    import psycopg

    return psycopg.connect(url.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT)


def check_server(url: DatabaseUrl) -> None:
    """Raise StoreError if `url` cannot be the session log: the server is down or refuses us,
    the database is missing, another program's, or from a newer release. Changes nothing."""
    from assistant.store.migrations import checked_version

    try:
        with connect(url) as conn:
            checked_version(conn)
    except Exception as error:
        translated = server_error(error, url)
        if translated is None:
            raise
        raise translated from error


def _psycopg_error(error: BaseException) -> Any:
    import psycopg

    if isinstance(error, psycopg.Error):
        return error
    orig = getattr(error, "orig", None)
    return orig if isinstance(orig, psycopg.Error) else None


def server_error(error: BaseException, url: DatabaseUrl) -> StoreError | None:
    """The user-facing error for a failure on the server database `url`, or None when it is
    not a database failure."""
    where = f"the session log {url}"
    if isinstance(error, NewerSchemaError):
        return StoreError(
            f"The database {url} was written by a newer mock-interview (schema version "
            f"{error.found}; this one knows up to {error.known}). It was left as it is: "
            f"upgrade mock-interview, {_ELSEWHERE}.",
            path=url,
        )
    if isinstance(error, ForeignDatabaseError):
        return StoreError(
            f"The database {url} belongs to another program, not mock-interview ({error}). It "
            f"was left as it is: create an empty database for mock-interview, {_ELSEWHERE}.",
            path=url,
        )
    pg_error = _psycopg_error(error)
    if pg_error is None:
        return None
    state: str = getattr(pg_error, "sqlstate", None) or ""
    detail = " ".join(str(pg_error).split())
    lowered = detail.lower()
    user = f'the user "{url.user}"' if url.user else "the default user (none in the URL)"
    if state in _AUTH or any(word in lowered for word in _AUTH_WORDS):
        message = (
            f"The PostgreSQL server refused {where}: authentication failed for {user} "
            f"({detail}). Check the user name and password in the URL, {_ELSEWHERE}."
        )
    elif state == _NO_DATABASE or ("database" in lowered and "does not exist" in lowered):
        message = (
            f"The database of {where} does not exist on the server ({detail}). Create it "
            f"first (createdb {url.database}, or CREATE DATABASE as its owner), {_ELSEWHERE}."
        )
    elif state in _GONE or state.startswith("08") or any(w in lowered for w in _UNREACHABLE_WORDS):
        message = (
            f"The PostgreSQL server of {where} cannot be reached ({detail}). Check that it is "
            "running and that the host and port in the URL are right, then try again (an "
            "answer given during an interview is kept, and stored once the server is back)."
        )
    elif state in _NO_RIGHT:
        message = (
            f"{where[0].upper()}{where[1:]} cannot be written by {user} ({detail}). Ask the "
            f"database's owner to grant that user the right to write, {_ELSEWHERE}."
        )
    elif state == _TOO_MANY:
        message = (
            f"The PostgreSQL server of {where} has no connection left ({detail}). Try again "
            "in a moment, or ask its administrator to raise max_connections."
        )
    elif state == _FULL:
        message = f"The disk of the PostgreSQL server of {where} is full ({detail})."
    else:
        message = f"{where[0].upper()}{where[1:]} could not be read or written ({detail})."
    return StoreError(message, path=url)
