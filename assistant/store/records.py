"""Plain records the session log hands out: what screens and reports read, never ORM rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from assistant.grading.grade import Grade, Verdict


class SessionStatus(StrEnum):
    """Where an interview session stands."""

    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class DisputeStatus(StrEnum):
    """Where a candidate's dispute of a grade stands."""

    OPEN = "open"
    """Waiting for a mentor; the candidate's grade counts meanwhile."""
    ACCEPTED = "accepted"
    """A mentor agreed: the candidate's grade counts."""
    REJECTED = "rejected"
    """A mentor upheld the machine's grade: it counts again."""
    WITHDRAWN = "withdrawn"
    """The candidate put back the machine's marks."""
    REPLACED = "replaced"
    """The candidate changed their marks again: a newer dispute stands."""

    @property
    def counts(self) -> bool:
        """Whether the candidate's grade is the one that counts while this dispute stands."""
        return self in (DisputeStatus.OPEN, DisputeStatus.ACCEPTED)


@dataclass(frozen=True)
class DisputeRecord:
    """A candidate's overruling of one graded answer, and how it was settled."""

    id: int
    turn_id: int
    candidate: str
    created_at: datetime
    grade: Grade
    """The candidate's grade: the machine's key points with their marks, rescored
    (`grading.overrule`)."""
    reason: str
    status: DisputeStatus
    settled_by: str | None = None
    settled_at: datetime | None = None
    note: str = ""
    """The mentor's note on the ruling."""


class CountedTurn(Protocol):
    """What counting needs of a turn (a `TurnRecord`, or a row of the log)."""

    @property
    def question_id(self) -> str: ...
    @property
    def follow_up_of(self) -> int | None: ...
    @property
    def skipped(self) -> bool: ...
    @property
    def score(self) -> int | None: ...


@dataclass(frozen=True)
class TurnCounts:
    """How many questions and answers a session holds: the one count every screen shows."""

    turns: int = 0
    """Every turn, follow-ups and skips included."""
    questions: int = 0
    """Main questions asked, each once (one skipped and asked again later counts once)."""
    answered: int = 0
    """Main questions whose last turn is an answer."""
    skipped: int = 0
    """Main questions whose last turn is a skip."""
    follow_ups: int = 0
    """Follow-up questions asked (answered or skipped)."""
    answers: int = 0
    """Answers given, follow-ups included (every turn not skipped)."""
    graded: int = 0
    """Of those answers, the ones that carry a grade."""


def count_turns(turns: Iterable[CountedTurn]) -> TurnCounts:
    """Count a session's turns, given in the order they were asked (the last turn of a main
    question decides whether it was answered or skipped)."""
    turns = list(turns)
    last_main: dict[str, bool] = {}
    for turn in turns:
        if turn.follow_up_of is None:
            last_main[turn.question_id] = turn.skipped
    answers = [t for t in turns if not t.skipped]
    return TurnCounts(
        turns=len(turns),
        questions=len(last_main),
        answered=sum(not skipped for skipped in last_main.values()),
        skipped=sum(last_main.values()),
        follow_ups=sum(t.follow_up_of is not None for t in turns),
        answers=len(answers),
        graded=sum(t.score is not None for t in answers),
    )


CountedT = TypeVar("CountedT", bound=CountedTurn)


def final_turns(turns: Iterable[CountedT]) -> list[CountedT]:
    """Each main question's last turn in one session, in the order of those final states: a
    question skipped and answered later is its answer; follow-ups are left out."""
    last: dict[str, CountedT] = {}
    for turn in turns:
        if turn.follow_up_of is None:
            last.pop(turn.question_id, None)  # re-inserted: the order of its final state
            last[turn.question_id] = turn
    return list(last.values())


def final_score(turn: CountedTurn) -> int | None:
    """What a question's final turn counts for: its score, 0 for a skip left as it is, None for
    an answer not graded yet."""
    if turn.score is not None:
        return turn.score
    return 0 if turn.skipped else None


def final_scores(turns: Iterable[CountedTurn]) -> list[int]:
    """Each main question's score by its last turn, in the order asked (see `final_turns` and
    `final_score`). The one average every screen and report shows is the mean of these."""
    return [v for v in map(final_score, final_turns(turns)) if v is not None]


def mean_score(turns: Iterable[CountedTurn]) -> float | None:
    """The session's average (see `final_scores`); None when nothing is scored."""
    scores = final_scores(turns)
    return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class SessionSummary:
    """One interview session with its totals, as listed on the review screen."""

    id: int
    started_at: datetime
    """When the session started (timezone-aware, UTC)."""
    ended_at: datetime | None
    """When it was finished or abandoned; None while in progress."""
    status: SessionStatus
    mode: str
    lang: str
    settings: dict[str, Any]
    """The interview settings it was started with (enough to resume it)."""
    model_id: str
    bank_version: str
    turn_count: int
    """Every turn, follow-ups and skips included."""
    answered_count: int
    """Turns not skipped."""
    graded_count: int
    """Turns that carry a grade."""
    average_score: float | None
    """Mean score of the main questions, a skip without a grade counting 0 (follow-ups and
    answers not graded yet are left out); None when there is nothing to average."""
    duration: timedelta | None
    """From the start to the end, or to the last submitted answer while in progress."""
    counts: TurnCounts = field(default_factory=TurnCounts)
    """Questions, answers and grades, counted by `count_turns` (the counts above come from it)."""
    candidate: str = ""
    """Who took it ('' for a session recorded before candidates had names)."""
    open_elsewhere: bool = False
    """Another window holds it open right now (its lease runs): it cannot be resumed here."""


@dataclass(frozen=True)
class TurnRecord:
    """One question asked and what the candidate answered, exactly as it happened."""

    id: int
    session_id: int
    order: int
    """Position in the session, from the caller (0 or 1 based, as recorded)."""
    question_id: str
    question_text: str
    """The question as it was asked (later bank edits do not change it)."""
    reference_answer: str
    """The reference answer as it was used for grading."""
    category: str
    answer: str
    """The candidate's text, exactly as typed."""
    grade: Grade | None
    """None when skipped without a grade, or not graded yet (see `set_turn_grade`)."""
    hints_used: int
    skipped: bool
    follow_up_of: int | None
    """Id of the turn this one follows up, if it is a follow-up question."""
    shown_at: datetime
    """When the question was shown (timezone-aware, UTC)."""
    submitted_at: datetime
    """When the answer was submitted (timezone-aware, UTC)."""
    dispute: DisputeRecord | None = None
    """The candidate's newest dispute of the grade, if any (settled or not)."""

    @property
    def own_grade(self) -> Grade | None:
        """The candidate's grade when it is the one that counts (their dispute is open or was
        accepted), else None."""
        if self.dispute is not None and self.dispute.status.counts:
            return self.dispute.grade
        return None

    @property
    def counted_grade(self) -> Grade | None:
        """The grade every average and the schedule use: the candidate's where it counts,
        else the machine's."""
        return self.own_grade or self.grade

    @property
    def score(self) -> int | None:
        """The counted grade's score, if graded (the machine's is `grade.score`)."""
        graded = self.counted_grade
        return graded.score if graded is not None else None

    @property
    def verdict(self) -> Verdict | None:
        """The counted grade's verdict, if graded."""
        graded = self.counted_grade
        return graded.verdict if graded is not None else None


@dataclass(frozen=True)
class SessionDetail:
    """One session with all its turns, in order."""

    session: SessionSummary
    turns: list[TurnRecord] = field(default_factory=list)

    @property
    def counts(self) -> TurnCounts:
        """Questions, answers and grades of this session (see `count_turns`)."""
        return count_turns(self.turns)


@dataclass(frozen=True)
class QuestionAttempt:
    """One turn of a question's history across sessions, with the session it belongs to."""

    turn: TurnRecord
    session_started_at: datetime
    session_mode: str
    session_lang: str


@dataclass(frozen=True)
class CategoryPoint:
    """The average score of one category on one day: a point of a progress chart."""

    day: date
    """The local calendar date the sessions started on."""
    category: str
    average_score: float
    count: int
    """How many main-question turns (graded, or skipped: 0) the average is over."""


@dataclass(frozen=True)
class CategoryScore:
    """A candidate's average score in one category."""

    category: str
    average_score: float
    count: int
    """How many main-question turns (graded, or skipped: 0) the average is over."""


@dataclass(frozen=True)
class CandidateStanding:
    """One candidate of the cohort at a glance: how much they practised and how it goes."""

    candidate: str
    """The name sessions were recorded under ('' for sessions from before names)."""
    sessions: int
    """Every session, in progress and abandoned ones included."""
    answers: int
    """Main-question turns that count in the average (graded, or skipped: 0)."""
    average_score: float | None
    """Mean score over those turns; None when there is none."""
    recent_average: float | None
    """Mean score over the turns of the candidate's last `TREND_SESSIONS` sessions."""
    earlier_average: float | None
    """Mean score over the turns of the sessions before those; None when there are none."""
    weakest: tuple[CategoryScore, ...] = ()
    """The categories with the lowest averages, weakest first (at most three)."""
    last_session_at: datetime | None = None
    """When their newest session started (timezone-aware, UTC)."""

    @property
    def trend(self) -> float | None:
        """Recent minus earlier average: above 0 improving, below 0 slipping; None if unknown."""
        if self.recent_average is None or self.earlier_average is None:
            return None
        return self.recent_average - self.earlier_average


TREND_SESSIONS = 5
"""A candidate's trend compares their last this-many sessions with the ones before."""


@dataclass(frozen=True)
class KeyPointTrouble:
    """A key point of a question the cohort keeps missing or contradicting."""

    id: str
    text: str
    missed: int
    """Graded answers that missed it."""
    contradicted: int
    """Graded answers that said the opposite."""
    graded: int
    """Graded answers to the question (what `missed` and `contradicted` are out of)."""


@dataclass(frozen=True)
class QuestionTrouble:
    """A question the cohort fails often, with the key points behind the failures."""

    question_id: str
    question_text: str
    """The question as last asked."""
    category: str
    attempts: int
    """Main-question turns that count (graded, or skipped: 0)."""
    candidates: int
    """Distinct candidates who answered it."""
    failed: int
    """Attempts scored under the "adequate" band (a skip is a failure)."""
    average_score: float
    key_points: tuple[KeyPointTrouble, ...] = ()
    """Most often missed or contradicted first (at most three)."""


@dataclass(frozen=True)
class CohortOverview:
    """The mentor's view of every candidate in the log."""

    candidates: list[CandidateStanding] = field(default_factory=list)
    """Alphabetical by name."""
    troubles: list[QuestionTrouble] = field(default_factory=list)
    """The questions failed most (most failures, then lowest average, first)."""
    failing_below: int = 50
    """The score under which an attempt counts as failed."""


@dataclass(frozen=True)
class DisputedAnswer:
    """A disputed answer as a mentor settles it: the dispute, the turn (with the machine's
    grade) and whose it is."""

    dispute: DisputeRecord
    turn: TurnRecord
    candidate: str


@dataclass(frozen=True)
class OverruleRate:
    """How often candidates overruled the grader on one question, or one of its key points."""

    question_id: str
    question_text: str
    key_point_id: str | None
    """None: the question as a whole (any of its key points)."""
    key_point_text: str
    graded: int
    """Graded answers to the question."""
    disputed: int
    """Of those, answers whose standing dispute changes this (any key point when None)."""
    accepted: int
    """Of the disputed, the ones a mentor accepted."""
    rejected: int
    """Of the disputed, the ones a mentor rejected."""

    @property
    def rate(self) -> float:
        """Disputed answers per graded answer."""
        return self.disputed / self.graded if self.graded else 0.0
