"""The end-of-interview summary, computed from the session log (headless)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from assistant.knowledge.models import Category
from assistant.knowledge.scheduler import (
    Choosable,
    LearningState,
    Need,
    draw_seed,
    rank_questions,
)
from assistant.store.records import SessionDetail, TurnCounts, TurnRecord, final_turns, mean_score


@dataclass(frozen=True)
class NextQuestion:
    """A question to practise next, and why: due (when), weak (last score) or never asked."""

    question_id: str
    need: Need
    due: datetime | None
    """When FSRS wants it asked again; None when it was never answered."""
    last_score: int | None
    """Score of its latest answer (a skip counts as 0); None when it was never answered."""


@dataclass(frozen=True)
class InterviewSummary:
    """What the candidate sees at the end of an interview."""

    overall: float | None
    """Mean score of the graded main answers (skips count as 0); None when none graded."""
    per_category: dict[str, float]
    """Mean score per category, in the order the categories were asked."""
    strongest: TurnRecord | None
    weakest: TurnRecord | None
    counts: TurnCounts
    """Questions, answers and grades, counted as the review screen counts them."""
    practise_next: list[NextQuestion]
    """What the next interview with the same choices would start from (see `rank_questions`)."""


def summarize(
    detail: SessionDetail,
    states: Mapping[str, LearningState],
    *,
    candidates: Sequence[Choosable] = (),
    now: datetime | None = None,
    limit: int = 3,
    categories: Mapping[str, Category] | None = None,
) -> InterviewSummary:
    """Summarize one session (each main question counted once, by its last answer).

    What to practise next is chosen among `candidates` (the questions the session's choices
    allow) by the scheduler from the learning `states` at `now`, as the next interview would be:
    due or weak questions first, never-asked ones mixed in. Without `now` nothing is proposed.
    """
    # A question skipped and asked again later in the session counts once, by its last answer.
    main = sorted(final_turns(detail.turns), key=lambda t: t.order)
    graded = [t for t in main if t.grade is not None]
    skipped = [t for t in main if t.skipped]
    # The counted score: the candidate's own where their dispute of the grade stands.
    scored: list[tuple[TurnRecord, int]] = [(t, t.score) for t in graded if t.score is not None]
    scored += [(t, 0) for t in skipped if t.grade is None]
    by_category: dict[str, list[int]] = defaultdict(list)
    for turn, score in sorted(scored, key=lambda p: p[0].order):
        by_category[turn.category].append(score)
    ranked = sorted(graded, key=lambda t: (t.score or 0, t.order))
    proposals = (
        # The seed the next session draws with (see `draw_seed`): the preview is what it asks.
        rank_questions(
            candidates,
            states,
            count=limit,
            now=now,
            seed=draw_seed(states),
            categories=categories,
        )
        if now is not None
        else []
    )
    practise_next = [
        NextQuestion(
            p.question.id,
            p.need,
            p.state.due if p.state else None,
            p.state.last_score if p.state else None,
        )
        for p in proposals
    ]
    return InterviewSummary(
        overall=mean_score(detail.turns) if graded else None,
        per_category={c: sum(v) / len(v) for c, v in by_category.items()},
        strongest=ranked[-1] if ranked else None,
        weakest=ranked[0] if len(ranked) > 1 else None,
        counts=detail.counts,
        practise_next=practise_next,
    )
