"""The HTML report: one self-contained page (inline CSS, no script, no asset) that prints well."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from html import escape

from assistant.grading.feedback import colon
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

# The policy forbids every script and remote load even if some text escaped our escaping.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STYLE = """
:root { --ink: #1d1f21; --muted: #5f6368; --line: #d0d4d9; --good: #1e7d32;
        --mid: #a06800; --bad: #b3261e; --box: #f5f7f9; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem;
     margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .3rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta { color: var(--muted); margin: 0; padding: 0; list-style: none; }
table.facts { border-collapse: collapse; margin: .6rem 0; }
table.facts th, table.facts td { text-align: left; padding: .15rem .8rem .15rem 0;
                                 vertical-align: top; }
table.facts th { color: var(--muted); font-weight: normal; }
.notice { border-left: 4px solid var(--mid); background: #fff8e6; padding: .4rem .8rem;
          font-weight: bold; }
.turn { margin-bottom: 1.2rem; }
.follow-up { margin-left: 1.5rem; padding-left: 1rem; border-left: 3px solid var(--line); }
.line { color: var(--muted); }
pre.answer { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--box);
             border: 1px solid var(--line); padding: .6rem .8rem; font: 14px/1.45 ui-monospace,
             "SFMono-Regular", Menlo, Consolas, monospace; margin: .3rem 0; }
table.points { border-collapse: collapse; width: 100%; margin: .4rem 0; }
table.points td { border-top: 1px solid var(--line); padding: .25rem .5rem .25rem 0;
                  vertical-align: top; }
.covered { color: var(--good); } .partial { color: var(--mid); } .missed { color: var(--bad); }
.contradicted { color: #a0217c; font-weight: bold; }
.status { white-space: nowrap; font-weight: bold; }
.whose { color: var(--muted); font-weight: normal; }
.dispute { border-left: 4px solid var(--line); padding: .2rem .8rem; margin: .6rem 0; }
.dispute.open { border-left-color: var(--mid); }
.dispute.accepted { border-left-color: var(--good); }
.dispute.rejected { border-left-color: var(--bad); }
.dispute p { margin: .2rem 0; }
.dispute .typed { white-space: pre-wrap; overflow-wrap: anywhere; font-style: italic; }
.evidence { color: var(--muted); font-style: italic; overflow-wrap: anywhere; }
.reference { background: var(--box); padding: .4rem .8rem; border-radius: 4px; }
.mistakes .claim { color: var(--bad); }
.mistakes .correction { font-style: italic; }
.empty { color: var(--muted); font-style: italic; }
table.summary { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .92rem; }
table.summary caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
table.summary th, table.summary td { border-bottom: 1px solid var(--line);
                                     padding: .2rem .4rem; text-align: left; vertical-align: top; }
table.summary th { color: var(--muted); font-weight: normal; white-space: nowrap; }
table.summary .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.summary .follow-up-row td { color: var(--muted); }
.verdict { white-space: nowrap; font-weight: bold; }
.verdict.strong, .verdict.adequate { color: var(--good); }
.verdict.partial { color: var(--mid); }
.verdict.off-target, .verdict.no-answer { color: var(--bad); }
.verdict.skipped, .verdict.not-graded { color: var(--muted); font-weight: normal; }
@media print {
  /* A question starts where the last one ended: a page break only when the page is full,
     never a blank half page. Headings stay with what follows; small parts never split. */
  @page { margin: 14mm 13mm; }
  body { margin: 0; max-width: none; font-size: 10pt; line-height: 1.35; }
  h2 { margin-top: 1.2rem; }
  h3 { margin-top: 1.2rem; }
  pre.answer { font-size: 9pt; }
  section.session + section.session { break-before: page; }
  h2, h3, h4, p.line, table.summary caption { break-after: avoid; }
  table.summary tr, table.points tr, .mistakes li, .notice, .dispute { break-inside: avoid; }
  pre.answer, p.reference { orphans: 3; widows: 3; }
  thead { display: table-header-group; }
  .notice { background: none; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


def render_html(
    details: Sequence[SessionDetail],
    *,
    generated_at: datetime,
    tz: tzinfo | None,
    lang: Lang | None,
    bank: ReportBank = NO_BANK,
) -> str:
    """The whole page; each session in its own language unless `lang` is given."""
    head_lang = lang or (as_lang(details[0].session.lang) if details else "en")
    models, banks = models_and_banks(details)
    title = label("report_title", head_lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{head_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        '<ul class="meta">',
        f"<li>{_e(label('generated', head_lang, when=when_text(generated_at, tz)))}</li>",
        f"<li>{_e(label('session_count', head_lang, n=len(details)))}</li>",
        f"<li>{_e(labelled('model', head_lang, ', '.join(models) or '—'))}</li>",
        f"<li>{_e(labelled('bank', head_lang, ', '.join(banks) or '—'))}</li>",
        "</ul>",
    ]
    if not details:
        parts.append(f'<p class="empty">{_e(label("no_sessions", head_lang))}</p>')
    for detail in details:
        parts += _session(detail, tz, lang or as_lang(detail.session.lang), bank)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _e(text: str) -> str:
    """Any text, as HTML that shows it: markup escaped, control characters made visible."""
    return escape(visible(text), quote=True)


def _session(detail: SessionDetail, tz: tzinfo | None, lang: Lang, bank: ReportBank) -> list[str]:
    s = detail.session
    facts = [
        ("mode", value_label(s.mode, lang)),
        ("language", s.lang),
        ("status", value_label(s.status.value, lang)),
        ("questions", question_counts(detail, lang)),
        ("average", _average(detail, lang)),
        ("duration", clock_text(s.duration)),
        ("model", s.model_id or "—"),
        ("bank", s.bank_version or "—"),
    ]
    parts = [
        f'<section class="session" lang="{lang}">',
        f"<h2>{_e(label('session', lang, id=s.id))} — {_e(when_text(s.started_at, tz))}</h2>",
        '<table class="facts">',
        *(f"<tr><th>{_e(label(k, lang))}</th><td>{_e(v)}</td></tr>" for k, v in facts),
        "</table>",
    ]
    parts += [f'<p class="notice">{_e(notice)}</p>' for notice in notices(detail, lang)]
    parts += _summary_table(summary_rows(detail, lang), lang)
    for n, block in enumerate(question_blocks(detail.turns), start=1):
        parts += _block(block, n, lang, bank, tz)
    parts.append("</section>")
    return parts


def _average(detail: SessionDetail, lang: Lang) -> str:
    """The average, and how many answers in it counted with the candidate's own grade."""
    note = average_note(detail, lang)
    return f"{average_text(detail.session)} ({note})" if note else average_text(detail.session)


_SUMMARY_COLUMNS = (
    ("col_number", ' class="num"'),
    ("col_question", ""),
    ("col_score", ' class="num"'),
    ("col_verdict", ""),
    ("col_covered", ' class="num"'),
    ("col_partial", ' class="num"'),
    ("col_missed", ' class="num"'),
    ("col_contradicted", ' class="num"'),
)


def _summary_table(rows: Sequence[SummaryRow], lang: Lang) -> list[str]:
    """The session at a glance, above its questions; nothing for a session without any."""
    if not rows:
        return []
    parts = [
        '<table class="summary">',
        f"<caption>{_e(label('summary', lang))}</caption>",
        "<thead><tr>",
        *(f"<th{cls}>{_e(label(key, lang))}</th>" for key, cls in _SUMMARY_COLUMNS),
        "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        css = ' class="follow-up-row"' if row.follow_up else ""
        cells = [
            f'<td class="num">{_e(row.number)}</td>',
            f"<td>{_e(row.question)}</td>",
            f'<td class="num">{_e(row.score)}</td>',
            f'<td class="verdict {_e(row.status)}">{_e(row.verdict)}</td>',
            *(
                f'<td class="num">{_e(n)}</td>'
                for n in (row.covered, row.partial, row.missed, row.contradicted)
            ),
        ]
        parts.append(f"<tr{css}>{''.join(cells)}</tr>")
    parts += ["</tbody>", "</table>"]
    return parts


def _block(
    block: QuestionBlock, n: int, lang: Lang, bank: ReportBank, tz: tzinfo | None
) -> list[str]:
    heading = f"{label('question_n', lang, n=n)}. {block.turn.question_text}"
    parts = [
        '<div class="turn">',
        f"<h3>{_e(heading)}</h3>",
        *_turn(block.turn, lang, bank, tz),
    ]
    for follow_up in block.follow_ups:
        parts += [
            '<div class="follow-up">',
            f"<h4>{_e(labelled('follow_up', lang, follow_up.question_text))}</h4>",
            *_turn(follow_up, lang, bank, tz),
            "</div>",
        ]
    parts.append("</div>")
    return parts


def _turn(turn: TurnRecord, lang: Lang, bank: ReportBank, tz: tzinfo | None) -> list[str]:
    facts = " · ".join(
        [
            labelled("category", lang, bank.category_title(turn.category, lang)),
            labelled("score", lang, score_words(turn, lang)),
            labelled("hints", lang, turn.hints_used),
            labelled("time_taken", lang, clock_text(time_taken(turn))),
        ]
    )
    parts = [f'<p class="line">{_e(facts)}</p>']
    if not turn.answer.strip():
        empty = label("skipped", lang) if turn.skipped else label("no_answer", lang)
        parts.append(f'<p class="empty">{_e(empty)}</p>')
    else:
        parts.append(f'<pre class="answer">{_e(turn.answer)}</pre>')
    if turn.grade is not None:
        parts += _grade(turn.grade, lang, dispute_view(turn), tz)
    parts += [
        f"<h4>{_e(label('reference', lang))}</h4>",
        f'<p class="reference">{_e(turn.reference_answer)}</p>',
    ]
    mistakes = common_mistakes(turn.question_id, turn.follow_up_of, bank)
    if mistakes:
        parts += [f"<h4>{_e(label('common_mistakes', lang))}</h4>", '<ul class="mistakes">']
        parts += [
            f'<li><span class="claim">✘ {_e(p.claim.get(lang))}</span><br>'
            f'<span class="correction">✔ {_e(p.correction.get(lang))}</span></li>'
            for p in mistakes
        ]
        parts.append("</ul>")
    return parts


def _grade(grade: Grade, lang: Lang, view: DisputeView | None, tz: tzinfo | None) -> list[str]:
    """The key points (a disputed one with both marks), the dispute, then the grader's notes."""
    parts: list[str] = []
    if grade.key_points:
        parts += [f"<h4>{_e(label('key_points', lang))}</h4>", '<table class="points">']
        for point in grade.key_points:
            change = view.changes.get(point.id) if view is not None else None
            evidence = ""
            if point.evidence and point.status is not Coverage.MISSED:
                said = labelled("you_said", lang, f"“{point.evidence}”")
                evidence = f'<br><span class="evidence">{_e(said)}</span>'
            if view is not None and change is not None:
                status = _both_marks(change, view.counts, lang)
            else:
                words = _e(coverage_words(point.status, lang))
                status = f'<td class="status {point.status.value}">{words}</td>'
            parts.append(f"<tr>{status}<td>{_e(point.text)}{evidence}</td></tr>")
        parts.append("</table>")
    if view is not None:
        parts += _dispute(view, lang, tz)
    if grade.notes:
        parts += [f"<h4>{_e(label('notes', lang))}</h4>", "<ul>"]
        parts += [f"<li>{_e(note_words(note, lang))}</li>" for note in grade.notes]
        parts.append("</ul>")
    return parts


def _both_marks(change: MarkChange, yours_count: bool, lang: Lang) -> str:
    """The status cell of a key point marked differently: both marks, the counted one first."""

    def mark(status: Coverage, whose: str) -> str:
        return (
            f'<span class="{status.value}">{_e(mark_words(status, lang))}</span> '
            f'<span class="whose">({_e(label(whose, lang))})</span>'
        )

    yours, grader = mark(change.yours, "mark_you"), mark(change.grader, "mark_grader")
    first, second = (yours, grader) if yours_count else (grader, yours)
    return f'<td class="status">{first}<br>{second}</td>'


def _dispute(view: DisputeView, lang: Lang, tz: tzinfo | None) -> list[str]:
    """Where the candidate's dispute stands, their reason and the mentor's note."""
    dispute = view.dispute
    if dispute.reason.strip():
        reason = f'<span class="typed">{_e(dispute.reason)}</span>'
    else:
        reason = _e(label("no_reason", lang))
    parts = [
        f'<div class="dispute {dispute.status.value}">',
        f"<h4>{_e(label('dispute', lang))}</h4>",
        f"<p>{_e(ruling_words(view, lang, tz))}</p>",
        f"<p>{_e(label('your_reason', lang))}{_e(colon(lang))} {reason}</p>",
    ]
    if dispute.note.strip():
        note = f'<span class="typed">{_e(dispute.note)}</span>'
        parts.append(f"<p>{_e(label('mentor_note', lang))}{_e(colon(lang))} {note}</p>")
    elif not view.counts:
        parts.append(f"<p>{_e(label('no_mentor_note', lang))}</p>")
    parts.append("</div>")
    return parts
