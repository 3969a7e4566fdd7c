"""A small session log with real bank questions, for review screen tests (and a look in tmux)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Verdict
from assistant.knowledge.loader import Bank
from assistant.knowledge.models import Question
from assistant.store import SessionStore

MARKUP_ANSWER = "[bold]not bold[/bold] [link=https://x.example]no link[/link] :rocket: ]["
"""An answer that Rich or Textual markup would restyle if it were not shown literally."""

DAY = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def grade_for(question: Question, score: int) -> Grade:
    """A grade that covers the first key points in proportion to the score."""
    covered = round(len(question.key_points) * score / 100)
    points = [
        KeyPointResult(
            kp.id,
            kp.en,
            Coverage.COVERED if i < covered else Coverage.MISSED,
            0.8 if i < covered else 0.1,
            "I said it in my own words." if i < covered else None,
        )
        for i, kp in enumerate(question.key_points)
    ]
    verdict = (
        Verdict.STRONG
        if score >= 70
        else Verdict.ADEQUATE
        if score >= 50
        else Verdict.PARTIAL
        if score >= 25
        else Verdict.OFF_TARGET
    )
    return Grade(score, verdict, points, model_id="all-MiniLM-L6-v2", bank_version="test")


def _session(
    store: SessionStore,
    bank: Bank,
    day: int,
    mode: str,
    lang: str,
    answers: list[tuple[str, int | None, str]],
    *,
    finish: bool = True,
    follow_up: tuple[int, str, int] | None = None,
) -> int:
    """One session: (question id, score or None for a skip, answer) per main question."""
    started = DAY + timedelta(days=day)
    session_id = store.start_session(
        mode=mode,
        lang=lang,
        settings={"count": len(answers), "lang": lang, "plan": [a[0] for a in answers]},
        model_id="all-MiniLM-L6-v2",
        bank_version=bank.version,
        started_at=started,
    )
    shown = started
    turn_ids: list[int] = []
    for order, (question_id, score, answer) in enumerate(answers, start=1):
        question = bank.get(question_id)
        assert question is not None, question_id
        lang_ = "fr" if lang == "fr" else "en"
        turn_ids.append(
            store.record_turn(
                session_id,
                order=order,
                question_id=question_id,
                question_text=question.question.get(lang_),
                reference_answer=question.answer.get(lang_),
                category=question.category,
                answer=answer,
                grade=grade_for(question, score) if score is not None else None,
                hints_used=1 if order == 1 else 0,
                skipped=score is None and not answer,
                shown_at=shown,
                submitted_at=shown + timedelta(seconds=95 + 10 * order),
            )
        )
        shown += timedelta(minutes=4)
        if follow_up is not None and follow_up[0] == order:
            follow = question.follow_ups[0]
            store.record_turn(
                session_id,
                order=order,
                question_id=question_id,
                question_text=follow.question.get(lang_),
                reference_answer=question.key_point(follow.key_point).en,
                category=question.category,
                answer=follow_up[1],
                grade=grade_for(question, follow_up[2]),
                follow_up_of=turn_ids[-1],
                shown_at=shown,
                submitted_at=shown + timedelta(seconds=40),
            )
            shown += timedelta(minutes=2)
    if finish:
        store.finish_session(session_id, "completed", ended_at=shown)
    return session_id


def fill_log(store: SessionStore, bank: Bank) -> list[int]:
    """Five sessions over twelve days; returns their ids, oldest first.

    `what-is-mlops` is asked three times (35, 62, 81: getting better); `model-and-concept-drift`
    stays weak; the fourth session is in progress, the fifth was left empty.
    """
    return [
        _session(
            store,
            bank,
            0,
            "practice",
            "en",
            [
                ("what-is-mlops", 35, "MLOps is DevOps for models, I think."),
                ("model-and-concept-drift", 20, MARKUP_ANSWER),
                ("ci-cd-for-ml", None, ""),
            ],
            follow_up=(1, "Monitoring and retraining, <b>mostly</b>.", 45),
        ),
        _session(
            store,
            bank,
            4,
            "mock",
            "en",
            [
                ("what-is-mlops", 62, "It applies DevOps practices to the ML lifecycle."),
                ("model-and-concept-drift", 30, "Drift is when the model gets worse."),
                ("cloud-model-deployment", 74, "Containerise, deploy behind an endpoint."),
            ],
        ),
        _session(
            store,
            bank,
            9,
            "practice",
            "fr",
            [
                (
                    "what-is-mlops",
                    81,
                    "Le MLOps applique les pratiques DevOps au ML, de bout en bout.",
                ),
                ("production-model-incident", 55, "Une fois, un modèle a dérivé en production."),
            ],
        ),
        _session(
            store,
            bank,
            11,
            "practice",
            "en",
            [("canary-vs-blue-green", None, "Canary sends a slice of traffic first.")],
            finish=False,
        ),
        _session(store, bank, 12, "mock", "en", [], finish=False),
    ]
