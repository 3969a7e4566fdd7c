"""Ordered schema migrations and a version table: they bring a session log of any age up to date.

A step is never edited once released: a change to the schema is a new step at the end.
Steps are written in SQLite's SQL; `translate` gives PostgreSQL the same schema (see there), so
one list serves both backends and a released step means the same on each.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class Migration:
    """One step from `version - 1` to `version`."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "session log: sessions, turns, per-question learning state",
        (
            """CREATE TABLE interview_session (
                id INTEGER NOT NULL PRIMARY KEY,
                started_at DATETIME NOT NULL,
                ended_at DATETIME,
                status VARCHAR NOT NULL,
                mode VARCHAR NOT NULL,
                lang VARCHAR NOT NULL,
                settings_json VARCHAR NOT NULL,
                model_id VARCHAR NOT NULL,
                bank_version VARCHAR NOT NULL
            )""",
            """CREATE TABLE turn (
                id INTEGER NOT NULL PRIMARY KEY,
                session_id INTEGER NOT NULL
                    REFERENCES interview_session (id) ON DELETE CASCADE,
                "order" INTEGER NOT NULL,
                question_id VARCHAR NOT NULL,
                question_text VARCHAR NOT NULL,
                reference_answer VARCHAR NOT NULL,
                category VARCHAR NOT NULL,
                answer VARCHAR NOT NULL,
                score INTEGER,
                verdict VARCHAR,
                grade_json VARCHAR,
                hints_used INTEGER NOT NULL,
                skipped BOOLEAN NOT NULL,
                follow_up_of INTEGER REFERENCES turn (id) ON DELETE SET NULL,
                shown_at DATETIME NOT NULL,
                submitted_at DATETIME NOT NULL
            )""",
            """CREATE TABLE question_state (
                question_id VARCHAR NOT NULL PRIMARY KEY,
                attempts INTEGER NOT NULL,
                last_score INTEGER NOT NULL,
                best_score INTEGER NOT NULL,
                last_reviewed_at DATETIME NOT NULL,
                due_at DATETIME NOT NULL,
                card_json VARCHAR NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "indexes for a session's turns, a question's history and resumption",
        (
            'CREATE INDEX ix_turn_session_order ON turn (session_id, "order")',
            "CREATE INDEX ix_turn_question ON turn (question_id)",
            "CREATE INDEX ix_session_status_started ON interview_session (status, started_at)",
        ),
    ),
    Migration(
        3,
        "verified grades: how many key points each answer contradicted",
        (
            # NULL for ungraded turns and for those graded before verification existed; their
            # grade_json still reads (new fields of a grade have defaults).
            "ALTER TABLE turn ADD COLUMN contradicted INTEGER",
            "CREATE INDEX ix_turn_contradicted ON turn (contradicted)",
        ),
    ),
    Migration(
        4,
        "candidates: who took each session, learning state per candidate, the mentors",
        (
            # Portable SQL (SQLite and PostgreSQL). '' marks a session from before names: on an
            # SQLite file it belongs to whoever opens the file (see SessionStore.candidate).
            "ALTER TABLE interview_session ADD COLUMN candidate VARCHAR NOT NULL DEFAULT ''",
            "CREATE INDEX ix_session_candidate_started"
            " ON interview_session (candidate, started_at)",
            # The learning state is a candidate's own: the table is rebuilt with the candidate
            # in its key (a primary key cannot be changed in place on SQLite).
            """CREATE TABLE question_state_v4 (
                candidate VARCHAR NOT NULL DEFAULT '',
                question_id VARCHAR NOT NULL,
                attempts INTEGER NOT NULL,
                last_score INTEGER NOT NULL,
                best_score INTEGER NOT NULL,
                last_reviewed_at DATETIME NOT NULL,
                due_at DATETIME NOT NULL,
                card_json VARCHAR NOT NULL,
                PRIMARY KEY (candidate, question_id)
            )""",
            "INSERT INTO question_state_v4 (candidate, question_id, attempts, last_score,"
            " best_score, last_reviewed_at, due_at, card_json)"
            " SELECT '', question_id, attempts, last_score, best_score, last_reviewed_at,"
            " due_at, card_json FROM question_state",
            "DROP TABLE question_state",
            "ALTER TABLE question_state_v4 RENAME TO question_state",
            "CREATE TABLE mentor (name VARCHAR NOT NULL PRIMARY KEY)",
        ),
    ),
    Migration(
        5,
        "a lease on an open session: which window holds it, until when (renewed while open)",
        (
            "ALTER TABLE interview_session ADD COLUMN held_by VARCHAR",
            "ALTER TABLE interview_session ADD COLUMN held_until DATETIME",
        ),
    ),
    Migration(
        6,
        "disputes: a candidate's own marks of a graded answer, and a mentor's ruling on them",
        (
            """CREATE TABLE dispute (
                id INTEGER NOT NULL PRIMARY KEY,
                turn_id INTEGER NOT NULL REFERENCES turn (id) ON DELETE CASCADE,
                candidate VARCHAR NOT NULL,
                created_at DATETIME NOT NULL,
                grade_json VARCHAR NOT NULL,
                score INTEGER NOT NULL,
                reason VARCHAR NOT NULL DEFAULT '',
                status VARCHAR NOT NULL,
                settled_by VARCHAR,
                settled_at DATETIME,
                note VARCHAR NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX ix_dispute_turn ON dispute (turn_id, id)",
            "CREATE INDEX ix_dispute_status ON dispute (status)",
            "ALTER TABLE turn ADD COLUMN own_score INTEGER",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema version this code writes and reads."""

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at DATETIME NOT NULL
)"""


MIGRATION_LOCK = 0x6D6F636B  # "mock"
"""The PostgreSQL advisory lock held while a process migrates: others wait, then see its work."""

_POSTGRES_TYPES = (
    # SQLite's INTEGER PRIMARY KEY is the rowid: a new row gets the next id. PostgreSQL's
    # equivalent is an identity column; BY DEFAULT still accepts an explicit id, as SQLite does.
    (
        re.compile(r"\bINTEGER\s+(?:NOT\s+NULL\s+)?PRIMARY\s+KEY\b", re.IGNORECASE),
        "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    # An instant: SQLite keeps its UTC wall time (SQLModel converts), PostgreSQL the instant
    # itself, whatever the server's or the session's time zone.
    (re.compile(r"\bDATETIME\b", re.IGNORECASE), "TIMESTAMP WITH TIME ZONE"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
)


def translate(statement: str, dialect: str) -> str:
    """`statement` (SQLite's SQL, as the steps are written) for `dialect` ("sqlite", "postgresql").

    Only column types differ between the two for what a step does (CREATE TABLE, ADD COLUMN,
    CREATE INDEX, plain INSERT/UPDATE): quoted names, VARCHAR without a length, BOOLEAN,
    REFERENCES ... ON DELETE and DEFAULT literals mean the same on both.
    """
    if dialect == "sqlite":
        return statement
    if dialect != "postgresql":
        raise ValueError(f"no migrations for the {dialect} dialect")
    for pattern, replacement in _POSTGRES_TYPES:
        statement = pattern.sub(replacement, statement)
    return statement


class NewerSchemaError(Exception):
    """The file was written by a newer release that knows more migration steps."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found}, this release knows up to {known}")
        self.found = found
        self.known = known


class ForeignDatabaseError(Exception):
    """The database belongs to some other program (it has tables, none of them ours)."""


_TABLES = {
    "sqlite": (
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
    ),
    # The schema the connection uses (search_path): a cohort may keep several side by side.
    "postgresql": (
        "SELECT 1 FROM information_schema.tables"
        " WHERE table_schema = current_schema() AND table_name = 'schema_version'",
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
    ),
}


def _dialect(conn: sqlite3.Connection | psycopg.Connection[Any]) -> str:
    return "sqlite" if isinstance(conn, sqlite3.Connection) else "postgresql"


def current_version(conn: sqlite3.Connection | psycopg.Connection[Any]) -> int:
    """The schema version of the open database: 0 for a new, empty one."""
    has_version, count_tables = _TABLES[_dialect(conn)]
    if conn.execute(has_version).fetchone() is None:
        others = conn.execute(count_tables).fetchone()
        if others is not None and others[0]:
            raise ForeignDatabaseError("it has tables but no schema_version table")
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row is not None else 0


def checked_version(conn: sqlite3.Connection | psycopg.Connection[Any]) -> int:
    """The schema version, after checking the file is a session log this release can use."""
    found = current_version(conn)
    latest = MIGRATIONS[-1].version
    if found > latest:
        raise NewerSchemaError(found, latest)
    return found


def _steps(found: int, target: int) -> list[Migration]:
    return [step for step in MIGRATIONS if found < step.version <= target]


def _applied_at() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")


def upgrade(
    conn: sqlite3.Connection | psycopg.Connection[Any], *, target: int | None = None
) -> int:
    """Bring the database to `target` (the latest by default) in one transaction.

    Returns the version the database was at before.

    `conn` must be in autocommit mode (isolation_level None): the transaction is explicit, so
    DDL and data changes of every step commit together or not at all. It also checks that the
    file can be written, so a read-only file fails here rather than at the first answer.
    """
    latest = MIGRATIONS[-1].version
    target = latest if target is None else target
    if not 0 <= target <= latest:
        raise ValueError(f"target version must be within 0..{latest}, got {target}")
    if not isinstance(conn, sqlite3.Connection):
        return _upgrade_postgresql(conn, target)
    # IMMEDIATE takes the write lock before reading the version, so two instances starting
    # together cannot both apply the same step.
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = checked_version(conn)
        conn.execute(_VERSION_TABLE)
        applied_at = _applied_at()
        for step in _steps(found, target):
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
                (step.version, step.description, applied_at),
            )
        # A write that SQLite must really perform: BEGIN IMMEDIATE alone succeeds on a
        # read-only file. Nothing is kept when there was nothing to migrate.
        conn.execute("UPDATE schema_version SET version = version")
        if current_version(conn) == found:
            conn.execute("ROLLBACK")
        else:
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return found


def _upgrade_postgresql(conn: psycopg.Connection[Any], target: int) -> int:
    """`upgrade` on PostgreSQL, whose DDL is transactional too: every step or none.

    The transaction first takes the advisory lock `MIGRATION_LOCK`: a second process starting
    at the same moment waits for it, then reads the version the first one committed, and
    applies nothing twice (no "relation already exists" for the loser of a race).
    """
    from psycopg import Rollback

    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        found = checked_version(conn)
        steps = _steps(found, target)
        if not steps:
            raise Rollback()
        conn.execute(translate(_VERSION_TABLE, "postgresql"))
        applied_at = datetime.now(UTC)
        for step in steps:
            for statement in step.statements:
                conn.execute(translate(statement, "postgresql"))
            conn.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (%s, %s, %s)",
                (step.version, step.description, applied_at),
            )
    return found
