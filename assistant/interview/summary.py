"""The end-of-interview summary, computed from the session log (headless)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from assistant.knowledge.scheduler import LearningState
from assistant.store.records import SessionDetail, TurnRecord


@dataclass(frozen=True)
class DueQuestion:
    """A question to practise next, with when it is due."""

    question_id: str
    due: datetime
    last_score: int | None


@dataclass(frozen=True)
class InterviewSummary:
    """What the candidate sees at the end of an interview."""

    overall: float | None
    """Mean score of the graded main answers (skips count as 0); None when none graded."""
    per_category: dict[str, float]
    """Mean score per category, in the order the categories were asked."""
    strongest: TurnRecord | None
    weakest: TurnRecord | None
    answered: int
    graded: int
    skipped: int
    practise_next: list[DueQuestion]


def summarize(
    detail: SessionDetail, states: Mapping[str, LearningState], *, limit: int = 3
) -> InterviewSummary:
    """Summarize one session; `states` gives the due dates for what to practise next."""
    main = [t for t in detail.turns if t.follow_up_of is None]
    graded = [t for t in main if t.grade is not None]
    skipped = [t for t in main if t.skipped]
    scored: list[tuple[TurnRecord, int]] = [(t, t.grade.score) for t in graded if t.grade]
    scored += [(t, 0) for t in skipped if t.grade is None]
    by_category: dict[str, list[int]] = defaultdict(list)
    for turn, score in sorted(scored, key=lambda p: p[0].order):
        by_category[turn.category].append(score)
    ranked = sorted(graded, key=lambda t: (t.score or 0, t.order))
    due = sorted(
        (
            DueQuestion(qid, state.due, state.last_score)
            for qid, state in states.items()
            if state.due is not None
        ),
        key=lambda d: (d.due, d.last_score if d.last_score is not None else -1),
    )
    return InterviewSummary(
        overall=(sum(s for _, s in scored) / len(scored)) if graded else None,
        per_category={c: sum(v) / len(v) for c, v in by_category.items()},
        strongest=ranked[-1] if ranked else None,
        weakest=ranked[0] if len(ranked) > 1 else None,
        answered=len(main) - len(skipped),
        graded=len(graded),
        skipped=len(skipped),
        practise_next=due[:limit],
    )
