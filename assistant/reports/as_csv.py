"""The CSV report: one row per turn, for a spreadsheet or a program.

Every cell holds the text exactly as stored, whatever it is (control characters, NUL, a leading
`=`): CSV has no way to escape them, and a program reading the file back must get the answer
that was typed. So a cell may start with `=`, `+`, `-` or `@`, which a spreadsheet can take for
a formula: import the file with its columns as text, or use the JSON report.

A candidate may dispute a grade (`grading.overrule`). `score`, `verdict` and the key point
columns (`covered` to `contradicted`) are then the counted grade's: the candidate's while their
dispute is open or after a mentor accepted it, the grader's otherwise, as every average counts.
`grader_score` and `grader_verdict` are always the machine's; the `your_` and `dispute_` columns
describe the newest dispute (empty when there is none) and `marks_changed` names the key points
marked differently. The dispute columns come last, so a program reading columns by position
reads the older ones where they always were.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from assistant.grading.grade import Coverage, Grade
from assistant.grading.overrule import changed_marks
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
    "grader_score",
    "grader_verdict",
    "your_score",
    "your_verdict",
    "dispute_status",
    "marks_changed",
    "dispute_reason",
    "disputed_at",
    "settled_by",
    "settled_at",
    "mentor_note",
)
"""The header row, in order (the module docstring says whose grade each score column is)."""

_DISPUTE_COLUMNS = COLUMNS[COLUMNS.index("your_score") :]


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
    grade = turn.counted_grade
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
        turn.grade.score if turn.grade is not None else "",
        turn.grade.verdict.value if turn.grade is not None else "",
        *_dispute_cells(turn),
    ]


def _dispute_cells(turn: TurnRecord) -> list[object]:
    """The `your_score` to `mentor_note` cells: the newest dispute, or blanks."""
    dispute = turn.dispute
    if dispute is None:
        return [""] * len(_DISPUTE_COLUMNS)
    return [
        dispute.grade.score,
        dispute.grade.verdict.value,
        dispute.status.value,
        _changed(turn.grade, dispute.grade),
        dispute.reason,
        dispute.created_at.isoformat(),
        dispute.settled_by or "",
        dispute.settled_at.isoformat() if dispute.settled_at is not None else "",
        dispute.note,
    ]


def _changed(grader: Grade | None, yours: Grade) -> str:
    """The key points marked differently: `id:grader>yours` (`monitor:missed>covered`)."""
    if grader is None:
        return ""
    return "; ".join(
        f"{k.id}:{k.status.value}>{mark.value}" for k, mark in changed_marks(grader, yours)
    )


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
