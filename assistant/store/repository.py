"""The session log's repository: what screens and reports call, returning plain records."""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, Engine, func, or_, text
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, delete, select

from assistant.grading.grade import Coverage, Grade
from assistant.grading.overrule import changed_marks, marks_of, overruled
from assistant.grading.parameters import DEFAULT_PARAMETERS
from assistant.knowledge.scheduler import LearningState, as_utc, review
from assistant.settings import DatabaseTarget, DatabaseUrl
from assistant.store.database import (
    DEFAULT_BUSY_TIMEOUT,
    WRITE,
    Snapshot,
    create_engine,
    location_error,
    user_facing_errors,
)
from assistant.store.errors import NoSessionLogError, StoreError
from assistant.store.lease import LEASE
from assistant.store.migrations import checked_version, upgrade
from assistant.store.records import (
    TREND_SESSIONS,
    CandidateStanding,
    CategoryPoint,
    CategoryScore,
    CohortOverview,
    DisputedAnswer,
    DisputeRecord,
    DisputeStatus,
    KeyPointTrouble,
    OverruleRate,
    QuestionAttempt,
    QuestionTrouble,
    SessionDetail,
    SessionStatus,
    SessionSummary,
    TurnCounts,
    TurnRecord,
    count_turns,
    final_score,
    final_turns,
    mean_score,
)
from assistant.store.tables import Dispute, InterviewSession, Mentor, QuestionState, Turn

_COUNTED_SCORE = func.coalesce(col(Turn.own_score), col(Turn.score))
"""The score every average and the schedule count: the candidate's own while their dispute
stands, else the machine's."""

_FINAL_MAIN_TURNS = (
    sa_select(
        col(Turn.session_id),
        col(Turn.question_id),
        col(Turn.category),
        col(Turn.skipped),
        _COUNTED_SCORE,
    )
    .where(col(Turn.follow_up_of).is_(None))
    .order_by(col(Turn.session_id), col(Turn.order), col(Turn.id))
)
"""Every main turn, in the order asked, for `_final_scores` (more columns may be added)."""


@dataclass(frozen=True)
class _MainRow:
    """A row of `_FINAL_MAIN_TURNS` as counting reads a turn (a `records.CountedTurn`)."""

    row: tuple[Any, ...]

    @property
    def question_id(self) -> str:
        return str(self.row[1])

    @property
    def follow_up_of(self) -> int | None:
        return None  # main turns only

    @property
    def skipped(self) -> bool:
        return bool(self.row[3])

    @property
    def score(self) -> int | None:
        return cast(int | None, self.row[4])


def _final_scores(rows: Sequence[Any]) -> list[tuple[Any, ...]]:
    """(session, question, category, score, *extra columns) of each main question by its last
    turn in its session, counted as `records.final_scores` counts (an answer not graded yet is
    left out)."""
    by_session: defaultdict[Any, list[_MainRow]] = defaultdict(list)
    for row in rows:
        by_session[row[0]].append(_MainRow(tuple(row)))
    out = []
    for turns in by_session.values():
        for turn in final_turns(turns):
            value = final_score(turn)
            if value is not None:
                sid, qid, category, _, _, *extra = turn.row
                out.append((sid, qid, category, value, *extra))
    return out


FAILING_BELOW = DEFAULT_PARAMETERS.adequate_at
"""In the cohort view, an attempt under the "adequate" band counts as failed."""

TROUBLE_QUESTIONS = 10
"""How many of the questions failed most the cohort view lists."""


class DisputeError(Exception):
    """A dispute that cannot be made or settled; the message says why, for the user."""


class DisputeSettledError(DisputeError):
    """The dispute was settled already (by another mentor, a moment ago or long since)."""

    def __init__(self, dispute: DisputeRecord) -> None:
        when = (
            dispute.settled_at.astimezone().strftime("%Y-%m-%d %H:%M") if dispute.settled_at else ""
        )
        super().__init__(
            f"{dispute.settled_by or 'A mentor'} already {dispute.status.value} this dispute"
            f"{' on ' + when if when else ''}: it stays as they settled it."
        )
        self.dispute = dispute


class NotAMentorError(Exception):
    """The cohort view was asked for by a candidate who is not a mentor."""

    def __init__(self, candidate: str) -> None:
        super().__init__(f"{candidate!r} is not a mentor: the cohort view is for mentors")
        self.candidate = candidate


def _holder_name() -> str:
    """This window's name on the sessions it holds: host, process, and a random part (two
    stores in one process are two windows)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _to_db(when: datetime) -> datetime:
    return as_utc(when)


def _from_db(when: datetime) -> datetime:
    # SQLite keeps no offset: the stored wall time is UTC (recent SQLModel already says so).
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def open_store(
    db_path: DatabaseTarget,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    read_only: bool = False,
    missing_ok: bool = True,
    candidate: str = "",
    mentors: frozenset[str] = frozenset(),
) -> SessionStore:
    """Open (or create) the session log at `db_path`, upgrading its schema if it is older.

    Raises StoreError, naming the file and what to do, when it is damaged, another program's
    database, locked longer than `busy_timeout` seconds, not writable, or from a newer release,
    or when the path is a folder or has a file where a folder should be.
    The file is never replaced or deleted.

    `read_only` (review, export): nothing is created or changed, not even a folder or a -wal
    file; the store reads an in-memory copy of the file, and an older schema is upgraded in the
    copy only. A missing or empty file reads as a log with no session, unless `missing_ok` is
    False: then NoSessionLogError says there is no session yet. The first write (deleting a
    session from the review screen) opens the file for writing.

    A `DatabaseUrl` opens a PostgreSQL database on a server (see `server`): the same schema and
    calls. There is no copy to read there: `read_only` reads the database itself, and an empty
    database (no schema yet) is the "no session yet" case.

    `candidate`: who is practising; sessions are recorded under this name and only theirs are
    listed. `mentors`: the names the configuration lists as mentors (see `is_mentor`).
    """
    if isinstance(db_path, DatabaseUrl):
        return _open_server_store(
            db_path,
            read_only=read_only,
            missing_ok=missing_ok,
            candidate=candidate,
            mentors=mentors,
        )
    path = Path(db_path).expanduser().absolute()
    if read_only:
        snapshot = Snapshot(path, busy_timeout=busy_timeout, missing_ok=missing_ok)
        return SessionStore(
            snapshot.engine(),
            path,
            busy_timeout=busy_timeout,
            snapshot=snapshot,
            candidate=candidate,
            mentors=mentors,
        )
    misplaced = location_error(path)
    if misplaced is not None:
        raise misplaced
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"Cannot create the folder {path.parent} for the session log {path} "
            f"({error.strerror}). Check its permissions, or pass --db with another file.",
            path=path,
        ) from error
    engine = create_engine(path, busy_timeout=busy_timeout)
    try:
        with user_facing_errors(path, busy_timeout=busy_timeout):
            raw = engine.raw_connection()
            try:
                conn = cast(sqlite3.Connection, raw.driver_connection)
                # Look before changing anything: WAL mode is written into the file's header, and
                # another program's database must stay exactly as it is.
                checked_version(conn)
                # WAL: readers never block the writer, and a commit is one append to the log.
                conn.execute("PRAGMA journal_mode = WAL")
                upgrade(conn)
            finally:
                raw.close()
    except BaseException:
        engine.dispose()
        raise
    return SessionStore(
        engine, path, busy_timeout=busy_timeout, candidate=candidate, mentors=mentors
    )


def _open_server_store(
    url: DatabaseUrl, *, read_only: bool, missing_ok: bool, candidate: str, mentors: frozenset[str]
) -> SessionStore:
    """`open_store` on a PostgreSQL database: checked, brought to this schema, then engined."""
    from assistant.store.server import connect, create_server_engine, server_error

    try:
        with connect(url) as conn:
            if read_only and not missing_ok and checked_version(conn) == 0:
                raise NoSessionLogError(
                    f"No sessions yet: the database {url} is empty. Run an interview first, or "
                    "pass --db with the session log to read.",
                    path=url,
                )
            # Two processes starting together: the second waits for the first (advisory lock).
            upgrade(conn)
    except StoreError:
        raise
    except Exception as error:
        translated = server_error(error, url)
        if translated is None:
            raise
        raise translated from error
    return SessionStore(
        create_server_engine(url),
        url,
        busy_timeout=DEFAULT_BUSY_TIMEOUT,
        candidate=candidate,
        mentors=mentors,
    )


class SessionStore:
    """Every interview session and turn, and the learning state derived from them.

    Safe to call from worker threads: each call uses its own connection and transaction. Every
    write is committed before the call returns.
    """

    def __init__(
        self,
        engine: Engine,
        path: DatabaseTarget,
        *,
        busy_timeout: float,
        snapshot: Snapshot | None = None,
        candidate: str = "",
        mentors: frozenset[str] = frozenset(),
    ) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**WRITE)
        self._busy_timeout = busy_timeout
        self._snapshot = snapshot
        self._switching = threading.Lock()
        self.path = path
        """The database file, or the server database's URL (`str()` masks its password)."""
        self.candidate = candidate
        """Who is practising. Sessions from before names ('') count as theirs on an SQLite
        file (the file is the one user's own log) when they are its owner, the candidate it
        was opened for; the first session the owner starts there makes those sessions theirs
        for good. A candidate named later (a served tab) never gets them."""
        self._owner_name = candidate
        """The candidate the store was opened for: on an SQLite file, its owner."""
        self.configured_mentors = mentors
        self.holder = _holder_name()
        """This window's name on the sessions it holds open (see `hold_session`)."""
        """The names the configuration lists as mentors (see `is_mentor`); the candidate may
        change after opening (a served tab names its own), so this is names, not a yes/no."""

    @property
    def read_only(self) -> bool:
        """True while the store reads an in-memory copy of the file (see `open_store`)."""
        return self._snapshot is not None

    def close(self) -> None:
        """Close every connection to the file."""
        self._engine.dispose()
        if self._snapshot is not None:
            self._snapshot.close()

    def _open_for_writing(self) -> None:
        """Leave the in-memory copy for the file itself, opened for writing."""
        with self._switching:
            if self._snapshot is None:
                return
            writable = open_store(self.path, busy_timeout=self._busy_timeout)
            copy, snapshot = self._engine, self._snapshot
            self._engine, self._writer = writable._engine, writable._writer
            self._snapshot = None
            copy.dispose()
            snapshot.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with (
            user_facing_errors(self.path, busy_timeout=self._busy_timeout),
            Session(self._engine) as db,
        ):
            yield db

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without an error."""
        if self._snapshot is not None:
            self._open_for_writing()
        with (
            user_facing_errors(self.path, busy_timeout=self._busy_timeout),
            Session(self._writer, expire_on_commit=False) as db,
        ):
            yield db
            db.commit()

    # Sessions

    def start_session(
        self,
        *,
        mode: str,
        lang: str,
        settings: dict[str, Any],
        model_id: str,
        bank_version: str,
        started_at: datetime | None = None,
        candidate: str | None = None,
        hold: bool = False,
    ) -> int:
        """Record a new interview in progress and return its id; `settings` must be JSON-ready.

        It is recorded under `candidate` (default: the store's). On an SQLite file, sessions
        from before names become that candidate's, with their learning state. With `hold`, this
        window holds it open (see `hold_session`) from the start.
        """
        who = self.candidate if candidate is None else candidate
        now = datetime.now(UTC)
        row = InterviewSession(
            held_by=self.holder if hold else None,
            held_until=_to_db(now + LEASE) if hold else None,
            candidate=who,
            started_at=_to_db(started_at or now),
            status=SessionStatus.IN_PROGRESS.value,
            mode=mode,
            lang=lang,
            settings_json=json.dumps(settings, sort_keys=True),
            model_id=model_id,
            bank_version=bank_version,
        )
        with self._writing() as db:
            if who and who == self._unnamed_owner():
                _claim_unnamed(db, who)
            db.add(row)
            db.flush()
            assert row.id is not None
            return row.id

    def finish_session(
        self,
        session_id: int,
        status: SessionStatus | Literal["completed", "abandoned"],
        *,
        ended_at: datetime | None = None,
    ) -> None:
        """Mark a session completed or abandoned, ending now unless `ended_at` is given."""
        final = SessionStatus(status)
        if final is SessionStatus.IN_PROGRESS:
            raise ValueError("a session is finished as completed or abandoned")
        with self._writing() as db:
            row = db.get(InterviewSession, session_id)
            if row is None:
                raise ValueError(f"no interview session {session_id}")
            row.status = final.value
            row.ended_at = _to_db(ended_at or datetime.now(UTC))
            row.held_by = row.held_until = None
            db.add(row)

    def hold_session(self, session_id: int, *, now: datetime | None = None) -> bool:
        """Take, or renew, this window's lease on an open session: True when it is ours now;
        False when another window holds it and its lease still runs (or it is gone).

        One conditional UPDATE, so two windows asking at once cannot both get it, on SQLite
        and PostgreSQL alike. Renewing a lease that ran out and was taken by another window
        also answers False: that window has the session now.
        """
        at = _to_db(now or datetime.now(UTC))
        free = or_(
            col(InterviewSession.held_by).is_(None),
            col(InterviewSession.held_by) == self.holder,
            col(InterviewSession.held_until) < at,
        )
        taking = (
            sa_update(InterviewSession)
            .where(col(InterviewSession.id) == session_id)
            .where(col(InterviewSession.status) == SessionStatus.IN_PROGRESS.value)
            .where(free)
            .values(held_by=self.holder, held_until=at + LEASE)
        )
        with self._writing() as db:
            return bool(db.connection().execute(taking).rowcount == 1)

    def release_session(self, session_id: int) -> None:
        """Give up this window's lease on a session (another window may resume it at once)."""
        freeing = (
            sa_update(InterviewSession)
            .where(col(InterviewSession.id) == session_id)
            .where(col(InterviewSession.held_by) == self.holder)
            .values(held_by=None, held_until=None)
        )
        with self._writing() as db:
            db.connection().execute(freeing)

    def unfinished_session(self) -> SessionSummary | None:
        """The candidate's newest session still in progress that has at least one turn, to
        offer resuming."""
        with self._reading() as db:
            summaries = self._summaries(
                db, status=SessionStatus.IN_PROGRESS, owner=self._of(self.candidate)
            )
        return next((s for s in summaries if s.turn_count > 0), None)

    def list_sessions(self) -> list[SessionSummary]:
        """The candidate's sessions, newest first, with counts, average score and duration."""
        with self._reading() as db:
            return self._summaries(db, owner=self._of(self.candidate))

    def get_session(self, session_id: int) -> SessionDetail | None:
        """One session with its turns in order, or None if there is no such session.

        Any candidate's: ids come from this candidate's list or, for a mentor, the cohort's.
        """
        with self._reading() as db:
            summaries = self._summaries(db, session_id=session_id)
            if not summaries:
                return None
            turns = db.exec(
                select(Turn)
                .where(Turn.session_id == session_id)
                .order_by(col(Turn.order), col(Turn.id))
            ).all()
            disputes = _newest_disputes(db, [t.id for t in turns])
            return SessionDetail(
                session=summaries[0], turns=[_turn_record(t, disputes) for t in turns]
            )

    def delete_session(self, session_id: int) -> bool:
        """Delete a session and its turns; False if there was no such session.

        The learning state of its questions is rebuilt from the turns that remain.
        """
        with self._writing() as db:
            row = db.get(InterviewSession, session_id)
            if row is None:
                return False
            question_ids = set(
                db.exec(select(Turn.question_id).where(Turn.session_id == session_id)).all()
            )
            db.exec(delete(Turn).where(col(Turn.session_id) == session_id))
            db.delete(row)
            db.flush()
            # Sorted: two deletions lock shared questions in one order (no deadlock).
            for question_id in sorted(question_ids):
                _rebuild_learning_state(db, row.candidate, question_id)
            return True

    # Turns

    def record_turn(
        self,
        session_id: int,
        *,
        order: int,
        question_id: str,
        question_text: str,
        reference_answer: str,
        category: str,
        answer: str,
        grade: Grade | None = None,
        hints_used: int = 0,
        skipped: bool = False,
        follow_up_of: int | None = None,
        shown_at: datetime,
        submitted_at: datetime,
    ) -> int:
        """Record one answered (or skipped) question and return the turn id, once committed.

        A graded or skipped main question (not a follow-up) also updates the question's learning
        state; a skip counts as a score of 0 when it has no grade. Pass `grade=None` for an
        answer graded later, then call `set_turn_grade`.
        """
        with self._writing() as db:
            session = db.get(InterviewSession, session_id)
            if session is None:
                raise ValueError(f"no interview session {session_id}")
            if follow_up_of is not None and db.get(Turn, follow_up_of) is None:
                raise ValueError(f"turn {follow_up_of} (followed up) does not exist")
            row = Turn(
                session_id=session_id,
                order=order,
                question_id=question_id,
                question_text=question_text,
                reference_answer=reference_answer,
                category=category,
                answer=answer,
                hints_used=hints_used,
                skipped=skipped,
                follow_up_of=follow_up_of,
                shown_at=_to_db(shown_at),
                submitted_at=_to_db(submitted_at),
            )
            _set_grade(row, grade)
            db.add(row)
            db.flush()
            if follow_up_of is None and (grade is not None or skipped):
                _rebuild_learning_state(db, session.candidate, question_id)
            assert row.id is not None
            return row.id

    def set_turn_grade(self, turn_id: int, grade: Grade) -> None:
        """Attach (or replace) the grade of a turn, updating the question's learning state."""
        with self._writing() as db:
            row = db.get(Turn, turn_id)
            if row is None:
                raise ValueError(f"no turn {turn_id}")
            _set_grade(row, grade)
            db.add(row)
            db.flush()
            if row.follow_up_of is None:
                session = db.get(InterviewSession, row.session_id)
                assert session is not None
                _rebuild_learning_state(db, session.candidate, row.question_id)

    def ungraded_turns(self) -> list[TurnRecord]:
        """The candidate's answered turns that have no grade yet (the model was loading or
        unavailable)."""
        with self._reading() as db:
            rows = db.exec(
                select(Turn)
                .join(InterviewSession, col(Turn.session_id) == col(InterviewSession.id))
                .where(
                    col(Turn.grade_json).is_(None),
                    col(Turn.skipped).is_(False),
                    self._of(self.candidate),
                )
                .order_by(col(Turn.id))
            ).all()
            return [_turn_record(row) for row in rows]

    def question_history(self, question_id: str) -> list[QuestionAttempt]:
        """Every turn of the candidate's that asked this question, oldest first, with its
        session's date and mode."""
        with self._reading() as db:
            rows = db.exec(
                select(Turn, InterviewSession)
                .join(InterviewSession, col(Turn.session_id) == col(InterviewSession.id))
                .where(Turn.question_id == question_id, self._of(self.candidate))
                .order_by(col(Turn.submitted_at), col(Turn.id))
            ).all()
            disputes = _newest_disputes(db, [turn.id for turn, _ in rows])
            return [
                QuestionAttempt(
                    turn=_turn_record(turn, disputes),
                    session_started_at=_from_db(session.started_at),
                    session_mode=session.mode,
                    session_lang=session.lang,
                )
                for turn, session in rows
            ]

    # Disputes: the candidate overrules a grade, a mentor settles it

    def dispute_turn(
        self,
        turn_id: int,
        marks: Mapping[str, Coverage],
        reason: str = "",
        *,
        now: datetime | None = None,
    ) -> DisputeRecord | None:
        """The candidate marks the key points of one of their graded answers themselves.

        The machine's grade is kept; the candidate's (`overrule.overruled`) counts in every
        average and in the schedule until a mentor rejects it. Marks equal to the machine's
        withdraw a standing dispute and return None. Changing the marks again replaces the open
        dispute with a new one (the log keeps both). Raises DisputeError when the answer is
        not the candidate's or has no graded key points, and DisputeSettledError once a mentor
        has settled it.
        """
        now = now or datetime.now(UTC)
        with self._writing() as db:
            # The answer's row is locked until the end (PostgreSQL; SQLite's write transaction
            # holds the file): two windows disputing it at once take turns, so one dispute
            # stands and the second replaces it or is told why not.
            row = db.exec(select(Turn).where(Turn.id == turn_id).with_for_update()).first()
            session = db.get(InterviewSession, row.session_id) if row is not None else None
            if row is None or session is None or self._owner(session.candidate) != self.candidate:
                raise DisputeError(f"no answer {turn_id} of {self.candidate!r} to dispute")
            if not row.grade_json:
                raise DisputeError("this answer has no grade yet: there is nothing to dispute")
            machine = Grade.from_dict(json.loads(row.grade_json))
            try:
                own = overruled(machine, marks)
            except ValueError as error:
                raise DisputeError(f"this grade cannot be disputed: {error}") from None
            newest = db.exec(
                select(Dispute).where(Dispute.turn_id == turn_id).order_by(col(Dispute.id).desc())
            ).first()
            if newest is not None and newest.status in (
                DisputeStatus.ACCEPTED,
                DisputeStatus.REJECTED,
            ):
                raise DisputeSettledError(_dispute_record(newest))
            if newest is not None and newest.status == DisputeStatus.OPEN:
                withdrawn = marks_of(own) == marks_of(machine)
                ended = DisputeStatus.WITHDRAWN if withdrawn else DisputeStatus.REPLACED
                # Conditional: a mentor settling it at this moment wins, and we say so.
                if not _set_status_if_open(db, newest, ended, by=None, at=now, note=""):
                    db.refresh(newest)
                    if newest.status in (DisputeStatus.ACCEPTED, DisputeStatus.REJECTED):
                        raise DisputeSettledError(_dispute_record(newest))
                    raise DisputeError(
                        "your marks of this answer were changed in another window a moment "
                        "ago: open them again to see them"
                    )
            if marks_of(own) == marks_of(machine):
                row.own_score = None
                dispute = None
            else:
                added = Dispute(
                    turn_id=turn_id,
                    candidate=self.candidate,
                    created_at=_to_db(now),
                    grade_json=json.dumps(own.to_dict()),
                    score=own.score,
                    reason=" ".join(reason.split()),
                    status=DisputeStatus.OPEN.value,
                )
                db.add(added)
                row.own_score = own.score
                db.flush()
                dispute = _dispute_record(added)
            db.add(row)
            db.flush()
            if row.follow_up_of is None:
                _rebuild_learning_state(db, session.candidate, row.question_id)
            return dispute

    def settle_dispute(
        self, dispute_id: int, *, accept: bool, note: str = "", now: datetime | None = None
    ) -> DisputeRecord:
        """A mentor accepts the candidate's grade or upholds the machine's.

        Rejected, the machine's grade counts again. Raises NotAMentorError for anyone else,
        DisputeError for one's own dispute or one that is not open (withdrawn, replaced), and
        DisputeSettledError when another mentor settled it first.
        """
        self._require_mentor()
        now = now or datetime.now(UTC)
        with self._writing() as db:
            row = db.get(Dispute, dispute_id)
            if row is None:
                raise DisputeError(f"no dispute {dispute_id}")
            if row.candidate == self.candidate:
                raise DisputeError("a mentor does not settle their own dispute: another must")
            if row.status in (DisputeStatus.ACCEPTED, DisputeStatus.REJECTED):
                raise DisputeSettledError(_dispute_record(row))
            if row.status != DisputeStatus.OPEN:
                raise DisputeError(
                    f"this dispute was {row.status}: the candidate changed their marks since"
                )
            outcome = DisputeStatus.ACCEPTED if accept else DisputeStatus.REJECTED
            if not _set_status_if_open(db, row, outcome, by=self.candidate, at=now, note=note):
                db.refresh(row)
                raise DisputeSettledError(_dispute_record(row))
            turn = db.get(Turn, row.turn_id)
            assert turn is not None
            turn.own_score = row.score if accept else None
            db.add(turn)
            db.flush()
            session = db.get(InterviewSession, turn.session_id)
            assert session is not None
            if turn.follow_up_of is None:
                _rebuild_learning_state(db, session.candidate, turn.question_id)
            db.refresh(row)
            return _dispute_record(row)

    def disputed_answers(
        self, statuses: Sequence[DisputeStatus] = (DisputeStatus.OPEN,), *, everyone: bool = True
    ) -> list[DisputedAnswer]:
        """Answers whose newest dispute has one of these statuses, oldest dispute first.

        Everyone's for a mentor (NotAMentorError else); `everyone=False`: the candidate's own.
        """
        if everyone:
            self._require_mentor()
        wanted = [s.value for s in statuses]
        with self._reading() as db:
            newest = (
                sa_select(func.max(col(Dispute.id)))
                .group_by(col(Dispute.turn_id))
                .scalar_subquery()
            )
            query = (
                select(Dispute, Turn, InterviewSession)
                .join(Turn, col(Dispute.turn_id) == col(Turn.id))
                .join(InterviewSession, col(Turn.session_id) == col(InterviewSession.id))
                .where(col(Dispute.id).in_(newest), col(Dispute.status).in_(wanted))
                .order_by(col(Dispute.created_at), col(Dispute.id))
            )
            if not everyone:
                query = query.where(self._of(self.candidate))
            rows = db.exec(query).all()
            out = []
            for dispute, turn, session in rows:
                record = _dispute_record(dispute)
                out.append(
                    DisputedAnswer(
                        dispute=record,
                        turn=_turn_record(turn, {record.turn_id: record}),
                        candidate=self._owner(session.candidate),
                    )
                )
            return out

    def own_grade_count(self) -> int:
        """How many of the candidate's answers count with their own grade (a dispute open or
        accepted), for the screens that average scores to say so."""
        with self._reading() as db:
            found = (
                db.connection()
                .execute(
                    sa_select(func.count())
                    .select_from(Turn)
                    .join(InterviewSession, col(Turn.session_id) == col(InterviewSession.id))
                    .where(col(Turn.own_score).is_not(None), self._of(self.candidate))
                )
                .scalar()
            )
        return int(found or 0)

    def dispute_history(self, turn_id: int) -> list[DisputeRecord]:
        """Every dispute of one answer, oldest first: who marked what, when, and how it ended.

        The candidate's own answers, or anyone's for a mentor."""
        with self._reading() as db:
            turn = db.get(Turn, turn_id)
            session = db.get(InterviewSession, turn.session_id) if turn is not None else None
            if session is None:
                return []
            if self._owner(session.candidate) != self.candidate:
                self._require_mentor()
            rows = db.exec(
                select(Dispute).where(Dispute.turn_id == turn_id).order_by(col(Dispute.id))
            ).all()
            return [_dispute_record(row) for row in rows]

    def overrule_rates(self) -> list[OverruleRate]:
        """How often the grader was disputed, per question and per key point, worst first
        (mentors only): the key points where the bank or the grader needs work."""
        self._require_mentor()
        with self._reading() as db:
            # Counted by the database: a log holds every candidate's answers.
            graded_rows = (
                db.connection()
                .execute(
                    sa_select(
                        col(Turn.question_id), func.count(), func.max(col(Turn.question_text))
                    )
                    .where(col(Turn.grade_json).is_not(None))
                    .group_by(col(Turn.question_id))
                )
                .all()
            )
        graded = {question_id: (int(n), str(text)) for question_id, n, text in graded_rows}
        standing = self.disputed_answers(
            (DisputeStatus.OPEN, DisputeStatus.ACCEPTED, DisputeStatus.REJECTED)
        )
        by_question: defaultdict[str, list[DisputedAnswer]] = defaultdict(list)
        for answer in standing:
            by_question[answer.turn.question_id].append(answer)
        rates: list[OverruleRate] = []
        for question_id, answers in by_question.items():
            n, text = graded.get(question_id, (0, ""))
            rates.append(OverruleRate(question_id, text, None, "", n, *_tally(answers)))
            changed: defaultdict[str, list[DisputedAnswer]] = defaultdict(list)
            point_text: dict[str, str] = {}
            for answer in answers:
                machine = answer.turn.grade
                assert machine is not None
                for point, _ in changed_marks(machine, answer.dispute.grade):
                    point_text[point.id] = point.text
                    changed[point.id].append(answer)
            rates += [
                OverruleRate(question_id, text, point_id, point_text[point_id], n, *_tally(group))
                for point_id, group in changed.items()
            ]
        rates.sort(key=lambda r: (-r.rate, -r.disputed, r.question_id, r.key_point_id or ""))
        return rates

    # Progress and learning

    def category_averages(self) -> list[CategoryPoint]:
        """Average score per local day (of the session start) and category, oldest day first.

        Main questions only, graded or skipped (a skip without a grade counts as 0, as in an
        interview); follow-ups probe one key point and would skew the average. The candidate's
        sessions only.
        """
        with self._reading() as db:
            rows = (
                db.connection()
                .execute(
                    _FINAL_MAIN_TURNS.add_columns(col(InterviewSession.started_at))
                    .join(InterviewSession, col(Turn.session_id) == col(InterviewSession.id))
                    .where(self._of(self.candidate))
                )
                .all()
            )
        scores: defaultdict[tuple[date, str], list[int]] = defaultdict(list)
        for _, _, category, value, started_at in _final_scores(rows):
            # The user's calendar day, so an evening session is not charted on the next day.
            scores[(_from_db(started_at).astimezone().date(), category)].append(value)
        return [
            CategoryPoint(day=day, category=category, average_score=sum(s) / len(s), count=len(s))
            for (day, category), s in sorted(scores.items())
        ]

    def learning_states(self) -> dict[str, LearningState]:
        """The candidate's learning state of every question they answered, by question id."""
        mine = self.candidate == self._unnamed_owner()
        names = ["", self.candidate] if mine else [self.candidate]
        with self._reading() as db:
            # Named rows last, so they win: both exist for one question only if unnamed
            # sessions were added after the candidate's first (never by this release).
            rows = db.exec(
                select(QuestionState)
                .where(col(QuestionState.candidate).in_(names))
                .order_by(col(QuestionState.candidate))
            ).all()
            return {
                row.question_id: LearningState(
                    attempts=row.attempts,
                    last_score=row.last_score,
                    best_score=row.best_score,
                    last_reviewed=_from_db(row.last_reviewed_at),
                    due=_from_db(row.due_at),
                    card_json=row.card_json,
                )
                for row in rows
            }

    # Candidates and the cohort

    def _unnamed_owner(self) -> str | None:
        """Whose the sessions from before names are: on an SQLite file, one user's own log,
        its owner's (the candidate it was opened for); on a shared database, nobody's."""
        return self._owner_name if self._engine.dialect.name == "sqlite" else None

    def _of(self, candidate: str) -> ColumnElement[bool]:
        """The filter on sessions that keeps `candidate`'s."""
        column = col(InterviewSession.candidate)
        if candidate == self._unnamed_owner():
            return column.in_([candidate, ""])
        return column == candidate

    def _owner(self, stored: str) -> str:
        """Whose a session is, from the name it was recorded under."""
        return stored or (self._unnamed_owner() or "")

    def is_mentor(self) -> bool:
        """Whether the candidate may see the cohort: the configuration says so, or the
        `mentor` table (a shared database's list of mentors) names them."""
        if self.candidate in self.configured_mentors:
            return True
        with self._reading() as db:
            return db.get(Mentor, self.candidate) is not None

    def add_mentor(self, name: str) -> None:
        """Name `name` a mentor in the database's `mentor` table (kept if already there)."""
        with self._writing() as db:
            if db.get(Mentor, name) is None:
                db.add(Mentor(name=name))

    def _require_mentor(self) -> None:
        if not self.is_mentor():
            raise NotAMentorError(self.candidate)

    def candidate_sessions(self, candidate: str) -> list[SessionSummary]:
        """Another candidate's sessions, newest first, for a mentor (NotAMentorError else)."""
        self._require_mentor()
        with self._reading() as db:
            return self._summaries(db, owner=self._of(candidate))

    def cohort(self) -> CohortOverview:
        """Every candidate's standing and the questions the cohort fails most, for a mentor.

        Raises NotAMentorError for anyone else. Main questions only, graded or skipped (a skip
        counts 0), as in every average; key points are read from the grades of the few
        questions listed.
        """
        self._require_mentor()
        with self._reading() as db:
            connection = db.connection()
            sessions = connection.execute(
                sa_select(
                    col(InterviewSession.id),
                    col(InterviewSession.candidate),
                    col(InterviewSession.started_at),
                )
            ).all()
            scored = [row[:4] for row in _final_scores(connection.execute(_FINAL_MAIN_TURNS).all())]
            owner_of: dict[int, str] = {
                sid: self._owner(name) for sid, name, _ in sessions if sid is not None
            }
            troubles = _troubles(scored, owner_of)
            details = connection.execute(
                sa_select(
                    col(Turn.question_id),
                    col(Turn.question_text),
                    col(Turn.category),
                    col(Turn.grade_json),
                )
                .where(
                    col(Turn.question_id).in_([t.question_id for t in troubles]),
                    col(Turn.follow_up_of).is_(None),
                )
                .order_by(col(Turn.id))
            ).all()
        return CohortOverview(
            candidates=_standings(sessions, scored, owner_of),
            troubles=[_with_key_points(t, details) for t in troubles],
            failing_below=FAILING_BELOW,
        )

    def _summaries(
        self,
        db: Session,
        *,
        status: SessionStatus | None = None,
        session_id: int | None = None,
        owner: ColumnElement[bool] | None = None,
    ) -> list[SessionSummary]:
        """Summaries of the matching sessions, newest first (`owner`: a filter on whose)."""
        sessions = select(InterviewSession).order_by(
            col(InterviewSession.started_at).desc(), col(InterviewSession.id).desc()
        )
        totals = sa_select(
            col(Turn.session_id),
            func.max(col(Turn.submitted_at)),
        ).group_by(col(Turn.session_id))
        # What counting needs of each turn, in order: counted by `count_turns`, as every
        # screen counts a session's detail.
        facts = sa_select(
            col(Turn.session_id),
            col(Turn.question_id),
            col(Turn.follow_up_of),
            col(Turn.skipped),
            _COUNTED_SCORE,
        ).order_by(col(Turn.session_id), col(Turn.order), col(Turn.id))
        if owner is not None:
            sessions = sessions.where(owner)
            # Turns of the candidate's sessions only: a shared log holds everyone's.
            mine = sa_select(col(InterviewSession.id)).where(owner)
            totals = totals.where(col(Turn.session_id).in_(mine))
            facts = facts.where(col(Turn.session_id).in_(mine))
        if status is not None:
            sessions = sessions.where(InterviewSession.status == status.value)
        if session_id is not None:
            sessions = sessions.where(InterviewSession.id == session_id)
            totals = totals.where(col(Turn.session_id) == session_id)
            facts = facts.where(col(Turn.session_id) == session_id)
        connection = db.connection()
        last_submitted: dict[int | None, Any] = {
            row[0]: row[1] for row in connection.execute(totals).all()
        }
        turns_of: dict[int | None, list[_TurnFacts]] = defaultdict(list)
        for sid, question_id, follow_up_of, skipped, score in connection.execute(facts).all():
            turns_of[sid].append(_TurnFacts(question_id, follow_up_of, bool(skipped), score))
        now = datetime.now(UTC)
        return [
            _summary(
                row,
                count_turns(turns_of[row.id]),
                # Each question once, by its final state, as the summary and reports count it.
                mean_score(turns_of[row.id]),
                last_submitted.get(row.id),
                open_elsewhere=row.held_by not in (None, self.holder)
                and row.held_until is not None
                and _from_db(row.held_until) > now,
            )
            for row in db.exec(sessions).all()
        ]


@dataclass(frozen=True)
class _TurnFacts:
    """A turn as counting sees it (see `count_turns`)."""

    question_id: str
    follow_up_of: int | None
    skipped: bool
    score: int | None


def _summary(
    row: InterviewSession,
    counts: TurnCounts,
    average: float | None,
    last_submitted: datetime | None,
    *,
    open_elsewhere: bool = False,
) -> SessionSummary:
    assert row.id is not None
    started = _from_db(row.started_at)
    ended = _from_db(row.ended_at) if row.ended_at is not None else None
    until = ended or (_from_db(last_submitted) if last_submitted is not None else None)
    return SessionSummary(
        id=row.id,
        started_at=started,
        ended_at=ended,
        status=SessionStatus(row.status),
        mode=row.mode,
        lang=row.lang,
        settings=json.loads(row.settings_json),
        model_id=row.model_id,
        bank_version=row.bank_version,
        turn_count=counts.turns,
        answered_count=counts.answers,
        graded_count=counts.graded,
        average_score=float(average) if average is not None else None,
        duration=max(until - started, timedelta(0)) if until is not None else None,
        counts=counts,
        candidate=row.candidate,
        open_elsewhere=open_elsewhere,
    )


def _set_grade(row: Turn, grade: Grade | None) -> None:
    row.score = grade.score if grade is not None else None
    row.verdict = grade.verdict.value if grade is not None else None
    row.grade_json = json.dumps(grade.to_dict()) if grade is not None else None
    row.contradicted = len(grade.contradicted) if grade is not None and grade.verifier_id else None


def _turn_record(row: Turn, disputes: dict[int, DisputeRecord] | None = None) -> TurnRecord:
    assert row.id is not None
    return TurnRecord(
        id=row.id,
        session_id=row.session_id,
        order=row.order,
        question_id=row.question_id,
        question_text=row.question_text,
        reference_answer=row.reference_answer,
        category=row.category,
        answer=row.answer,
        grade=Grade.from_dict(json.loads(row.grade_json)) if row.grade_json else None,
        hints_used=row.hints_used,
        skipped=row.skipped,
        follow_up_of=row.follow_up_of,
        shown_at=_from_db(row.shown_at),
        submitted_at=_from_db(row.submitted_at),
        dispute=(disputes or {}).get(row.id),
    )


def _tally(answers: Sequence[DisputedAnswer]) -> tuple[int, int, int]:
    """(disputed, accepted, rejected) among these disputed answers."""
    return (
        len(answers),
        sum(a.dispute.status is DisputeStatus.ACCEPTED for a in answers),
        sum(a.dispute.status is DisputeStatus.REJECTED for a in answers),
    )


def _set_status_if_open(
    db: Session, row: Dispute, status: DisputeStatus, *, by: str | None, at: datetime, note: str
) -> bool:
    """End an open dispute, unless someone ended it first (False): one conditional UPDATE,
    so of two mentors settling it at once on PostgreSQL, exactly one wins."""
    values: dict[str, Any] = {"status": status.value}
    if by is not None:
        values |= {"settled_by": by, "settled_at": _to_db(at), "note": " ".join(note.split())}
    result = db.execute(
        sa_update(Dispute)
        .where(col(Dispute.id) == row.id, col(Dispute.status) == DisputeStatus.OPEN.value)
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _dispute_record(row: Dispute) -> DisputeRecord:
    assert row.id is not None
    return DisputeRecord(
        id=row.id,
        turn_id=row.turn_id,
        candidate=row.candidate,
        created_at=_from_db(row.created_at),
        grade=Grade.from_dict(json.loads(row.grade_json)),
        reason=row.reason,
        status=DisputeStatus(row.status),
        settled_by=row.settled_by,
        settled_at=_from_db(row.settled_at) if row.settled_at is not None else None,
        note=row.note,
    )


def _newest_disputes(db: Session, turn_ids: Sequence[int | None]) -> dict[int, DisputeRecord]:
    """The newest dispute of each of these turns that has one, by turn id."""
    found: dict[int, DisputeRecord] = {}
    ids = [i for i in turn_ids if i is not None]
    for start in range(0, len(ids), 500):  # bound the IN list
        rows = db.exec(
            select(Dispute)
            .where(col(Dispute.turn_id).in_(ids[start : start + 500]))
            .order_by(col(Dispute.id))
        ).all()
        for row in rows:
            found[row.turn_id] = _dispute_record(row)
    return found


_QUESTION_LOCKS = 0x71737461  # "qsta"
"""First key of the PostgreSQL advisory locks on one question's learning state."""


def _lock_question(db: Session, candidate: str, question_id: str) -> None:
    """Hold the candidate's learning state of the question until the transaction ends, on
    PostgreSQL.

    Two candidates answering the same question at once would both read its turns without the
    other's, then both insert its state (a duplicate key) or one overwrite the other. SQLite
    needs nothing: a write transaction there holds the whole file (BEGIN IMMEDIATE).
    """
    if db.get_bind().dialect.name == "postgresql":
        db.execute(
            text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
            {"space": _QUESTION_LOCKS, "key": f"{candidate}\n{question_id}"},
        )


def _claim_unnamed(db: Session, candidate: str) -> None:
    """Make the sessions recorded before names `candidate`'s, and their learning state."""
    unnamed = db.exec(
        select(InterviewSession.id).where(InterviewSession.candidate == "").limit(1)
    ).first()
    if unnamed is None:
        return
    db.exec(  # type: ignore[call-overload]
        sa_update(InterviewSession)
        .where(col(InterviewSession.candidate) == "")
        .values(candidate=candidate)
    )
    questions = set(
        db.exec(select(QuestionState.question_id).where(QuestionState.candidate == "")).all()
    )
    db.exec(delete(QuestionState).where(col(QuestionState.candidate) == ""))
    db.flush()
    for question_id in questions:
        _rebuild_learning_state(db, candidate, question_id)


def _rebuild_learning_state(db: Session, candidate: str, question_id: str) -> None:
    """Replay the candidate's reviews of the question in time order: a late grade or a deleted
    session is exact."""
    # Locked before reading: the turns read then include every one committed before us.
    _lock_question(db, candidate, question_id)
    reviews = (
        db.connection()
        .execute(
            sa_select(_COUNTED_SCORE, col(Turn.submitted_at))
            .join(InterviewSession, col(Turn.session_id) == col(InterviewSession.id))
            .where(
                col(InterviewSession.candidate) == candidate,
                col(Turn.question_id) == question_id,
                col(Turn.follow_up_of).is_(None),
                col(Turn.score).is_not(None) | col(Turn.skipped).is_(True),
            )
            .order_by(col(Turn.submitted_at), col(Turn.id))
        )
        .all()
    )
    state: LearningState | None = None
    for score, submitted_at in reviews:
        state = review(state, score if score is not None else 0, _from_db(submitted_at))
    row = db.get(QuestionState, {"candidate": candidate, "question_id": question_id})
    if state is None:
        if row is not None:
            db.delete(row)
        return
    row = row or QuestionState(
        candidate=candidate,
        question_id=question_id,
        attempts=0,
        last_score=0,
        best_score=0,
        last_reviewed_at=_to_db(state.last_reviewed),
        due_at=_to_db(state.due),
        card_json="",
    )
    row.attempts = state.attempts
    row.last_score = state.last_score
    row.best_score = state.best_score
    row.last_reviewed_at = _to_db(state.last_reviewed)
    row.due_at = _to_db(state.due)
    row.card_json = state.card_json
    db.add(row)


def _mean(scores: list[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def _standings(
    sessions: Sequence[Any], scored: Sequence[Any], owner_of: dict[int, str]
) -> list[CandidateStanding]:
    """Each candidate's counts, averages, trend and weakest categories."""
    started: dict[int, datetime] = {sid: _from_db(when) for sid, _, when in sessions}
    sessions_of: defaultdict[str, list[int]] = defaultdict(list)
    for sid, _, _ in sessions:
        sessions_of[owner_of[sid]].append(sid)
    scores_of: defaultdict[int, list[int]] = defaultdict(list)
    by_category: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    for sid, _, category, score in scored:
        scores_of[sid].append(int(score))
        by_category[(owner_of[sid], category)].append(int(score))
    standings = []
    for name in sorted(sessions_of):
        ids = sorted(sessions_of[name], key=lambda sid: (started[sid], sid))
        # The trend is over sessions with something scored: an empty one says nothing.
        with_scores = [sid for sid in ids if scores_of[sid]]
        recent, earlier = with_scores[-TREND_SESSIONS:], with_scores[:-TREND_SESSIONS]
        categories = [
            CategoryScore(category, sum(s) / len(s), len(s))
            for (owner, category), s in by_category.items()
            if owner == name
        ]
        categories.sort(key=lambda c: (c.average_score, c.category))
        every = [score for sid in ids for score in scores_of[sid]]
        standings.append(
            CandidateStanding(
                candidate=name,
                sessions=len(ids),
                answers=len(every),
                average_score=_mean(every),
                recent_average=_mean([s for sid in recent for s in scores_of[sid]]),
                earlier_average=_mean([s for sid in earlier for s in scores_of[sid]]),
                weakest=tuple(categories[:3]),
                last_session_at=started[ids[-1]],
            )
        )
    return standings


def _troubles(scored: Sequence[Any], owner_of: dict[int, str]) -> list[QuestionTrouble]:
    """The questions failed most: most failed attempts, then lowest average, first."""
    scores: defaultdict[str, list[int]] = defaultdict(list)
    who: defaultdict[str, set[str]] = defaultdict(set)
    for sid, question_id, _, score in scored:
        scores[question_id].append(int(score))
        who[question_id].add(owner_of[sid])
    failing = [
        QuestionTrouble(
            question_id=question_id,
            question_text="",
            category="",
            attempts=len(s),
            candidates=len(who[question_id]),
            failed=sum(score < FAILING_BELOW for score in s),
            average_score=sum(s) / len(s),
        )
        for question_id, s in scores.items()
    ]
    failing = [t for t in failing if t.failed]
    failing.sort(key=lambda t: (-t.failed, t.average_score, t.question_id))
    return failing[:TROUBLE_QUESTIONS]


def _with_key_points(trouble: QuestionTrouble, turns: Sequence[Any]) -> QuestionTrouble:
    """The question's wording, category and its most missed or contradicted key points, from
    the grades of its main turns (`turns`: question id, text, category, grade JSON, oldest
    first)."""
    text, category = trouble.question_text, trouble.category
    missed: Counter[str] = Counter()
    contradicted: Counter[str] = Counter()
    point_text: dict[str, str] = {}
    graded = 0
    for question_id, question_text, turn_category, grade_json in turns:
        if question_id != trouble.question_id:
            continue
        text, category = question_text, turn_category  # the newest wording wins
        if not grade_json:
            continue
        graded += 1
        for point in Grade.from_dict(json.loads(grade_json)).key_points:
            point_text[point.id] = point.text
            if point.status is Coverage.MISSED:
                missed[point.id] += 1
            elif point.status is Coverage.CONTRADICTED:
                contradicted[point.id] += 1
    worst = sorted((missed + contradicted).items(), key=lambda item: (-item[1], item[0]))[:3]
    points = tuple(
        KeyPointTrouble(kp, point_text[kp], missed[kp], contradicted[kp], graded) for kp, _ in worst
    )
    return replace(trouble, question_text=text, category=category, key_points=points)
