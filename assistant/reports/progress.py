"""Progress across sessions: per-category score lines for a chart, and questions that stay weak."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from assistant.knowledge.scheduler import LearningState
from assistant.store.records import CategoryPoint

Period = Literal["day", "week", "month"]
"""How long one point of a progress line lasts."""


@dataclass(frozen=True)
class ProgressSeries:
    """Average score per category per period (day, week or month): the lines of a chart."""

    period: Period
    starts: list[date]
    """The first day of every period with a graded answer, oldest first: the x axis."""
    scores: dict[str, list[float | None]]
    """Per category, one value per period of `starts`; None where it was not asked."""


def _period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def progress_series(points: Sequence[CategoryPoint], *, max_points: int = 30) -> ProgressSeries:
    """Chart lines from `SessionStore.category_averages()`, categories in first-seen order.

    Days become weeks, then months, when there are more than `max_points` of them: a terminal
    chart cannot show more points than it has columns, and a busy line hides the trend.
    """
    period: Period = "day"
    for period in ("day", "week", "month"):
        if len({_period_start(p.day, period) for p in points}) <= max_points:
            break
    totals: dict[tuple[str, date], list[float]] = {}
    for point in points:
        total = totals.setdefault((point.category, _period_start(point.day, period)), [0.0, 0])
        # Weighted by answers, so a period's average is the mean of its answers, not of its days.
        total[0] += point.average_score * point.count
        total[1] += point.count
    starts = sorted({start for _, start in totals})
    column = {start: i for i, start in enumerate(starts)}
    scores: dict[str, list[float | None]] = {}
    for (category, start), (weighted, count) in totals.items():
        line = scores.setdefault(category, [None] * len(starts))
        line[column[start]] = weighted / count if count else None
    return ProgressSeries(period, starts, scores)


@dataclass(frozen=True)
class WeakQuestion:
    """A question whose latest answer still scored below the bar."""

    question_id: str
    attempts: int
    last_score: int
    best_score: int
    due: datetime


def weak_questions(
    states: Mapping[str, LearningState], *, below: int, limit: int | None = None
) -> list[WeakQuestion]:
    """Questions whose last score is under `below`: tried most often first, then lowest score.

    Trying a question again and again without getting over the bar is what "stays weak" means,
    so repeated attempts rank before a single bad day.
    """
    weak = [
        WeakQuestion(qid, s.attempts, s.last_score, s.best_score, s.due)
        for qid, s in states.items()
        if s.last_score < below
    ]
    weak.sort(key=lambda w: (-w.attempts, w.last_score, w.question_id))
    return weak if limit is None else weak[:limit]
