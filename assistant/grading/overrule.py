"""The candidate's own grade: the machine's key points with the candidate's marks, rescored.

A candidate who disagrees with a grade marks each key point covered, partly covered, missed or
contradicted. Their grade is scored from those marks alone, by a rule they can check in their
head: each key point is worth an equal share of 100; a covered one earns its share, a partly
covered one half of it, a missed one nothing, and a contradicted one costs its share (as a
contradiction costs in the machine's score, `ScoringParameters.contradiction_cost`). An answer
with a contradiction cannot be "strong", as in the machine's grade. The similarity parts of the
machine's score are left out: they are what a candidate disputes when they say "I did say that".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from assistant.grading.explain import verdict_for
from assistant.grading.grade import Coverage, Grade, KeyPointResult
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters

MARKS = (Coverage.COVERED, Coverage.PARTIAL, Coverage.MISSED, Coverage.CONTRADICTED)
"""The marks a candidate may give a key point, in the order a key cycles through them."""

_CREDIT = {Coverage.COVERED: 1.0, Coverage.PARTIAL: 0.5, Coverage.MISSED: 0.0}


def marks_of(grade: Grade) -> dict[str, Coverage]:
    """The grade's mark of each key point, by key point id."""
    return {point.id: point.status for point in grade.key_points}


def changed_marks(grader: Grade, yours: Grade) -> list[tuple[KeyPointResult, Coverage]]:
    """The grader's key points that `yours` marks otherwise, each with that other mark, in the
    grader's order (a key point `yours` does not have keeps the grader's mark)."""
    marks = marks_of(yours)
    return [
        (point, marks[point.id])
        for point in grader.key_points
        if marks.get(point.id, point.status) is not point.status
    ]


def score_of_marks(
    marks: Mapping[str, Coverage], params: ScoringParameters = DEFAULT_PARAMETERS
) -> int:
    """The 0-100 score that `marks` are worth (see the module docstring)."""
    if not marks:
        return 0
    credit = sum(
        -params.contradiction_cost if mark is Coverage.CONTRADICTED else _CREDIT[mark]
        for mark in marks.values()
    )
    score = round(100 * max(0.0, credit / len(marks)))
    if any(mark is Coverage.CONTRADICTED for mark in marks.values()):
        score = min(score, params.strong_at - 1)
    return score


def overruled(
    grade: Grade, marks: Mapping[str, Coverage], params: ScoringParameters = DEFAULT_PARAMETERS
) -> Grade:
    """`grade` as the candidate marks it: every key point's status from `marks` (a key point
    not in `marks` keeps the machine's), and the score and verdict those marks are worth.

    Raises ValueError for a key point id the grade does not have, or a grade with no key points.
    """
    if not grade.key_points:
        raise ValueError("this grade has no key points to mark")
    unknown = set(marks) - {point.id for point in grade.key_points}
    if unknown:
        raise ValueError(f"no key point {sorted(unknown)[0]!r} in this grade")
    points = [
        replace(point, status=marks.get(point.id, point.status)) for point in grade.key_points
    ]
    score = score_of_marks({point.id: point.status for point in points}, params)
    return replace(grade, key_points=points, score=score, verdict=verdict_for(score, params))
