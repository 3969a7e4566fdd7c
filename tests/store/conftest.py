"""Fixtures for the session log tests: a store on each backend and grades to record.

`store` (and what builds on it) runs each test twice: on a temporary SQLite file and on a fresh
database of the run's PostgreSQL server. A module that tests the file alone overrides `backend`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Note, NoteCode, Verdict
from assistant.settings import DatabaseTarget
from assistant.store import SessionStore, open_store

BACKENDS = ("sqlite", "postgresql")
"""Every backend the repository runs on."""

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
"""A fixed start time, so dates and durations in assertions are exact."""


def make_grade(score: int) -> Grade:
    """A realistic grade with key points, evidence and a note."""
    verdict = (
        Verdict.STRONG if score >= 80 else Verdict.PARTIAL if score >= 40 else Verdict.OFF_TARGET
    )
    return Grade(
        score=score,
        verdict=verdict,
        key_points=[
            KeyPointResult("drift", "Data drift changes inputs", Coverage.COVERED, 0.81, "inputs"),
            KeyPointResult("monitor", "Monitor the live model", Coverage.MISSED, 0.22),
        ],
        notes=[Note(NoteCode.HINTS_USED, "1")],
        answer_lang="en",
        reference_lang="en",
        model_id="all-MiniLM-L6-v2",
        bank_version="1.0.0",
    )


def graded_answer(
    store: SessionStore,
    *,
    days: int = 0,
    score: int = 50,
    question_id: str = "q1",
    question_text: str = "",
    reference: str = "R.",
    answer: str = "Inputs drift, and I watch the live model.",
) -> int:
    """A practice session on day T0 + `days` with one answer graded `make_grade(score)` (the
    grader: drift covered, monitor missed); the turn's id."""
    sid = store.start_session(
        mode="practice",
        lang="en",
        settings={},
        model_id="m",
        bank_version="1",
        started_at=T0 + timedelta(days=days),
    )
    return store.record_turn(
        sid,
        order=1,
        question_id=question_id,
        question_text=question_text or f"Question {question_id}?",
        reference_answer=reference,
        category="fundamentals",
        answer=answer,
        grade=make_grade(score),
        shown_at=T0 + timedelta(days=days, minutes=1),
        submitted_at=T0 + timedelta(days=days, minutes=3),
    )


class NewSession(Protocol):
    def __call__(self, days: int = 0, **overrides: Any) -> int: ...


class RecordTurn(Protocol):
    def __call__(self, session_id: int, question_id: str, **overrides: Any) -> int: ...


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions.db"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend under test: each test using `store` runs on both."""
    chosen: str = request.param
    return chosen


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest) -> DatabaseTarget:
    """Where the store is: the SQLite file `db_path`, or a fresh PostgreSQL database."""
    name = "db_path" if backend == "sqlite" else "postgres_url"
    where: DatabaseTarget = request.getfixturevalue(name)
    return where


@pytest.fixture
def store(target: DatabaseTarget) -> Iterator[SessionStore]:
    with open_store(target) as opened:
        yield opened


@pytest.fixture
def new_session(store: SessionStore) -> NewSession:
    """Start a practice session at T0 + `days`."""

    def start(days: int = 0, **overrides: Any) -> int:
        fields: dict[str, Any] = {
            "mode": "practice",
            "lang": "en",
            "settings": {"count": 6, "categories": ["fundamentals"]},
            "model_id": "all-MiniLM-L6-v2",
            "bank_version": "1.0.0",
            "started_at": T0 + timedelta(days=days),
        }
        fields.update(overrides)
        return store.start_session(**fields)

    return start


@pytest.fixture
def record(store: SessionStore) -> RecordTurn:
    """Record a turn with sensible defaults; the turn's time follows its session's turn count."""

    def record_turn(session_id: int, question_id: str, **overrides: Any) -> int:
        detail = store.get_session(session_id)
        order = len(detail.turns) + 1 if detail is not None else 1
        started = detail.session.started_at if detail is not None else T0
        shown = started + timedelta(minutes=5 * order)
        fields: dict[str, Any] = {
            "order": order,
            "question_id": question_id,
            "question_text": f"Question {question_id}?",
            "reference_answer": f"Reference for {question_id}.",
            "category": "fundamentals",
            "answer": f"My answer to {question_id}.",
            "grade": make_grade(70),
            "hints_used": 0,
            "skipped": False,
            "follow_up_of": None,
            "shown_at": shown,
            "submitted_at": shown + timedelta(minutes=2),
        }
        fields.update(overrides)
        return store.record_turn(session_id, **fields)

    return record_turn
