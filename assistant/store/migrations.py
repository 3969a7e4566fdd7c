"""Ordered schema migrations and a version table: they bring a session log of any age up to date.

A step is never edited once released: a change to the schema is a new step at the end.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime


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
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema version this code writes and reads."""

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL PRIMARY KEY,
    description VARCHAR NOT NULL,
    applied_at DATETIME NOT NULL
)"""


class NewerSchemaError(Exception):
    """The file was written by a newer release that knows more migration steps."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found}, this release knows up to {known}")
        self.found = found
        self.known = known


class ForeignDatabaseError(Exception):
    """The file is an SQLite database of some other program."""


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version of the open database: 0 for a new, empty one."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if has_table is None:
        others = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()
        if others[0]:
            raise ForeignDatabaseError("it has tables but no schema_version table")
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def checked_version(conn: sqlite3.Connection) -> int:
    """The schema version, after checking the file is a session log this release can use."""
    found = current_version(conn)
    latest = MIGRATIONS[-1].version
    if found > latest:
        raise NewerSchemaError(found, latest)
    return found


def upgrade(conn: sqlite3.Connection, *, target: int | None = None) -> int:
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
    # IMMEDIATE takes the write lock before reading the version, so two instances starting
    # together cannot both apply the same step.
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = checked_version(conn)
        conn.execute(_VERSION_TABLE)
        applied_at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        for step in MIGRATIONS:
            if found < step.version <= target:
                for statement in step.statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, description, applied_at)"
                    " VALUES (?, ?, ?)",
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
