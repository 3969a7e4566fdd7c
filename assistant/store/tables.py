"""SQLModel tables of the session log; the schema itself is made by `migrations`, not create_all."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

# Datetimes are written in UTC: SQLite has no time zone type and stores the wall time, so one
# convention keeps ordering and comparison right. The repository converts at the boundary.


class InterviewSession(SQLModel, table=True):
    """One interview, from the first question to its end."""

    __tablename__ = "interview_session"

    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime
    ended_at: datetime | None = None
    status: str
    mode: str
    lang: str
    settings_json: str
    model_id: str
    bank_version: str
    candidate: str = ""
    """Who took the interview ('' for sessions recorded before candidates had names)."""
    held_by: str | None = None
    """The window (process) that has the session open, while its lease runs (see `held_until`)."""
    held_until: datetime | None = None
    """When the holder's lease ends unless renewed: a holder that died frees it by then."""


class Turn(SQLModel, table=True):
    """One question asked in a session and the answer given, as they were at the time."""

    __tablename__ = "turn"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="interview_session.id", ondelete="CASCADE")
    order: int
    question_id: str
    question_text: str
    reference_answer: str
    category: str
    answer: str
    score: int | None = None
    verdict: str | None = None
    grade_json: str | None = None
    contradicted: int | None = None
    """Key points the answer said the opposite of (None: ungraded, or graded unverified)."""
    own_score: int | None = None
    """The candidate's own score while their dispute stands (open or accepted): every average
    and the schedule count it instead of `score`, which stays the machine's."""
    hints_used: int
    skipped: bool
    follow_up_of: int | None = Field(default=None, foreign_key="turn.id", ondelete="SET NULL")
    shown_at: datetime
    submitted_at: datetime


class QuestionState(SQLModel, table=True):
    """The learning state of one question, derived from its graded turns."""

    __tablename__ = "question_state"

    candidate: str = Field(default="", primary_key=True)
    """Whose learning state this is (each candidate has their own)."""
    question_id: str = Field(primary_key=True)
    attempts: int
    last_score: int
    best_score: int
    last_reviewed_at: datetime
    due_at: datetime
    card_json: str


class Mentor(SQLModel, table=True):
    """A candidate who may see the whole cohort on a shared log (see `SessionStore.is_mentor`)."""

    __tablename__ = "mentor"

    name: str = Field(primary_key=True)


class Dispute(SQLModel, table=True):
    """One time a candidate overruled a graded answer, and a mentor's ruling on it.

    Never updated but to settle it: a new dispute of the same answer is a new row (the newest
    is the one that stands), so the log keeps who marked what, and when.
    """

    __tablename__ = "dispute"

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", ondelete="CASCADE")
    candidate: str
    """Who overruled (the answer's candidate)."""
    created_at: datetime
    grade_json: str
    """The candidate's grade (`overrule.overruled`): the machine's key points, their marks."""
    score: int
    reason: str = ""
    status: str
    """`records.DisputeStatus`: open, accepted, rejected, or withdrawn/replaced by a newer one."""
    settled_by: str | None = None
    settled_at: datetime | None = None
    note: str = ""
    """The mentor's note on the ruling."""
