"""What every report format shows, worked out once: questions and follow-ups, notices, times,
and both grades of a disputed answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from assistant.grading.grade import Coverage, Grade
from assistant.grading.overrule import changed_marks
from assistant.knowledge.models import Lang
from assistant.reports.wording import label, verdict_words
from assistant.store.records import (
    DisputeRecord,
    DisputeStatus,
    SessionDetail,
    SessionStatus,
    SessionSummary,
    TurnRecord,
    final_turns,
)


@dataclass(frozen=True)
class QuestionBlock:
    """One main question of a session, with the follow-ups asked about it, in order."""

    turn: TurnRecord
    follow_ups: list[TurnRecord] = field(default_factory=list)


def question_blocks(turns: Sequence[TurnRecord]) -> list[QuestionBlock]:
    """The turns grouped under their main question, in the order they were asked."""
    ids = {t.id for t in turns}
    blocks: list[QuestionBlock] = []
    by_id: dict[int, QuestionBlock] = {}
    for turn in sorted(turns, key=lambda t: (t.order, t.id)):
        parent = turn.follow_up_of
        # A follow-up whose question is not in this session is shown on its own, not lost.
        if parent is not None and parent in ids and parent in by_id:
            by_id[parent].follow_ups.append(turn)
            continue
        block = QuestionBlock(turn)
        blocks.append(block)
        by_id[turn.id] = block
    return blocks


@dataclass(frozen=True)
class SummaryRow:
    """One line of a session's summary table: a question or a follow-up, how it went, in words.

    Counts are text so that every format shows an ungraded turn the same way (an em dash).
    """

    number: str
    """`1`, `2`... for a main question, `↳` for a follow-up under it."""
    question: str
    """As asked (a person never typed it, but formats still escape it)."""
    score: str
    """The counted score; for a disputed answer, the other grade's score beside it."""
    verdict: str
    """The counted verdict in words, or why there is none (skipped, not graded yet)."""
    status: str
    """A stable code for styling: the verdict's value, `skipped` or `not-graded`."""
    covered: str
    partial: str
    missed: str
    contradicted: str
    """Key points the answer said the opposite of (the counts are the counted grade's marks)."""

    @property
    def follow_up(self) -> bool:
        """True for a follow-up row."""
        return self.number == "↳"


def summary_rows(detail: SessionDetail, lang: Lang) -> list[SummaryRow]:
    """The session at a glance, one row per question then its follow-ups, in the order asked."""
    rows: list[SummaryRow] = []
    for n, block in enumerate(question_blocks(detail.turns), start=1):
        for turn in [block.turn, *block.follow_ups]:
            rows.append(_summary_row(turn, "↳" if turn is not block.turn else str(n), lang))
    return rows


def _summary_row(turn: TurnRecord, number: str, lang: Lang) -> SummaryRow:
    grade = turn.counted_grade
    if grade is None:
        status = "skipped" if turn.skipped else "not-graded"
        words = label("skipped" if turn.skipped else "not_graded", lang)
        return SummaryRow(number, turn.question_text, "—", words, status, "—", "—", "—", "—")
    counts = {c: sum(1 for p in grade.key_points if p.status is c) for c in Coverage}
    score = str(grade.score)
    view = dispute_view(turn)
    if view is not None:
        # The counted score, and the other grade beside it: `100 (grader 50)`, `50 (yours 100)`.
        key = "score_and_grader" if view.counts else "score_and_yours"
        other = view.grader.score if view.counts else view.yours.score
        score = label(key, lang, score=score, other=other)
    return SummaryRow(
        number,
        turn.question_text,
        score,
        verdict_words(grade.verdict, lang),
        grade.verdict.value,
        str(counts[Coverage.COVERED]),
        str(counts[Coverage.PARTIAL]),
        str(counts[Coverage.MISSED]),
        str(counts[Coverage.CONTRADICTED]),
    )


SHOWN_DISPUTES = (DisputeStatus.OPEN, DisputeStatus.ACCEPTED, DisputeStatus.REJECTED)
"""The disputes a report shows: waiting for a mentor, or settled by one. A withdrawn dispute
(the candidate put the grader's marks back) or a replaced one (a newer one stands) is not."""


@dataclass(frozen=True)
class MarkChange:
    """A key point the candidate marked otherwise than the grader."""

    id: str
    text: str
    grader: Coverage
    yours: Coverage


@dataclass(frozen=True)
class DisputeView:
    """A disputed answer as every report shows it: both grades, the marks that differ, and
    where the dispute stands."""

    dispute: DisputeRecord
    grader: Grade
    """The machine's grade (`TurnRecord.grade`), kept whatever the ruling."""
    changes: dict[str, MarkChange]
    """The key points marked differently, by key point id."""

    @property
    def yours(self) -> Grade:
        """The candidate's grade: the grader's key points with the candidate's marks."""
        return self.dispute.grade

    @property
    def counts(self) -> bool:
        """Whether the candidate's grade is the counted one (open or accepted)."""
        return self.dispute.status.counts


def dispute_view(turn: TurnRecord) -> DisputeView | None:
    """The turn's dispute, when a report shows it: one in `SHOWN_DISPUTES` whose grade differs
    from the grader's. None for every other turn, which then renders as it always did."""
    dispute, grader = turn.dispute, turn.grade
    if dispute is None or grader is None or dispute.status not in SHOWN_DISPUTES:
        return None
    changes = {
        point.id: MarkChange(point.id, point.text, point.status, mark)
        for point, mark in changed_marks(grader, dispute.grade)
    }
    yours = dispute.grade
    if not changes and (yours.score, yours.verdict) == (grader.score, grader.verdict):
        return None
    return DisputeView(dispute, grader, changes)


def _grade_words(grade: Grade, lang: Lang) -> str:
    return f"{grade.score}/100 ({verdict_words(grade.verdict, lang)})"


def score_words(turn: TurnRecord, lang: Lang) -> str:
    """A turn's score in words: `62/100 (Adequate)`, or why there is none; for a disputed
    answer both grades, the counted one first: `your grade 100/100 (Strong), grader 50/100
    (Partial)`, or `grader 50/100 (Partial), your grade 100/100 (Strong) not counted`."""
    if turn.grade is None:
        return label("skipped", lang).lower() if turn.skipped else label("not_graded", lang)
    view = dispute_view(turn)
    if view is None:
        return _grade_words(turn.grade, lang)
    yours = label(
        "your_grade", lang, score=view.yours.score, verdict=verdict_words(view.yours.verdict, lang)
    )
    grader = label(
        "grader_grade",
        lang,
        score=view.grader.score,
        verdict=verdict_words(view.grader.verdict, lang),
    )
    if view.counts:
        return f"{yours}, {grader}"
    return f"{grader}, {yours} {label('not_counted', lang)}"


def ruling_words(view: DisputeView, lang: Lang, tz: tzinfo | None) -> str:
    """Where the dispute stands, and so whose grade counts, in one sentence."""
    dispute = view.dispute
    if dispute.status is DisputeStatus.OPEN or dispute.settled_at is None:
        return label("dispute_open", lang, when=when_text(dispute.created_at, tz))
    key = "dispute_accepted" if dispute.status is DisputeStatus.ACCEPTED else "dispute_rejected"
    when = when_text(dispute.settled_at, tz)
    return label(key, lang, mentor=dispute.settled_by or "?", when=when)


def own_grade_count(turns: Sequence[TurnRecord]) -> int:
    """How many of the answers the average is over counted with the candidate's own grade."""
    return sum(turn.own_grade is not None for turn in final_turns(turns))


def average_note(detail: SessionDetail, lang: Lang) -> str:
    """Beside the average: how many answers in it counted with the candidate's own grade;
    '' when none did."""
    n = own_grade_count(detail.turns)
    if not n:
        return ""
    return label("own_grades_one", lang) if n == 1 else label("own_grades_many", lang, n=n)


def notice_codes(detail: SessionDetail) -> list[str]:
    """Why the numbers may be partial: `in-progress`, `abandoned`, `empty` (in that order)."""
    codes: list[str] = []
    status = detail.session.status
    if status is SessionStatus.IN_PROGRESS:
        codes.append("in-progress")
    elif status is SessionStatus.ABANDONED:
        codes.append("abandoned")
    if not detail.turns:
        codes.append("empty")
    return codes


def notices(detail: SessionDetail, lang: Lang) -> list[str]:
    """What the reader must know before trusting the numbers, in words."""
    return [label(f"notice_{code}", lang) for code in notice_codes(detail)]


def time_taken(turn: TurnRecord) -> timedelta:
    """From the question shown to the answer submitted (never negative)."""
    return max(turn.submitted_at - turn.shown_at, timedelta(0))


def clock_text(span: timedelta | None) -> str:
    """`m:ss` or `h:mm:ss`; an em dash when unknown."""
    if span is None:
        return "—"
    total = max(0, int(span.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def when_text(when: datetime, tz: tzinfo | None) -> str:
    """A date and time for people, in `tz` (the local zone when None), with the zone's name."""
    local = when.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or ''}".rstrip()


def average_text(summary: SessionSummary) -> str:
    """The session's average score out of 100, or an em dash when nothing is graded."""
    return "—" if summary.average_score is None else f"{summary.average_score:.0f}/100"


def question_counts(detail: SessionDetail, lang: Lang) -> str:
    """Questions asked, answered, skipped, and follow-ups, in one line."""
    main = [t for t in detail.turns if t.follow_up_of is None]
    return label(
        "question_counts",
        lang,
        asked=len(main),
        answered=sum(1 for t in main if not t.skipped),
        skipped=sum(1 for t in main if t.skipped),
        follow_ups=len(detail.turns) - len(main),
    )


def distinct(values: Sequence[str]) -> list[str]:
    """The values in first-seen order, without repeats or blanks."""
    return list(dict.fromkeys(v for v in values if v))


def models_and_banks(details: Sequence[SessionDetail]) -> tuple[list[str], list[str]]:
    """Every grading model and bank version the sessions name, first seen first."""
    models = distinct([d.session.model_id for d in details])
    banks = distinct([d.session.bank_version for d in details])
    return models, banks
