"""Fixed fake sessions for report tests: every kind of turn, fixed dates, awkward text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Note, NoteCode, Verdict
from assistant.grading.overrule import overruled
from assistant.store.records import (
    DisputeRecord,
    DisputeStatus,
    SessionDetail,
    SessionStatus,
    SessionSummary,
    TurnRecord,
    mean_score,
)

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


DISPUTED_AT = START + timedelta(minutes=20)
"""When the candidate disputed their grades."""

SETTLED_AT = START + timedelta(days=1, hours=1)
"""When a mentor settled a dispute."""

AWKWARD_REASON = "I *did* say `monitoring` | <b>twice</b> [bold]really[/bold]"
"""A reason with Markdown, HTML and Rich markup in it: every format must show it as typed."""


def disputed(
    record: TurnRecord,
    marks: Mapping[str, Coverage],
    status: DisputeStatus,
    *,
    reason: str = "",
    mentor: str | None = None,
    note: str = "",
) -> TurnRecord:
    """`record` with the candidate's dispute of its grade (their marks rescored as the store
    does, `overrule.overruled`), settled by `mentor` at `SETTLED_AT` when given."""
    assert record.grade is not None
    dispute = DisputeRecord(
        id=record.id + 1000,
        turn_id=record.id,
        candidate="ada",
        created_at=DISPUTED_AT,
        grade=overruled(record.grade, marks),
        reason=reason,
        status=status,
        settled_by=mentor,
        settled_at=SETTLED_AT if mentor is not None else None,
        note=note,
    )
    return replace(record, dispute=dispute)


def _with_average(session: SessionSummary, turns: list[TurnRecord]) -> SessionDetail:
    """The session with the average the store gives it: counted scores, as every screen."""
    return SessionDetail(replace(session, average_score=mean_score(turns)), turns)


def disputed_session() -> SessionDetail:
    """A completed English session whose grades the candidate disputed four ways: open
    (62 -> 100), rejected with a note (follow-up, 40 -> 83), withdrawn (shown as undisputed)
    and accepted without a note (62 -> 67)."""
    turns = [
        disputed(
            turn(301, 1, grade=grade(62, Verdict.ADEQUATE), session_id=15),
            {"monitoring": Coverage.COVERED, "reproducibility": Coverage.COVERED},
            DisputeStatus.OPEN,
            reason=AWKWARD_REASON,
        ),
        disputed(
            turn(
                302,
                2,
                question="How would you make training reproducible?",
                answer="Pin the data version\nand the seed.",
                grade=grade(40, Verdict.PARTIAL),
                follow_up_of=301,
                session_id=15,
            ),
            {"reproducibility": Coverage.COVERED},
            DisputeStatus.REJECTED,
            reason="Pinning is reproducibility.",
            mentor="mia",
            note="Pinning the seed alone does not make training reproducible.",
        ),
        disputed(
            turn(
                303,
                3,
                question_id="feature-store",
                question="What is a feature store?",
                answer="A shared store of features.",
                grade=grade(55, Verdict.ADEQUATE),
                category="technical",
                session_id=15,
            ),
            {"reproducibility": Coverage.COVERED},
            DisputeStatus.WITHDRAWN,
        ),
        disputed(
            turn(
                304,
                4,
                question_id="canary",
                question="What is a canary release?",
                answer="Send a small share of traffic to the new model.",
                grade=grade(62, Verdict.ADEQUATE),
                category="cloud",
                session_id=15,
            ),
            {"reproducibility": Coverage.PARTIAL},
            DisputeStatus.ACCEPTED,
            mentor="max",
        ),
    ]
    return _with_average(summary(15, turns=4), turns)


def french_disputed_session() -> SessionDetail:
    """A French session: one dispute accepted with a note, one rejected without."""
    turns = [
        disputed(
            turn(
                401,
                1,
                answer="La surveillance en production.",
                grade=grade(62, Verdict.ADEQUATE),
                session_id=16,
            ),
            {"monitoring": Coverage.COVERED},
            DisputeStatus.ACCEPTED,
            reason="J'ai parlé de surveillance.",
            mentor="max",
            note="D'accord : la surveillance est bien citée.",
        ),
        disputed(
            turn(
                402,
                2,
                question_id="canary",
                question="Qu'est-ce qu'un déploiement canari ?",
                answer="On bascule tout d'un coup.",
                grade=grade(40, Verdict.PARTIAL),
                category="cloud",
                session_id=16,
            ),
            {"devops-for-ml": Coverage.PARTIAL, "reproducibility": Coverage.COVERED},
            DisputeStatus.REJECTED,
            mentor="mia",
        ),
    ]
    return _with_average(summary(16, lang="fr", turns=2), turns)
