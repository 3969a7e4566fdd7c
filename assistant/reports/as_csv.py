"""The CSV report: one row per turn, for a spreadsheet or a program.

Every cell holds the text exactly as stored, whatever it is (control characters, NUL, a leading
`=`): CSV has no way to escape them, and a program reading the file back must get the answer
that was typed. So a cell may start with `=`, `+`, `-` or `@`, which a spreadsheet can take for
a formula: import the file with its columns as text, or use the JSON report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from assistant.grading.grade import Coverage, Grade
from assistant.reports.outline import notice_codes, time_taken
from assistant.store.records import SessionDetail, TurnRecord

COLUMNS = (
    "generated_at",
    "session_id",
    "session_started_at",
    "session_status",
    "session_notices",
    "mode",
    "lang",
    "model_id",
    "bank_version",
    "turn_id",
    "order",
    "follow_up_of",
    "question_id",
    "category",
    "question",
    "answer",
    "skipped",
    "score",
    "verdict",
    "hints_used",
    "time_taken_seconds",
    "shown_at",
    "submitted_at",
    "covered",
    "partial",
    "missed",
    "contradicted",
    "evidence_spans",
    "notes",
    "reference_answer",
)
"""The header row, in order."""


def render_csv(details: Sequence[SessionDetail], *, generated_at: datetime) -> str:
    """The header and one row per turn; a session without turns still gets one row, saying so."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for detail in details:
        s = detail.session
        session_cells = [
            generated_at.isoformat(),
            s.id,
            s.started_at.isoformat(),
            s.status.value,
            " ".join(notice_codes(detail)),
            s.mode,
            s.lang,
            s.model_id,
            s.bank_version,
        ]
        if not detail.turns:
            writer.writerow(session_cells + [""] * (len(COLUMNS) - len(session_cells)))
        for turn in detail.turns:
            writer.writerow(session_cells + _turn_cells(turn))
    return buffer.getvalue()


def _turn_cells(turn: TurnRecord) -> list[object]:
    grade = turn.grade
    return [
        turn.id,
        turn.order,
        turn.follow_up_of if turn.follow_up_of is not None else "",
        turn.question_id,
        turn.category,
        turn.question_text,
        turn.answer,
        "yes" if turn.skipped else "no",
        grade.score if grade is not None else "",
        grade.verdict.value if grade is not None else "",
        turn.hints_used,
        f"{time_taken(turn).total_seconds():.0f}",
        turn.shown_at.isoformat(),
        turn.submitted_at.isoformat(),
        _points(grade, Coverage.COVERED),
        _points(grade, Coverage.PARTIAL),
        _points(grade, Coverage.MISSED),
        _points(grade, Coverage.CONTRADICTED),
        _spans(grade),
        _notes(grade),
        turn.reference_answer,
    ]


def _points(grade: Grade | None, status: Coverage) -> str:
    """The key point ids with this status, `; ` between them."""
    if grade is None:
        return ""
    return "; ".join(k.id for k in grade.key_points if k.status is status)


def _spans(grade: Grade | None) -> str:
    """Where each key point's evidence sits in the answer: `id:start-end`, `; ` between them."""
    if grade is None:
        return ""
    return "; ".join(f"{k.id}:{k.span[0]}-{k.span[1]}" for k in grade.key_points if k.span)


def _notes(grade: Grade | None) -> str:
    """The note codes, `code:detail` when a note has a detail, `; ` between them."""
    if grade is None:
        return ""
    return "; ".join(
        f"{n.code.value}:{n.detail}" if n.detail else n.code.value for n in grade.notes
    )
