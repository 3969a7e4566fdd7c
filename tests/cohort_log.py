"""A session log shared by three candidates, for the cohort tests (and a look at the tab).

alice improves over eight sessions, bob slips over six, chen has two. Each session asks the
same three bank questions: `model-and-concept-drift` scored 20 under the session's score,
`what-is-mlops` at it, `ci-cd-for-ml` 10 over (at most 100). bob contradicts drift's last key
point every time (the others miss it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Verdict
from assistant.knowledge.loader import Bank
from assistant.knowledge.models import Question
from assistant.store import SessionStore

DAY = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)

PLANS: dict[str, list[int]] = {
    "alice": [40, 45, 50, 55, 60, 70, 80, 90],
    "bob": [80, 75, 70, 60, 50, 40],
    "chen": [30, 35],
}
"""Each candidate's session scores, oldest first."""

QUESTIONS = (("model-and-concept-drift", -20), ("what-is-mlops", 0), ("ci-cd-for-ml", 10))
"""The questions of every session, and how far each answer scores from the session's score."""


def cohort_grade(question: Question, score: int, *, contradict_last: bool = False) -> Grade:
    """A grade covering the first key points in proportion to the score; the last key point
    contradicted instead when asked."""
    covered = round(len(question.key_points) * score / 100)
    points = []
    for i, kp in enumerate(question.key_points):
        status = Coverage.COVERED if i < covered else Coverage.MISSED
        if i == len(question.key_points) - 1 and contradict_last:
            status = Coverage.CONTRADICTED
        points.append(KeyPointResult(kp.id, kp.en, status, 0.5))
    verdict = (
        Verdict.STRONG if score >= 70 else Verdict.PARTIAL if score >= 25 else Verdict.OFF_TARGET
    )
    return Grade(score, verdict, points, model_id="m", bank_version="test", verifier_id="v")


def fill_cohort(store_for: dict[str, SessionStore], bank: Bank) -> None:
    """Record every candidate's sessions, each through their own store (candidate -> store)."""
    for name, scores in PLANS.items():
        store = store_for[name]
        for day, base in enumerate(scores):
            started = DAY + timedelta(days=day, minutes=len(name))
            session_id = store.start_session(
                mode="practice",
                lang="en",
                settings={"count": 3, "plan": [q for q, _ in QUESTIONS]},
                model_id="m",
                bank_version=bank.version,
                started_at=started,
            )
            for order, (question_id, offset) in enumerate(QUESTIONS, start=1):
                question = bank.get(question_id)
                assert question is not None
                score = max(0, min(100, base + offset))
                grade = cohort_grade(
                    question,
                    score,
                    contradict_last=name == "bob" and question_id == "model-and-concept-drift",
                )
                shown = started + timedelta(minutes=3 * order)
                store.record_turn(
                    session_id,
                    order=order,
                    question_id=question_id,
                    question_text=question.question.en,
                    reference_answer=question.answer.en,
                    category=question.category,
                    answer=f"{name}'s answer to {question_id}",
                    grade=grade,
                    shown_at=shown,
                    submitted_at=shown + timedelta(minutes=2),
                )
            store.finish_session(session_id, "completed", ended_at=started + timedelta(minutes=12))
