"""Progress lines per category and the questions that stay weak (headless)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from assistant.knowledge.scheduler import LearningState
from assistant.reports.progress import progress_series, weak_questions
from assistant.store.records import CategoryPoint


def test_days_become_columns_with_gaps_where_a_category_was_not_asked() -> None:
    points = [
        CategoryPoint(date(2025, 3, 1), "fundamentals", 40.0, 2),
        CategoryPoint(date(2025, 3, 1), "cloud", 70.0, 1),
        CategoryPoint(date(2025, 3, 4), "fundamentals", 60.0, 3),
    ]
    series = progress_series(points)
    assert series.period == "day"
    assert series.starts == [date(2025, 3, 1), date(2025, 3, 4)]
    assert series.scores == {"fundamentals": [40.0, 60.0], "cloud": [70.0, None]}


def test_many_days_are_grouped_by_week_weighted_by_answers() -> None:
    monday = date(2025, 1, 6)
    points = [CategoryPoint(monday + timedelta(days=d), "technical", 50.0, 1) for d in range(40)]
    # One busy day pulls its week's average the way its answers do, not the way one day would.
    points[1] = CategoryPoint(monday + timedelta(days=1), "technical", 90.0, 6)
    series = progress_series(points, max_points=30)
    assert series.period == "week"
    assert series.starts[0] == monday and len(series.starts) == 6
    assert series.scores["technical"][0] == (90 * 6 + 50 * 6) / 12


def test_no_points_gives_an_empty_series() -> None:
    series = progress_series([])
    assert series.starts == [] and series.scores == {}


def _state(attempts: int, last: int, best: int) -> LearningState:
    when = datetime(2025, 3, 1, tzinfo=UTC)
    return LearningState(attempts, last, best, when, when + timedelta(days=1), "{}")


def test_weak_questions_rank_repeated_failures_first() -> None:
    states = {
        "once-bad": _state(1, 10, 10),
        "twice-bad": _state(2, 40, 45),
        "recovered": _state(3, 80, 80),
        "borderline": _state(2, 50, 60),
    }
    weak = weak_questions(states, below=50)
    assert [w.question_id for w in weak] == ["twice-bad", "once-bad"]
    assert weak[0].attempts == 2 and weak[0].best_score == 45
    assert [w.question_id for w in weak_questions(states, below=50, limit=1)] == ["twice-bad"]
