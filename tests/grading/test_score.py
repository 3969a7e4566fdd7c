"""The `score` and `explain` stages on hand-made alignments and judgements (no model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.grading.align import Alignment, Candidate
from assistant.grading.explain import explain
from assistant.grading.grade import Coverage, NoteCode, Verdict
from assistant.grading.parameters import DEFAULT_PARAMETERS, THRESHOLDS_STEP, ScoringParameters
from assistant.grading.score import STATUS_FEATURES, score, status_inputs, status_probabilities
from assistant.grading.screen import screen
from assistant.grading.segment import Span, segment_answer
from assistant.grading.verify import Judgement, Verification

ANSWER = "I deploy it in a container. No monitoring is needed once it is validated."
TARGET_POINTS = [
    ("container", "The model is packaged in a container."),
    ("monitor", "The model's performance is monitored continuously."),
    ("rollout", "The model is rolled out gradually."),
]


def _target():  # type: ignore[no-untyped-def]
    from assistant.grading.target import GradingTarget

    return GradingTarget(
        "How do you deploy a model?",
        "Package it in a container, roll it out gradually and monitor it continuously.",
        TARGET_POINTS,
    )


FIRST = Span(0, 27)
SECOND = Span(28, len(ANSWER))
ALIGNMENT = Alignment(
    candidates=(
        (Candidate(FIRST, 0.62), Candidate(SECOND, 0.20)),
        (Candidate(SECOND, 0.58), Candidate(FIRST, 0.18)),
        (Candidate(FIRST, 0.25), Candidate(SECOND, 0.22)),
    ),
    whole_similarity=0.55,
    question_similarity=0.40,
)
VERIFICATION = Verification(
    judgements=(
        (Judgement(0.91, 0.07, 0.02), Judgement(0.05, 0.90, 0.05)),
        (Judgement(0.03, 0.07, 0.90), Judgement(0.10, 0.80, 0.10)),
        (Judgement(0.05, 0.90, 0.05), Judgement(0.04, 0.91, 0.05)),
    ),
    verifier_id="test",
)


"""The step before the fitted one: thresholds on the verifier's probabilities (still used when a
verifier reads whole answers, and by the benches' "before")."""


def test_statuses_follow_the_verifier() -> None:
    screening = screen(_target(), ANSWER)
    scoring = score(screening, ALIGNMENT, VERIFICATION, THRESHOLDS_STEP)
    assert [p.status for p in scoring.points] == [
        Coverage.COVERED,
        Coverage.CONTRADICTED,
        Coverage.MISSED,
    ]
    assert scoring.contradicted == 1
    assert scoring.points[1].credit < 0 < scoring.points[0].credit


def test_a_contradiction_costs_more_than_a_miss() -> None:
    screening = screen(_target(), ANSWER)
    contradicted = score(screening, ALIGNMENT, VERIFICATION).score
    neutral = Verification(
        (
            VERIFICATION.judgements[0],
            (Judgement(0.03, 0.94, 0.03),) * 2,
            VERIFICATION.judgements[2],
        ),
        "test",
    )
    missed = score(screening, ALIGNMENT, neutral).score
    assert contradicted < missed


def test_an_off_topic_contradiction_is_not_counted() -> None:
    """A span unlike the key point cannot contradict it (NLI models call unrelated text
    contradictory): it is only a miss."""
    far = Alignment(
        ((Candidate(FIRST, 0.62),), (Candidate(SECOND, 0.05),), (Candidate(FIRST, 0.25),)),
        0.5,
        0.4,
    )
    verification = Verification(
        ((Judgement(0.9, 0.05, 0.05),), (Judgement(0.02, 0.03, 0.95),), (Judgement(0, 1, 0),)),
        "test",
    )
    scoring = score(screen(_target(), ANSWER), far, verification)
    assert scoring.points[1].status is Coverage.MISSED


def test_without_a_verifier_similarity_decides() -> None:
    scoring = score(screen(_target(), ANSWER), ALIGNMENT, Verification(()))
    assert [p.status for p in scoring.points] == [
        Coverage.COVERED,
        Coverage.COVERED,
        Coverage.MISSED,
    ]
    assert not scoring.verified


def test_explain_quotes_the_evidence_verbatim_and_never_says_strong_over_a_contradiction() -> None:
    screening = screen(_target(), ANSWER)
    segmentation = segment_answer(ANSWER, lambda texts: [len(t.split()) for t in texts], 256)
    scoring = score(screening, ALIGNMENT, VERIFICATION, THRESHOLDS_STEP)
    boosted = type(scoring)(95, scoring.points, scoring.restated, scoring.verified)
    grade = explain(screening, segmentation, boosted, verifier_id="test")
    contradicted = grade.key_points[1]
    assert contradicted.status is Coverage.CONTRADICTED
    assert contradicted.evidence == "No monitoring is needed once it is validated."
    assert contradicted.span == (SECOND.start, SECOND.end)
    assert ANSWER[slice(*contradicted.span)] == contradicted.evidence
    assert contradicted.contradiction == 0.9
    assert grade.verdict is not Verdict.STRONG and grade.score < 70
    assert NoteCode.CONTRADICTIONS in {n.code for n in grade.notes}
    assert grade.verifier_id == "test"


# A fitted step by hand: stated reads entailment, contradicted reads on-topic contradiction,
# not stated is a constant; rows follow `STATUS_FEATURES`, columns stated / not / contradicted.
HAND_WEIGHTS = (
    (10.0, 0.0, 0.0),  # entailment
    (0.0, 0.0, 10.0),  # contradiction on topic
    (0.0, 0.0, 0.0),  # contradiction by any span
    (0.0, 0.0, 0.0),  # similarity
    (0.0, 0.0, 0.0),  # entailment x similarity
    (0.0, 0.0, 0.0),  # contradiction on topic x similarity
    (0.0, 0.0, 0.0),  # whole-answer similarity
    (0.0, 0.0, 0.0),  # word overlap
    (0.0, 5.0, 0.0),  # bias
)


def _fitted(**changes: object) -> ScoringParameters:
    return replace(
        DEFAULT_PARAMETERS,
        status_weights=HAND_WEIGHTS,
        score_weights=(100.0, -50.0, 0.0),
        **changes,
    )


def test_status_inputs_read_each_key_point_as_the_fitted_step_does() -> None:
    rows = status_inputs(screen(_target(), ANSWER), ALIGNMENT, VERIFICATION)
    assert len(rows) == len(TARGET_POINTS)
    assert all(len(r) == len(STATUS_FEATURES) and r[-1] == 1.0 for r in rows)
    entail, on_topic, anywhere, similarity = rows[1][:4]
    assert (entail, on_topic, anywhere, similarity) == (0.10, 0.90, 0.90, 0.58)
    # The third key point's spans are too unlike it to contradict it: no contradiction on topic.
    assert rows[2][:3] == [0.05, 0.0, 0.05]


def test_the_fitted_step_decides_statuses_credit_and_score() -> None:
    screening = screen(_target(), ANSWER)
    scoring = score(screening, ALIGNMENT, VERIFICATION, _fitted())
    assert [p.status for p in scoring.points] == [
        Coverage.COVERED,
        Coverage.CONTRADICTED,
        Coverage.MISSED,
    ]
    rows = status_inputs(screening, ALIGNMENT, VERIFICATION)
    probabilities = [status_probabilities(r, _fitted()) for r in rows]
    assert [p.credit for p in scoring.points] == [pytest.approx(float(p[0])) for p in probabilities]
    stated = sum(float(p[0]) for p in probabilities) / 3
    contradicted = sum(float(p[2]) for p in probabilities) / 3
    assert scoring.score == round(100 * stated - 50 * contradicted)


def test_the_fitted_step_shows_a_contradiction_only_from_its_threshold() -> None:
    screening = screen(_target(), ANSWER)
    shown = score(screening, ALIGNMENT, VERIFICATION, _fitted(fitted_contradicted_at=0.5))
    hidden = score(screening, ALIGNMENT, VERIFICATION, _fitted(fitted_contradicted_at=0.99))
    assert shown.points[1].status is Coverage.CONTRADICTED
    assert hidden.points[1].status is Coverage.MISSED  # not "partly covered" for its words
    # Showing the mark or not changes no number: the score reads probabilities, not marks.
    assert hidden.score == shown.score


def test_fitted_marks_without_a_fitted_score_leave_the_score_as_the_thresholds_give_it() -> None:
    """The shipped setting: the fitted step decides the marks, the score is the thresholds'."""
    screening = screen(_target(), ANSWER)
    marks_only = replace(DEFAULT_PARAMETERS, status_weights=HAND_WEIGHTS, score_weights=())
    fitted = score(screening, ALIGNMENT, VERIFICATION, marks_only)
    before = score(screening, ALIGNMENT, VERIFICATION, THRESHOLDS_STEP)
    assert fitted.score == before.score
    assert [p.credit for p in fitted.points] == [p.credit for p in before.points]
    assert fitted.points[1].status is Coverage.CONTRADICTED
