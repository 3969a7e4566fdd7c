"""The Markdown report: readable as plain text, for a notes folder or a mentor."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, tzinfo

from assistant.grading.feedback import COVERAGE_MARKS, colon
from assistant.grading.grade import Coverage, Grade
from assistant.interview.visible import visible
from assistant.knowledge.models import Lang
from assistant.reports.outline import (
    DisputeView,
    MarkChange,
    QuestionBlock,
    SummaryRow,
    average_note,
    average_text,
    clock_text,
    dispute_view,
    models_and_banks,
    notices,
    question_blocks,
    question_counts,
    ruling_words,
    score_words,
    summary_rows,
    time_taken,
    when_text,
)
from assistant.reports.wording import (
    NO_BANK,
    ReportBank,
    as_lang,
    common_mistakes,
    coverage_words,
    label,
    labelled,
    mark_words,
    note_words,
    value_label,
)
from assistant.store.records import SessionDetail, TurnRecord

# Characters that would start emphasis, code, links, HTML or table cells in inline text. Inline
# text never starts a line here, so line-start syntax (`#`, `-`, `>`, `1.`) cannot trigger.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")

_MARKS = {status: mark for status, (mark, _) in COVERAGE_MARKS.items()}


def inline(text: str) -> str:
    """Text from a person or the bank, made inert for one line of Markdown."""
    return _INLINE_SPECIAL.sub(r"\\\1", " ".join(visible(text).split()))


def code_span(text: str) -> str:
    """One line of a person's text as inline code: shown literally, whatever it contains."""
    flat = " ".join(visible(text).split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    # CommonMark strips one space from each side, so padding keeps edge backticks apart.
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}"


def fenced(text: str) -> list[str]:
    """A fenced block showing `text` as typed, whatever backticks it contains; a character that
    would act (an escape sequence, NUL, a lone carriage return) is shown by a symbol."""
    text = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", *text.splitlines(), fence]


def render_markdown(
    details: Sequence[SessionDetail],
    *,
    generated_at: datetime,
    tz: tzinfo | None,
    lang: Lang | None,
    bank: ReportBank = NO_BANK,
) -> str:
    """The whole report; each session in its own language unless `lang` is given."""
    head_lang = lang or (as_lang(details[0].session.lang) if details else "en")
    models, banks = models_and_banks(details)
    lines = [
        f"# {label('report_title', head_lang)}",
        "",
        f"- {label('generated', head_lang, when=when_text(generated_at, tz))}",
        f"- {label('session_count', head_lang, n=len(details))}",
        f"- {labelled('model', head_lang, inline(', '.join(models)) or '—')}",
        f"- {labelled('bank', head_lang, inline(', '.join(banks)) or '—')}",
        "",
    ]
    if not details:
        lines += [f"*{label('no_sessions', head_lang)}*", ""]
    for detail in details:
        lines += _session(detail, tz, lang or as_lang(detail.session.lang), bank)
    return "\n".join(lines).rstrip("\n") + "\n"


def _session(detail: SessionDetail, tz: tzinfo | None, lang: Lang, bank: ReportBank) -> list[str]:
    s = detail.session
    facts = [
        ("mode", inline(value_label(s.mode, lang))),
        ("language", inline(s.lang)),
        ("status", inline(value_label(s.status.value, lang))),
        ("questions", question_counts(detail, lang)),
        ("average", _average(detail, lang)),
        ("duration", clock_text(s.duration)),
        ("model", inline(s.model_id) or "—"),
        ("bank", inline(s.bank_version) or "—"),
    ]
    lines = [
        f"## {label('session', lang, id=s.id)} — {when_text(s.started_at, tz)}",
        "",
        *(f"- {labelled(key, lang, value)}" for key, value in facts),
        "",
    ]
    for notice in notices(detail, lang):
        lines += [f"> **{notice}**", ""]
    lines += _summary_table(summary_rows(detail, lang), lang)
    for n, block in enumerate(question_blocks(detail.turns), start=1):
        lines += _block(block, n, lang, bank, tz)
    return lines


def _average(detail: SessionDetail, lang: Lang) -> str:
    """The average, and how many answers in it counted with the candidate's own grade."""
    note = average_note(detail, lang)
    return f"{average_text(detail.session)} ({note})" if note else average_text(detail.session)


_SUMMARY_COLUMNS = (
    ("col_number", "--:"),
    ("col_question", "---"),
    ("col_score", "--:"),
    ("col_verdict", "---"),
    ("col_covered", "--:"),
    ("col_partial", "--:"),
    ("col_missed", "--:"),
    ("col_contradicted", "--:"),
)


def _summary_table(rows: Sequence[SummaryRow], lang: Lang) -> list[str]:
    """The session at a glance, above its questions; nothing for a session without any."""
    if not rows:
        return []
    head = " | ".join(label(key, lang) for key, _ in _SUMMARY_COLUMNS)
    rule = " | ".join(align for _, align in _SUMMARY_COLUMNS)
    lines = [f"**{label('summary', lang)}**", "", f"| {head} |", f"| {rule} |"]
    for row in rows:
        cells = [
            row.number,
            inline(row.question),
            row.score,
            inline(row.verdict),
            row.covered,
            row.partial,
            row.missed,
            row.contradicted,
        ]
        lines.append(f"| {' | '.join(cells)} |")
    return [*lines, ""]


def _block(
    block: QuestionBlock, n: int, lang: Lang, bank: ReportBank, tz: tzinfo | None
) -> list[str]:
    lines = [f"### {label('question_n', lang, n=n)}. {inline(block.turn.question_text)}", ""]
    lines += _turn(block.turn, lang, bank, tz)
    for follow_up in block.follow_ups:
        lines += [f"#### {labelled('follow_up', lang, inline(follow_up.question_text))}", ""]
        lines += _turn(follow_up, lang, bank, tz)
    return lines


def _turn(turn: TurnRecord, lang: Lang, bank: ReportBank, tz: tzinfo | None) -> list[str]:
    facts = [
        labelled("category", lang, inline(bank.category_title(turn.category, lang))),
        labelled("score", lang, score_words(turn, lang)),
        labelled("hints", lang, turn.hints_used),
        labelled("time_taken", lang, clock_text(time_taken(turn))),
    ]
    lines = [" · ".join(facts), "", f"**{label('answer', lang)}**", ""]
    if turn.skipped and not turn.answer.strip():
        lines += [f"*{label('skipped', lang)}*", ""]
    elif not turn.answer.strip():
        lines += [f"*{label('no_answer', lang)}*", ""]
    else:
        lines += [*fenced(turn.answer), ""]
    if turn.grade is not None:
        lines += _grade(turn.grade, lang, dispute_view(turn), tz)
    lines += [f"**{label('reference', lang)}**", "", *_paragraphs(turn.reference_answer), ""]
    mistakes = common_mistakes(turn.question_id, turn.follow_up_of, bank)
    if mistakes:
        lines += [f"**{label('common_mistakes', lang)}**", ""]
        for pitfall in mistakes:
            # A backslash ends the line with a hard break: the correction goes under its claim.
            lines.append(f"- ✘ {inline(pitfall.claim.get(lang))}\\")
            lines.append(f"  ✔ {inline(pitfall.correction.get(lang))}")
        lines.append("")
    return lines


def _grade(grade: Grade, lang: Lang, view: DisputeView | None, tz: tzinfo | None) -> list[str]:
    """The key points (a disputed one with both marks), the dispute, then the grader's notes."""
    lines: list[str] = []
    if grade.key_points:
        lines += [f"**{label('key_points', lang)}**", ""]
        for point in grade.key_points:
            change = view.changes.get(point.id) if view is not None else None
            if view is not None and change is not None:
                marks = _both_marks(change, view.counts, lang)
            else:
                marks = f"{_MARKS[point.status]} {coverage_words(point.status, lang)}"
            row = f"- {marks}{colon(lang)} {inline(point.text)}"
            if point.evidence and point.status is not Coverage.MISSED:
                row += f" — {labelled('you_said', lang, code_span(point.evidence))}"
            lines.append(row)
        lines.append("")
    if view is not None:
        lines += _dispute(view, lang, tz)
    if grade.notes:
        lines += [f"**{label('notes', lang)}**", ""]
        lines += [f"- {inline(note_words(note, lang))}" for note in grade.notes]
        lines.append("")
    return lines


def _both_marks(change: MarkChange, yours_count: bool, lang: Lang) -> str:
    """`✔ Covered (you) / ✘ Missed (grader)`: the counted mark first."""
    yours = f"{_MARKS[change.yours]} {mark_words(change.yours, lang)} ({label('mark_you', lang)})"
    grader = (
        f"{_MARKS[change.grader]} {mark_words(change.grader, lang)} ({label('mark_grader', lang)})"
    )
    return f"{yours} / {grader}" if yours_count else f"{grader} / {yours}"


def _dispute(view: DisputeView, lang: Lang, tz: tzinfo | None) -> list[str]:
    """Where the candidate's dispute stands, their reason and the mentor's note."""
    dispute = view.dispute
    reason = code_span(dispute.reason) if dispute.reason.strip() else label("no_reason", lang)
    lines = [
        f"**{label('dispute', lang)}**",
        "",
        f"- {ruling_words(view, lang, tz)}",
        f"- {labelled('your_reason', lang, reason)}",
    ]
    if dispute.note.strip():
        lines.append(f"- {labelled('mentor_note', lang, code_span(dispute.note))}")
    elif not view.counts:
        lines.append(f"- {label('no_mentor_note', lang)}")
    return [*lines, ""]


def _paragraphs(text: str) -> list[str]:
    """Bank text as Markdown paragraphs, inert, its blank-line breaks kept."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        if out:
            out.append("")
        out.append(inline(paragraph))
    return out
