"""The summary table at the top of each session in the HTML and Markdown reports, and the HTML's
print rules (a printed report must not leave half-empty pages)."""

from __future__ import annotations

import re
from datetime import UTC
from html.parser import HTMLParser

from assistant.reports import render_report
from assistant.store.records import SessionDetail
from tests.reports.sample_sessions import (
    GENERATED_AT,
    empty_session,
    full_session,
    in_progress_session,
    turn,
)

EXPECTED_ROWS = [
    # number, question, score, verdict, covered, partly, missed, contradicted
    ["1", "What is MLOps?", "62", "Adequate", "1", "1", "1", "0"],
    ["↳", "How would you make training reproducible?", "40", "Partial", "1", "1", "1", "0"],
    ["2", "What is a feature store?", "—", "Skipped", "—", "—", "—", "—"],
    ["3", "What is a canary release?", "—", "not graded yet", "—", "—", "—", "—"],
]
"""`full_session()` at a glance: a graded question and its follow-up, a skip, an ungraded answer."""


class _SummaryTables(HTMLParser):
    """The cell texts of every `table.summary`, one list of rows per table, header row first."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._inside = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "summary") in attrs:
            self._inside = True
            self.tables.append([])
        elif self._inside and tag == "tr":
            self.tables[-1].append([])
        elif self._inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._inside = False
        elif self._inside and tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def summary_tables(page: str) -> list[list[list[str]]]:
    parser = _SummaryTables()
    parser.feed(page)
    return parser.tables


def test_html_session_opens_with_a_summary_row_per_question_and_follow_up() -> None:
    page = render_report([full_session()], "html", generated_at=GENERATED_AT, tz=UTC)
    (table,) = summary_tables(page)
    assert table[0] == [
        "#",
        "Question",
        "Score",
        "Verdict",
        "Covered",
        "Partly",
        "Missed",
        "Contradicted",
    ]
    assert table[1:] == EXPECTED_ROWS
    # Above the questions, and the verdict coloured by its band.
    assert page.index('<table class="summary">') < page.index("<h3>")
    assert '<td class="verdict adequate">Adequate</td>' in page


def test_html_summary_follows_each_sessions_language_and_skips_empty_sessions() -> None:
    sessions = [full_session(), in_progress_session(), empty_session()]
    page = render_report(sessions, "html", generated_at=GENERATED_AT, tz=UTC)
    tables = summary_tables(page)
    assert len(tables) == 2  # the empty session has no table, only its notice
    assert tables[1] == [
        ["n°", "Question", "Note", "Verdict", "Couverts", "En partie", "Manqués", "Contredits"],
        ["1", "What is MLOps?", "88", "Solide", "1", "1", "1", "0"],
    ]


def test_html_summary_keeps_markup_in_a_question_as_text() -> None:
    detail = full_session()
    odd = turn(9, 1, question="Is <b>this</b> & that | fine?")
    page = render_report(
        [SessionDetail(detail.session, [odd])], "html", generated_at=GENERATED_AT, tz=UTC
    )
    assert summary_tables(page)[0][1][1] == "Is <b>this</b> & that | fine?"
    assert "<b>this</b>" not in page


def test_html_print_rules_break_between_questions_only_when_a_page_is_full() -> None:
    page = render_report([full_session()], "html", generated_at=GENERATED_AT, tz=UTC)
    (print_css,) = re.findall(r"@media print \{(.*?)\n\}", page, flags=re.S)
    # Small parts never split, headings stay with what follows them...
    kept_whole = r"table\.summary tr, table\.points tr[^{]*\{ break-inside: avoid; \}"
    assert re.search(kept_whole, print_css)
    assert re.search(r"h2, h3, h4[^{]*\{ break-after: avoid; \}", print_css)
    # ...but a whole question may: kept together, a long one left most of a page blank.
    assert ".turn" not in print_css
    # A session after the first starts a page; the first one does not.
    assert "section.session + section.session { break-before: page; }" in print_css
    assert "h2 { break-before: page; }" not in print_css


def test_markdown_session_opens_with_the_same_summary_table() -> None:
    text = render_report([full_session()], "md", generated_at=GENERATED_AT, tz=UTC)
    start = text.index("**Summary**")
    assert start < text.index("### Question 1.")
    table = text[start:].split("\n\n")[1].splitlines()
    assert table[0] == (
        "| # | Question | Score | Verdict | Covered | Partly | Missed | Contradicted |"
    )
    assert table[1] == "| --: | --- | --: | --- | --: | --: | --: | --: |"
    assert [row.strip("| ").split(" | ") for row in table[2:]] == EXPECTED_ROWS


def test_markdown_summary_escapes_a_pipe_in_a_question() -> None:
    detail = full_session()
    odd = turn(9, 1, question="A | B?")
    text = render_report(
        [SessionDetail(detail.session, [odd])], "md", generated_at=GENERATED_AT, tz=UTC
    )
    assert "| 1 | A \\| B? | —" in text
