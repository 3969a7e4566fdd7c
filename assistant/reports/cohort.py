"""The cohort report: every candidate's standing and the questions the group fails most.

The mentor's view (`mock-interview review --cohort`, `export --cohort`, the Cohort tab) reads
one `CohortOverview` from the store; this module words it as a terminal table, Markdown, HTML,
JSON or CSV. The terminal text and the tab also say how many disputed grades wait for a mentor
and how often candidates overruled the grader (`OverruleRate`). Headless: it imports no Textual.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from assistant.interview.visible import visible
from assistant.store.records import (
    TREND_SESSIONS,
    CandidateStanding,
    CohortOverview,
    DisputedAnswer,
    OverruleRate,
)

if TYPE_CHECKING:
    from assistant.reports.export import ReportFormat
    from assistant.store.repository import SessionStore

COHORT_FORMAT = "mock-interview-cohort"
"""The JSON report's `format` field, so a reader can tell this file from a sessions report."""

COHORT_FORMAT_VERSION = 1
"""Raised when a field changes meaning or goes away; adding a field keeps it."""

UNNAMED = "(unnamed)"
"""How sessions recorded before candidates had names are listed on a shared log."""

CSV_COLUMNS = (
    "generated_at",
    "row",
    "candidate",
    "sessions",
    "answers",
    "average_score",
    "recent_average",
    "earlier_average",
    "trend",
    "weakest_categories",
    "question_id",
    "question",
    "category",
    "attempts",
    "failed",
    "candidates",
    "key_point_id",
    "key_point",
    "missed",
    "contradicted",
    "graded",
    "disputed",
    "accepted",
    "rejected",
    "overrule_rate",
    "waiting",
)
"""The CSV header: a `candidate` row per candidate, then a `question` row per question failed
most and a `key_point` row per key point behind it; then one `disputes` row (`waiting`: the
disputed grades no mentor has settled yet) and an `overrule` row per question and key point
the candidates overruled the grader on (`key_point_id` empty for the question as a whole)."""


@dataclass(frozen=True)
class Disputes:
    """What a cohort report says about disputed grades: how many wait for a mentor, and how
    often the grader was overruled (the store's order: worst first)."""

    waiting: int = 0
    rates: tuple[OverruleRate, ...] = ()

    @classmethod
    def of(cls, store: SessionStore) -> Disputes:
        """The store's disputes, as a mentor reads them."""
        return cls(len(store.disputed_answers()), tuple(store.overrule_rates()))


NO_DISPUTES = Disputes()


def candidate_name(candidate: str) -> str:
    """A candidate's name as shown to people (control characters made visible)."""
    return visible(candidate) if candidate else UNNAMED


def number(value: float | None) -> str:
    """A score rounded to a whole number, or a dash."""
    return "—" if value is None else f"{value:.0f}"


def trend_text(standing: CandidateStanding) -> str:
    """`+8` improving, `-5` slipping, `=` steady, `—` when fewer than two spans of sessions."""
    trend = standing.trend
    if trend is None:
        return "—"
    rounded = round(trend)
    return "=" if rounded == 0 else f"{rounded:+d}"


def weakest_text(standing: CandidateStanding) -> str:
    """`mlops 41, ethics 55`: the weakest categories with their averages."""
    return ", ".join(f"{c.category} {c.average_score:.0f}" for c in standing.weakest) or "—"


def score_change(answer: DisputedAnswer) -> str:
    """`52 → 100`: the grader's score of a disputed answer, then the candidate's."""
    machine = answer.turn.grade
    return f"{machine.score if machine is not None else '—'} → {answer.dispute.grade.score}"


def percent(rate: float) -> str:
    """A share as a whole percentage: `25%`."""
    return f"{rate:.0%}"


def overrule_rows(rates: Sequence[OverruleRate]) -> list[OverruleRate]:
    """The rates in the order every view shows them: each question's, worst first, followed by
    its key points' (worst first): a key point read apart from its question says little."""
    points: dict[str, list[OverruleRate]] = {}
    questions: list[OverruleRate] = []
    for rate in rates:  # the store's order: worst first
        if rate.key_point_id is None:
            questions.append(rate)
        else:
            points.setdefault(rate.question_id, []).append(rate)
    return [r for q in questions for r in (q, *points.get(q.question_id, []))]


OVERRULE_HEADING = (
    "How often candidates overruled the grader (worst first): where the bank or the grader "
    "needs work"
)
"""What the overrule table is, above it in every report."""


def cohort_text(
    overview: CohortOverview,
    *,
    waiting: Sequence[DisputedAnswer] | None = None,
    rates: Sequence[OverruleRate] | None = None,
) -> str:
    """The cohort as plain text tables, for a terminal; with the disputed grades `waiting`
    for a mentor and the grader's overrule `rates` when given."""
    names = [candidate_name(c.candidate) for c in overview.candidates]
    width = max([len("Candidate"), *(len(n) for n in names)])
    sessions = sum(c.sessions for c in overview.candidates)
    lines = [
        f"Cohort: {len(overview.candidates)} candidate(s), {sessions} session(s). Trend: the "
        f"last {TREND_SESSIONS} sessions' average minus the earlier ones'.",
        "",
        f"{'Candidate':<{width}}  Sessions  Answers  Avg  Trend  Weakest categories",
    ]
    for name, c in zip(names, overview.candidates, strict=True):
        lines.append(
            f"{name:<{width}}  {c.sessions:>8}  {c.answers:>7}  {number(c.average_score):>3}"
            f"  {trend_text(c):>5}  {weakest_text(c)}"
        )
    if not overview.candidates:
        lines.append("(no session yet)")
    lines += ["", f"Questions the cohort fails most (an attempt under {overview.failing_below})"]
    if not overview.troubles:
        lines.append("(none failed)")
    for t in overview.troubles:
        lines.append(
            f"- {visible(t.question_text)} [{t.question_id}, {t.category}]: failed "
            f"{t.failed} of {t.attempts}, average {t.average_score:.0f}, "
            f"{t.candidates} candidate(s)"
        )
        for kp in t.key_points:
            lines.append(
                f"    missed {kp.missed}, contradicted {kp.contradicted} of {kp.graded}: "
                f"{visible(kp.text)}"
            )
    if waiting is not None:
        lines += [
            "",
            f"Disputed grades waiting for a mentor: {len(waiting)}"
            + (" (settle them on the Cohort tab of `mock-interview review`)" if waiting else ""),
        ]
    if rates is not None:
        lines += ["", *overrule_lines(rates)]
    return "\n".join(lines) + "\n"


def overrule_lines(rates: Sequence[OverruleRate]) -> list[str]:
    """How often the grader was overruled, per question with its key points under it, as
    text lines: numbers first, so the columns hold whatever the text's length."""
    rows = overrule_rows(rates)
    if not rows:
        return [OVERRULE_HEADING, "(no grade disputed)"]
    lines = [OVERRULE_HEADING, "Rate  Disputed  Accepted  Rejected  Graded  Question / key point"]
    for rate in rows:
        text = (
            f"{visible(rate.question_text)} [{rate.question_id}]"
            if rate.key_point_id is None
            else f"  · {visible(rate.key_point_text)}"
        )
        lines.append(
            f"{percent(rate.rate):>4}  {rate.disputed:>8}  {rate.accepted:>8}  "
            f"{rate.rejected:>8}  {rate.graded:>6}  {text}"
        )
    return lines


def cohort_document(
    overview: CohortOverview, *, generated_at: datetime, disputes: Disputes = NO_DISPUTES
) -> dict[str, Any]:
    """The cohort as JSON-ready data (times in ISO 8601 UTC)."""
    return {
        "format": COHORT_FORMAT,
        "format_version": COHORT_FORMAT_VERSION,
        "generated_at": generated_at.isoformat(),
        "trend_sessions": TREND_SESSIONS,
        "failing_below": overview.failing_below,
        "candidates": [
            {
                "candidate": c.candidate,
                "sessions": c.sessions,
                "answers": c.answers,
                "average_score": c.average_score,
                "recent_average": c.recent_average,
                "earlier_average": c.earlier_average,
                "trend": c.trend,
                "last_session_at": c.last_session_at.isoformat() if c.last_session_at else None,
                "weakest_categories": [
                    {"category": w.category, "average_score": w.average_score, "count": w.count}
                    for w in c.weakest
                ],
            }
            for c in overview.candidates
        ],
        "questions_failed_most": [
            {
                "question_id": t.question_id,
                "question": t.question_text,
                "category": t.category,
                "attempts": t.attempts,
                "failed": t.failed,
                "candidates": t.candidates,
                "average_score": t.average_score,
                "key_points": [
                    {
                        "id": kp.id,
                        "text": kp.text,
                        "missed": kp.missed,
                        "contradicted": kp.contradicted,
                        "graded": kp.graded,
                    }
                    for kp in t.key_points
                ],
            }
            for t in overview.troubles
        ],
        "disputes_waiting": disputes.waiting,
        "overrule_rates": [
            {
                "question_id": r.question_id,
                "question": r.question_text,
                "key_point_id": r.key_point_id,
                "key_point": r.key_point_text if r.key_point_id is not None else None,
                "graded": r.graded,
                "disputed": r.disputed,
                "accepted": r.accepted,
                "rejected": r.rejected,
                "rate": r.rate,
            }
            for r in disputes.rates
        ],
    }


def render_cohort_json(
    overview: CohortOverview, *, generated_at: datetime, disputes: Disputes = NO_DISPUTES
) -> str:
    """The cohort as JSON (text kept exactly; `ensure_ascii` escapes whatever could act)."""
    document = cohort_document(overview, generated_at=generated_at, disputes=disputes)
    return json.dumps(document, indent=2) + "\n"


def render_cohort_csv(
    overview: CohortOverview, *, generated_at: datetime, disputes: Disputes = NO_DISPUTES
) -> str:
    """The cohort as CSV rows (see CSV_COLUMNS); cells hold the text exactly as stored."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    when = generated_at.isoformat()
    blank: dict[str, object] = dict.fromkeys(CSV_COLUMNS, "")

    def row(**cells: object) -> None:
        writer.writerow([{**blank, "generated_at": when, **cells}[c] for c in CSV_COLUMNS])

    def rounded(value: float | None) -> object:
        return "" if value is None else round(value, 1)

    for c in overview.candidates:
        row(
            row="candidate",
            candidate=c.candidate,
            sessions=c.sessions,
            answers=c.answers,
            average_score=rounded(c.average_score),
            recent_average=rounded(c.recent_average),
            earlier_average=rounded(c.earlier_average),
            trend=rounded(c.trend),
            weakest_categories="; ".join(f"{w.category} {w.average_score:.0f}" for w in c.weakest),
        )
    for t in overview.troubles:
        question = {"question_id": t.question_id, "question": t.question_text}
        row(
            row="question",
            **question,
            category=t.category,
            attempts=t.attempts,
            failed=t.failed,
            candidates=t.candidates,
            average_score=rounded(t.average_score),
        )
        for kp in t.key_points:
            row(
                row="key_point",
                **question,
                key_point_id=kp.id,
                key_point=kp.text,
                missed=kp.missed,
                contradicted=kp.contradicted,
                graded=kp.graded,
            )
    row(row="disputes", waiting=disputes.waiting)
    for r in disputes.rates:
        row(
            row="overrule",
            question_id=r.question_id,
            question=r.question_text,
            key_point_id=r.key_point_id or "",
            key_point=r.key_point_text if r.key_point_id is not None else "",
            graded=r.graded,
            disputed=r.disputed,
            accepted=r.accepted,
            rejected=r.rejected,
            overrule_rate=round(r.rate, 3),
        )
    return buffer.getvalue()


def render_cohort_markdown(
    overview: CohortOverview, *, generated_at: datetime, disputes: Disputes = NO_DISPUTES
) -> str:
    """The cohort as Markdown tables."""

    def cell(text: str) -> str:
        return visible(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Cohort report",
        "",
        f"Generated {generated_at:%Y-%m-%d %H:%M} UTC. Trend: the last {TREND_SESSIONS} "
        "sessions' average minus the earlier ones'.",
        "",
        "| Candidate | Sessions | Answers | Average | Trend | Weakest categories |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for c in overview.candidates:
        lines.append(
            f"| {cell(candidate_name(c.candidate))} | {c.sessions} | {c.answers} | "
            f"{number(c.average_score)} | {trend_text(c)} | {cell(weakest_text(c))} |"
        )
    lines += ["", f"## Questions the cohort fails most (under {overview.failing_below})", ""]
    if not overview.troubles:
        lines.append("No question was failed.")
    for t in overview.troubles:
        lines.append(
            f"- **{cell(t.question_text)}** ({cell(t.category)}): failed {t.failed} of "
            f"{t.attempts}, average {t.average_score:.0f}, {t.candidates} candidate(s)"
        )
        for kp in t.key_points:
            lines.append(
                f"  - {cell(kp.text)}: missed {kp.missed}, contradicted {kp.contradicted} "
                f"of {kp.graded}"
            )
    lines += ["", "## Disputed grades", "", f"Waiting for a mentor: {disputes.waiting}.", ""]
    rows = overrule_rows(disputes.rates)
    if not rows:
        lines.append("No grade was disputed.")
    else:
        lines += [
            f"{OVERRULE_HEADING}.",
            "",
            "| Question / key point | Rate | Disputed | Accepted | Rejected | Graded |",
            "|---|---:|---:|---:|---:|---:|",
        ]
    for r in rows:
        name = (
            f"**{cell(r.question_text)}**"
            if r.key_point_id is None
            else f"· {cell(r.key_point_text)}"
        )
        lines.append(
            f"| {name} | {percent(r.rate)} | {r.disputed} | {r.accepted} | "
            f"{r.rejected} | {r.graded} |"
        )
    return "\n".join(lines) + "\n"


_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; color: #1d1f21; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.5rem; }
th, td { border-bottom: 1px solid #d0d4d9; padding: .25rem .5rem; text-align: left; }
th { color: #5f6368; font-weight: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.up { color: #1e7d32; } .down { color: #b3261e; }
.muted { color: #5f6368; }
"""


def render_cohort_html(
    overview: CohortOverview, *, generated_at: datetime, disputes: Disputes = NO_DISPUTES
) -> str:
    """The cohort as one self-contained HTML page (no script, no remote load)."""

    def text(value: str) -> str:
        return escape(visible(value))

    rows = []
    for c in overview.candidates:
        trend = c.trend
        trend_class = "" if trend is None or round(trend) == 0 else "up" if trend > 0 else "down"
        rows.append(
            f"<tr><td>{text(candidate_name(c.candidate))}</td><td class=n>{c.sessions}</td>"
            f"<td class=n>{c.answers}</td><td class=n>{number(c.average_score)}</td>"
            f'<td class="n {trend_class}">{escape(trend_text(c))}</td>'
            f"<td>{text(weakest_text(c))}</td></tr>"
        )
    questions = []
    for t in overview.troubles:
        points = "".join(
            f"<li>{text(kp.text)} <span class=muted>missed {kp.missed}, contradicted "
            f"{kp.contradicted} of {kp.graded}</span></li>"
            for kp in t.key_points
        )
        questions.append(
            f"<tr><td>{text(t.question_text)}<ul>{points}</ul></td><td>{text(t.category)}</td>"
            f"<td class=n>{t.failed} / {t.attempts}</td><td class=n>{t.average_score:.0f}</td>"
            f"<td class=n>{t.candidates}</td></tr>"
        )
    empty_questions = "<tr><td colspan=5 class=muted>No question was failed.</td></tr>"
    overrules = []
    for r in overrule_rows(disputes.rates):
        name = (
            f"<b>{text(r.question_text)}</b>"
            if r.key_point_id is None
            else f"&middot; {text(r.key_point_text)}"
        )
        overrules.append(
            f"<tr><td>{name}</td><td class=n>{percent(r.rate)}</td>"
            f"<td class=n>{r.disputed}</td><td class=n>{r.accepted}</td>"
            f"<td class=n>{r.rejected}</td><td class=n>{r.graded}</td></tr>"
        )
    empty_overrules = "<tr><td colspan=6 class=muted>No grade was disputed.</td></tr>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Cohort report</title><style>{_STYLE}</style></head>
<body>
<h1>Cohort report</h1>
<p class=muted>Generated {generated_at:%Y-%m-%d %H:%M} UTC. Trend: the last {TREND_SESSIONS}
sessions' average minus the earlier ones'.</p>
<table><thead><tr><th>Candidate</th><th>Sessions</th><th>Answers</th><th>Average</th>
<th>Trend</th><th>Weakest categories</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>Questions the cohort fails most (under {overview.failing_below})</h2>
<table><thead><tr><th>Question and key points missed or contradicted</th><th>Category</th>
<th>Failed</th><th>Average</th><th>Candidates</th></tr></thead>
<tbody>{"".join(questions) or empty_questions}</tbody></table>
<h2>Disputed grades</h2>
<p>Waiting for a mentor: {disputes.waiting}. {OVERRULE_HEADING}.</p>
<table><thead><tr><th>Question / key point</th><th>Rate</th><th>Disputed</th><th>Accepted</th>
<th>Rejected</th><th>Graded</th></tr></thead>
<tbody>{"".join(overrules) or empty_overrules}</tbody></table>
</body></html>
"""


def render_cohort(
    overview: CohortOverview,
    fmt: ReportFormat,
    *,
    generated_at: datetime,
    disputes: Disputes = NO_DISPUTES,
) -> str:
    """The cohort report in `fmt`, with what it says about disputed grades."""
    renderers = {
        "md": render_cohort_markdown,
        "html": render_cohort_html,
        "json": render_cohort_json,
        "csv": render_cohort_csv,
    }
    return renderers[fmt](overview, generated_at=generated_at, disputes=disputes)


def export_cohort(
    store: SessionStore,
    fmt: ReportFormat,
    *,
    output: Path | None,
    out: TextIO,
    err: TextIO,
    generated_at: datetime,
    force: bool = False,
    config_dir: Path | None = None,
) -> int:
    """`mock-interview export --cohort`: the report to `out`, or whole to `output` (never over
    the session database, nor an existing file without `force`). Returns the exit code: 1 for
    a file that cannot or must not be written, EXIT_NOT_A_MENTOR for anyone but a mentor."""
    from assistant.reports.export import deliver, output_refused, protected_files
    from assistant.store.repository import NotAMentorError

    protected = protected_files(store, config_dir)
    if output_refused(output, force=force, protected=protected, err=err):
        return 1
    try:
        overview = store.cohort()
        disputes = Disputes.of(store)
    except NotAMentorError:
        return refuse(store, err)
    text = render_cohort(overview, fmt, generated_at=generated_at, disputes=disputes)
    written = f"the cohort of {len(overview.candidates)} candidate(s)"
    return deliver(text, output, out=out, err=err, force=force, protected=protected, what=written)


EXIT_NOT_A_MENTOR = 3
"""Exit status of a cohort command asked for by someone who is not a mentor."""


def refuse(store: SessionStore, err: TextIO, config: Path | None = None) -> int:
    """Say why the cohort is refused and how to become a mentor; returns EXIT_NOT_A_MENTOR."""
    from assistant.settings import config_dir, configured_mentors, mentor_refusal

    where = config or config_dir()
    print(
        f"error: {mentor_refusal(store.candidate, where, configured_mentors(where)[1])}",
        file=err,
    )
    return EXIT_NOT_A_MENTOR
