"""Fixed fake sessions for report tests: every kind of turn, fixed dates, awkward text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Note, NoteCode, Verdict
from assistant.store.records import SessionDetail, SessionStatus, SessionSummary, TurnRecord

GENERATED_AT = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
"""When the golden reports were generated."""

START = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)

MODEL = "all-MiniLM-L6-v2"
REFERENCE = "MLOps applies DevOps practices to machine learning.\n\nIt automates *all*."
BANK = "mlops@1.0.0#0123456789"

AWKWARD_ANSWER = (
    "MLOps *applies* DevOps to ML: [bold]CI/CD[/bold], `monitoring` | drift.\n"
    "\n"
    "```python\nmodel.fit(X)\n```\n"
    "=SUM(A1) <b>not bold</b> 🚀 — مرحبا"
)
"""Markdown, Rich markup, a code fence, a spreadsheet formula, HTML, emoji and RTL text."""


def summary(
    session_id: int = 12,
    *,
    status: SessionStatus = SessionStatus.COMPLETED,
    lang: str = "en",
    turns: int = 4,
    average: float | None = 55.0,
    duration: timedelta | None = timedelta(minutes=12, seconds=30),
) -> SessionSummary:
    """A session summary with fixed dates."""
    return SessionSummary(
        id=session_id,
        started_at=START,
        ended_at=START + duration if duration and status is not SessionStatus.IN_PROGRESS else None,
        status=status,
        mode="practice",
        lang=lang,
        settings={"count": 3, "lang": lang, "mode": "practice", "plan": ["what-is-mlops"]},
        model_id=MODEL,
        bank_version=BANK,
        turn_count=turns,
        answered_count=turns - 1 if turns else 0,
        graded_count=turns - 1 if turns else 0,
        average_score=average,
        duration=duration,
    )


def turn(
    turn_id: int,
    order: int,
    *,
    question_id: str = "what-is-mlops",
    question: str = "What is MLOps?",
    answer: str = AWKWARD_ANSWER,
    grade: Grade | None = None,
    skipped: bool = False,
    follow_up_of: int | None = None,
    hints: int = 0,
    category: str = "fundamentals",
    seconds: int = 135,
    session_id: int = 12,
) -> TurnRecord:
    """One turn; shown `order` minutes after the start and answered `seconds` later."""
    shown = START + timedelta(minutes=order * 3)
    return TurnRecord(
        id=turn_id,
        session_id=session_id,
        order=order,
        question_id=question_id,
        question_text=question,
        reference_answer=REFERENCE,
        category=category,
        answer=answer,
        grade=grade,
        hints_used=hints,
        skipped=skipped,
        follow_up_of=follow_up_of,
        shown_at=shown,
        submitted_at=shown + timedelta(seconds=seconds),
    )


def grade(score: int, verdict: Verdict) -> Grade:
    """A grade with one key point of each coverage and two notes."""
    return Grade(
        score=score,
        verdict=verdict,
        key_points=[
            KeyPointResult(
                "devops-for-ml",
                "Applies DevOps to ML",
                Coverage.COVERED,
                0.81,
                "MLOps *applies* DevOps to ML: [bold]CI/CD[/bold]",
            ),
            KeyPointResult(
                "monitoring",
                "Monitors models in production",
                Coverage.PARTIAL,
                0.52,
                "`monitoring` | drift.",
            ),
            KeyPointResult(
                "reproducibility", "Makes training reproducible", Coverage.MISSED, 0.12, None
            ),
        ],
        notes=[Note(NoteCode.HINTS_USED), Note(NoteCode.OTHER_LANGUAGE, "ar")],
        model_id=MODEL,
        bank_version=BANK,
    )


def full_session() -> SessionDetail:
    """A completed session: a graded answer with a follow-up, a skip, and an ungraded answer."""
    return SessionDetail(
        summary(),
        [
            turn(101, 1, grade=grade(62, Verdict.ADEQUATE), hints=1),
            turn(
                102,
                2,
                question="How would you make training reproducible?",
                answer="Pin the data version\nand the seed.",
                grade=grade(40, Verdict.PARTIAL),
                follow_up_of=101,
                seconds=48,
            ),
            turn(
                103,
                3,
                question_id="feature-store",
                question="What is a feature store?",
                answer="",
                skipped=True,
                category="technical",
                seconds=5,
            ),
            turn(
                104,
                4,
                question_id="canary",
                question="What is a canary release?",
                answer="Send a small share of traffic to the new model.",
                category="cloud",
                seconds=3725,
            ),
        ],
    )


def in_progress_session() -> SessionDetail:
    """A French session still in progress, one answer graded."""
    return SessionDetail(
        summary(
            13,
            status=SessionStatus.IN_PROGRESS,
            lang="fr",
            turns=1,
            average=88.0,
            duration=timedelta(minutes=2),
        ),
        [
            turn(
                201,
                1,
                answer="Une réponse < complète & juste.",
                grade=grade(88, Verdict.STRONG),
                session_id=13,
            )
        ],
    )


def empty_session() -> SessionDetail:
    """A session started and left before any answer."""
    return SessionDetail(
        summary(14, status=SessionStatus.ABANDONED, turns=0, average=None, duration=None), []
    )
