"""The four report formats rendered from fixed fake sessions: goldens, escaping, edge sessions."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.reports import (
    FORMATS,
    ReportFormat,
    ReportFormatError,
    details_from_json,
    render_report,
)
from assistant.store.records import SessionDetail
from tests.reports.sample_sessions import (
    GENERATED_AT,
    MODEL,
    empty_session,
    full_session,
    in_progress_session,
    turn,
)

GOLDEN = Path(__file__).parent / "golden"
"""Expected reports; regenerate with UPDATE_GOLDEN=1 after an intended change, then review."""


def golden_sessions() -> list[SessionDetail]:
    """A completed, an in-progress (French) and an empty session."""
    return [full_session(), in_progress_session(), empty_session()]


@pytest.mark.parametrize("fmt", ["md", "json", "csv"])
def test_report_matches_golden_file(fmt: ReportFormat) -> None:
    text = render_report(golden_sessions(), fmt, generated_at=GENERATED_AT, tz=UTC)
    golden = GOLDEN / f"report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(text.encode("utf-8"))
    assert text == golden.read_bytes().decode("utf-8")


def test_markdown_shows_the_answer_exactly_as_typed_in_a_longer_fence() -> None:
    detail = full_session()
    text = render_report([detail], "md", generated_at=GENERATED_AT, tz=UTC)
    # The answer contains a ``` fence of its own, so the block must open with four backticks.
    assert "````text\n" + detail.turns[0].answer + "\n````" in text


def test_json_reads_back_to_the_same_sessions() -> None:
    sessions = golden_sessions()
    text = render_report(sessions, "json", generated_at=GENERATED_AT)
    assert details_from_json(text) == sessions


def test_json_names_model_bank_date_and_notices() -> None:
    document = json.loads(render_report(golden_sessions(), "json", generated_at=GENERATED_AT))
    assert document["generated_at"] == "2025-03-14T18:00:00+00:00"
    first, in_progress, empty = document["sessions"]
    assert first["model_id"] == MODEL and first["bank_version"].startswith("mlops@")
    assert first["notices"] == []
    assert in_progress["notices"] == ["in-progress"]
    assert empty["notices"] == ["abandoned", "empty"]
    assert first["turns"][0]["grade"]["key_points"][0]["evidence"].startswith("MLOps *applies*")


def test_json_reader_refuses_other_documents() -> None:
    with pytest.raises(ReportFormatError, match="not a mock-interview-report"):
        details_from_json('{"sessions": []}')
    with pytest.raises(ReportFormatError, match="not JSON"):
        details_from_json("# Markdown")


def test_csv_has_one_row_per_turn_and_one_for_an_empty_session() -> None:
    text = render_report(golden_sessions(), "csv", generated_at=GENERATED_AT)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["turn_id"] for r in rows] == ["101", "102", "103", "104", "201", ""]
    assert rows[0]["answer"] == full_session().turns[0].answer
    assert rows[1]["follow_up_of"] == "101"
    assert rows[2]["skipped"] == "yes" and rows[2]["score"] == ""
    assert rows[-1]["session_notices"] == "abandoned empty"
    assert {r["model_id"] for r in rows} == {MODEL}


def test_csv_keeps_a_formula_answer_exactly() -> None:
    """Exact, not prefixed with `'`: a program reading the CSV gets the answer typed; a
    spreadsheet user imports the columns as text (issue 12, item 13)."""
    detail = full_session()
    formula = turn(9, 1, answer='=HYPERLINK("http://x.example","click")')
    text = render_report(
        [SessionDetail(detail.session, [formula])], "csv", generated_at=GENERATED_AT
    )
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    assert row["answer"] == formula.answer


class _PageText(HTMLParser):
    """Collects the tags of a page and the text inside each `<pre class="answer">`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.answers: list[str] = []
        self._in_answer = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "pre" and ("class", "answer") in attrs:
            self._in_answer = True
            self.answers.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_answer = False

    def handle_data(self, data: str) -> None:
        if self._in_answer:
            self.answers[-1] += data


def test_html_answer_with_script_and_closing_td_stays_inert_text() -> None:
    hostile = '</td></tr></table><script>alert("x")</script><img src=x onerror=alert(1)>'
    detail = full_session()
    answered = turn(9, 1, answer=hostile)
    page = render_report(
        [SessionDetail(detail.session, [answered, *detail.turns[1:]])],
        "html",
        generated_at=GENERATED_AT,
        tz=UTC,
    )
    parser = _PageText()
    parser.feed(page)
    assert parser.answers[0] == hostile
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;" in page and "&lt;/td&gt;" in page
    assert page.count("<td") == page.count("</td>")


def test_html_is_self_contained() -> None:
    page = render_report(golden_sessions(), "html", generated_at=GENERATED_AT, tz=UTC)
    parser = _PageText()
    parser.feed(page)
    assert {"script", "link", "img", "iframe"}.isdisjoint(parser.tags)
    assert "src=" not in page and "href=" not in page and "@import" not in page
    assert "<style>" in page and "@media print" in page
    assert MODEL in page and "2025-03-14 18:00 UTC" in page


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_session_at_all_renders_and_says_so(fmt: ReportFormat) -> None:
    text = render_report([], fmt, generated_at=GENERATED_AT, tz=UTC)
    if fmt == "json":
        assert json.loads(text)["sessions"] == []
    elif fmt == "csv":
        assert text.count("\r\n") == 1  # the header alone
    else:
        assert "There is no session in this report." in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_in_progress_and_empty_sessions_render_with_their_notice(fmt: ReportFormat) -> None:
    text = render_report(
        [in_progress_session(), empty_session()], fmt, generated_at=GENERATED_AT, tz=UTC
    )
    assert "Cette session est encore en cours" in text
    assert "No question was answered in this session." in text
    assert "Session 14" in text


def test_lang_overrides_each_session_language() -> None:
    text = render_report([in_progress_session()], "md", generated_at=GENERATED_AT, lang="en")
    assert "This session is still in progress" in text
    assert "en cours" not in text


def test_markdown_and_html_name_categories_by_their_bank_title() -> None:
    """Given the bank's titles, a mentor reads "Fondamentaux", not the id "fundamentals"."""
    from assistant.knowledge.loader import load_bank
    from assistant.settings import shipped_bank_dir

    bank = load_bank([shipped_bank_dir()]).bank
    details = [full_session()]
    assert details[0].turns[0].category == "fundamentals"
    for fmt in ("md", "html"):
        titled = render_report(
            details,
            fmt,  # type: ignore[arg-type]
            generated_at=GENERATED_AT,
            tz=UTC,
            lang="fr",
            bank=bank,
        )
        assert "Fondamentaux" in titled
        plain = render_report(details, fmt, generated_at=GENERATED_AT, tz=UTC, lang="fr")  # type: ignore[arg-type]
        assert "Fondamentaux" not in plain and "fundamentals" in plain


def test_markdown_and_html_list_a_questions_common_mistakes_once() -> None:
    """Under a main question's reference, the bank's common mistakes; never under a follow-up."""
    from assistant.knowledge.loader import load_bank
    from assistant.settings import shipped_bank_dir

    bank = load_bank([shipped_bank_dir()]).bank
    pitfalls = bank.questions["what-is-mlops"].pitfalls
    details = [full_session()]
    for fmt in ("md", "html"):
        text = render_report(
            details,
            fmt,  # type: ignore[arg-type]
            generated_at=GENERATED_AT,
            tz=UTC,
            lang="en",
            bank=bank,
        )
        # The session has the question once, with a follow-up; two other ids are not in the bank.
        assert text.count("Common mistakes on this question") == 1
        for pitfall in pitfalls:
            assert text.count(pitfall.claim.en) == 1
            assert text.count(pitfall.correction.en) == 1
        plain = render_report(details, fmt, generated_at=GENERATED_AT, tz=UTC, lang="en")  # type: ignore[arg-type]
        assert "Common mistakes" not in plain
