"""Fixtures for the session log tests: a store on a temporary file and grades to record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Note, NoteCode, Verdict
from assistant.store import SessionStore, open_store

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


class NewSession(Protocol):
    def __call__(self, days: int = 0, **overrides: Any) -> int: ...


class RecordTurn(Protocol):
    def __call__(self, session_id: int, question_id: str, **overrides: Any) -> int: ...


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SessionStore]:
    with open_store(db_path) as opened:
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
