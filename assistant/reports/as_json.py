"""The JSON report: everything stored about the sessions, so a program can read them back.

Each turn keeps the machine's grade under `grade`, whatever became of it. `counted_score` is the
score every average uses: the candidate's own where their dispute is open or was accepted, else
the grader's. `dispute` is the turn's newest dispute (null when none): its status, the
candidate's score, verdict and mark of each key point, their reason, and the mentor's ruling.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from assistant.grading.grade import Coverage, Grade, Verdict
from assistant.reports.outline import notice_codes
from assistant.store.records import (
    DisputeRecord,
    DisputeStatus,
    SessionDetail,
    SessionStatus,
    SessionSummary,
    TurnRecord,
)

REPORT_FORMAT = "mock-interview-report"
"""The `format` field, so a reader can tell this file from any other JSON."""

REPORT_FORMAT_VERSION = 1
"""Raised when a field changes meaning or goes away; adding a field keeps it."""

_RAW_IN_STRINGS = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters `json.dumps` leaves raw (it escapes only those below 0x20) that would act when the
file is printed or shown: DEL, C1 controls (0x9b starts an escape sequence), line separators,
bidirectional overrides. They are written as \\u escapes: the text reads back exactly."""


def render_json(details: Sequence[SessionDetail], *, generated_at: datetime) -> str:
    """Every session with all its turns and grades; times in ISO 8601 UTC."""
    document = {
        "format": REPORT_FORMAT,
        "format_version": REPORT_FORMAT_VERSION,
        "generated_at": _when(generated_at),
        "sessions": [_session(d) for d in details],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    # Outside strings the document is ASCII, so every match is inside a string.
    return _RAW_IN_STRINGS.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _when(when: datetime) -> str:
    return when.isoformat()


def _session(detail: SessionDetail) -> dict[str, Any]:
    s = detail.session
    return {
        "id": s.id,
        "started_at": _when(s.started_at),
        "ended_at": _when(s.ended_at) if s.ended_at is not None else None,
        "status": s.status.value,
        "mode": s.mode,
        "lang": s.lang,
        "settings": s.settings,
        "model_id": s.model_id,
        "bank_version": s.bank_version,
        "turn_count": s.turn_count,
        "answered_count": s.answered_count,
        "graded_count": s.graded_count,
        "average_score": s.average_score,
        "duration_seconds": s.duration.total_seconds() if s.duration is not None else None,
        # Spares a reader working out why a session has few or no turns.
        "notices": notice_codes(detail),
        "turns": [_turn(t) for t in detail.turns],
    }


def _turn(turn: TurnRecord) -> dict[str, Any]:
    return {
        "id": turn.id,
        "session_id": turn.session_id,
        "order": turn.order,
        "question_id": turn.question_id,
        "question_text": turn.question_text,
        "reference_answer": turn.reference_answer,
        "category": turn.category,
        "answer": turn.answer,
        "grade": turn.grade.to_dict() if turn.grade is not None else None,
        "counted_score": turn.score,
        "dispute": _dispute(turn.dispute) if turn.dispute is not None else None,
        "hints_used": turn.hints_used,
        "skipped": turn.skipped,
        "follow_up_of": turn.follow_up_of,
        "shown_at": _when(turn.shown_at),
        "submitted_at": _when(turn.submitted_at),
    }


def _dispute(dispute: DisputeRecord) -> dict[str, Any]:
    """The candidate's grade as their marks (the rest of it is the machine's grade), the
    reason, and the ruling."""
    return {
        "id": dispute.id,
        "status": dispute.status.value,
        "candidate": dispute.candidate,
        "created_at": _when(dispute.created_at),
        "score": dispute.grade.score,
        "verdict": dispute.grade.verdict.value,
        "key_points": {point.id: point.status.value for point in dispute.grade.key_points},
        "reason": dispute.reason,
        "settled_by": dispute.settled_by,
        "settled_at": _when(dispute.settled_at) if dispute.settled_at is not None else None,
        "note": dispute.note,
    }


class ReportFormatError(ValueError):
    """The text is not a JSON report this version can read."""


def details_from_json(text: str) -> list[SessionDetail]:
    """Read back the sessions of a JSON report written by `render_json`."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportFormatError(f"not JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != REPORT_FORMAT:
        raise ReportFormatError(f"not a {REPORT_FORMAT} document")
    version = document.get("format_version")
    if version != REPORT_FORMAT_VERSION:
        raise ReportFormatError(
            f"report format version {version}; this reader knows {REPORT_FORMAT_VERSION}"
        )
    try:
        return [_detail(s) for s in document["sessions"]]
    except (KeyError, TypeError, ValueError) as error:
        raise ReportFormatError(f"malformed session: {error!r}") from error


def _detail(data: dict[str, Any]) -> SessionDetail:
    duration = data["duration_seconds"]
    summary = SessionSummary(
        id=int(data["id"]),
        started_at=datetime.fromisoformat(data["started_at"]),
        ended_at=datetime.fromisoformat(data["ended_at"]) if data["ended_at"] else None,
        status=SessionStatus(data["status"]),
        mode=data["mode"],
        lang=data["lang"],
        settings=dict(data["settings"]),
        model_id=data["model_id"],
        bank_version=data["bank_version"],
        turn_count=int(data["turn_count"]),
        answered_count=int(data["answered_count"]),
        graded_count=int(data["graded_count"]),
        average_score=data["average_score"],
        duration=timedelta(seconds=duration) if duration is not None else None,
    )
    return SessionDetail(summary, [_turn_record(t) for t in data["turns"]])


def _turn_record(data: dict[str, Any]) -> TurnRecord:
    grade = Grade.from_dict(data["grade"]) if data["grade"] is not None else None
    disputed = data.get("dispute")  # absent from reports written before disputes
    return TurnRecord(
        id=int(data["id"]),
        session_id=int(data["session_id"]),
        order=int(data["order"]),
        question_id=data["question_id"],
        question_text=data["question_text"],
        reference_answer=data["reference_answer"],
        category=data["category"],
        answer=data["answer"],
        grade=grade,
        hints_used=int(data["hints_used"]),
        skipped=bool(data["skipped"]),
        follow_up_of=data["follow_up_of"],
        shown_at=datetime.fromisoformat(data["shown_at"]),
        submitted_at=datetime.fromisoformat(data["submitted_at"]),
        dispute=_dispute_record(disputed, int(data["id"]), grade) if disputed else None,
    )


def _dispute_record(data: dict[str, Any], turn_id: int, grade: Grade | None) -> DisputeRecord:
    """A dispute read back: the machine's grade with the candidate's marks, score and verdict."""
    if grade is None:
        raise ValueError(f"turn {turn_id} has a dispute but no grade")
    marks = {key: Coverage(mark) for key, mark in data["key_points"].items()}
    points = [replace(p, status=marks.get(p.id, p.status)) for p in grade.key_points]
    settled_at = data["settled_at"]
    return DisputeRecord(
        id=int(data["id"]),
        turn_id=turn_id,
        candidate=data["candidate"],
        created_at=datetime.fromisoformat(data["created_at"]),
        grade=replace(
            grade, key_points=points, score=int(data["score"]), verdict=Verdict(data["verdict"])
        ),
        reason=data["reason"],
        status=DisputeStatus(data["status"]),
        settled_by=data["settled_by"],
        settled_at=datetime.fromisoformat(settled_at) if settled_at else None,
        note=data["note"],
    )
