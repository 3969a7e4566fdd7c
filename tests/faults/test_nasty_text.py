"""Nasty answers: JSON and CSV keep the text exactly; Markdown, HTML and the screen show it
visibly, and none lets markup or an escape sequence through (issue 12, item 13)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget

from assistant.app import make_app
from assistant.interview.visible import visible
from assistant.knowledge.loader import load_bank
from assistant.reports import details_from_json, render_report
from assistant.screens.review import ReviewScreen, TurnCard
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import SessionDetail, SessionStore, open_store
from assistant.widgets.transcript import Transcript

NASTY = {
    "rich-markup": "[bold red]not bold[/] [link=https://x.example]link[/link] [/]",
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)></pre></td>',
    "markdown": "# heading\n- item\n```\ncode\n```\n[a](javascript:alert(1)) ![i](x) *b* &amp;",
    "ansi": "\x1b[2J\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[6n",
    "c1-csi": "\x9b2J \x9d0;title\x9c",
    "nul": "before\x00after",
    "carriage-return": "what you see\rwhat is hidden",
    "windows-lines": "line one\r\nline two\r\n",
    "rtl-override": "price: \u202e01$\u202c and \u2067isolate\u2069 and \u200fmark",
    "separators": "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg\x7fh",
    "emoji": "🚀 👩‍💻 🇫🇷 ❤️",
    "combining": "e\u0301 a\u0308 Z\u0351\u0352\u0357\u0358 ﷽",
    "formula": '=cmd|" /C calc"!A0',
    "formula-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "megabyte": ("x" * 1023 + "\n") * 1024,
}
"""Answers as a person could paste them; each must survive every export and the screen."""

ACTING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters that act instead of showing: none may reach a Markdown or HTML report raw."""

T0 = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SessionStore, int]]:
    """One session in a real SQLite log, one turn per nasty answer (also the question text)."""
    db = tmp_path_factory.mktemp("nasty") / "sessions.db"
    with open_store(db) as store:
        session_id = store.start_session(
            mode="practice",
            lang="en",
            settings={},
            model_id="m",
            bank_version="1",
            started_at=T0,
        )
        for order, text in enumerate(NASTY.values(), start=1):
            store.record_turn(
                session_id,
                order=order,
                question_id=f"q{order}",
                question_text=text[:200],
                reference_answer="Reference.",
                category="fundamentals",
                answer=text,
                shown_at=T0 + timedelta(minutes=order),
                submitted_at=T0 + timedelta(minutes=order, seconds=30),
            )
        yield store, session_id


@pytest.fixture(scope="module")
def detail(logged: tuple[SessionStore, int]) -> SessionDetail:
    store, session_id = logged
    found = store.get_session(session_id)
    assert found is not None
    return found


def test_the_log_keeps_every_answer_exactly(detail: SessionDetail) -> None:
    assert [t.answer for t in detail.turns] == list(NASTY.values())


def test_json_reads_back_exactly_and_holds_no_acting_character(detail: SessionDetail) -> None:
    text = render_report([detail], "json", generated_at=T0)

    (back,) = details_from_json(text)
    assert [t.answer for t in back.turns] == list(NASTY.values())
    assert [t.question_text for t in back.turns] == [t.question_text for t in detail.turns]
    assert ACTING.search(text) is None, "a raw control character in the JSON file"
    assert "\\u001b[2J" in text and "\\u009b2J" in text and "\\u202e" in text


def test_csv_reads_back_exactly_formulas_included(detail: SessionDetail) -> None:
    """The CSV keeps every cell exactly, a leading `=` or `@` too (a program reading it back
    gets the answer typed); a spreadsheet user imports its columns as text (see as_csv)."""
    text = render_report([detail], "csv", generated_at=T0)

    limit = csv.field_size_limit()
    csv.field_size_limit(4 * len(NASTY["megabyte"]))
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    finally:
        csv.field_size_limit(limit)
    assert [r["answer"] for r in rows] == list(NASTY.values())
    assert [r["question"] for r in rows] == [t.question_text for t in detail.turns]


class _Page(HTMLParser):
    """The tags of a page, and the text of each `<pre>` (answer or Markdown code block)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.blocks: list[str] = []
        self._in_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]
        if tag == "pre":
            self._in_pre = True
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_pre = False

    def handle_data(self, data: str) -> None:
        if self._in_pre:
            self.blocks[-1] += data


def _shown(answer: str) -> str:
    """What a visual report shows of an answer: its line breaks, every acting character as a
    symbol."""
    return visible(answer).rstrip("\n")


def test_html_shows_every_answer_visibly_and_runs_nothing(detail: SessionDetail) -> None:
    page = render_report([detail], "html", generated_at=T0, tz=UTC)

    parsed = _Page()
    parsed.feed(page)
    assert [b.rstrip("\n") for b in parsed.blocks] == [_shown(a) for a in NASTY.values()]
    assert not {"script", "img", "a", "b"} & set(parsed.tags)
    assert "onerror" not in parsed.attrs
    assert ACTING.search(page) is None, "a raw control character in the HTML file"
    assert "␛[2J" in page and "␀" in page and "⟨U+202E⟩" in page


def test_markdown_shows_every_answer_visibly_and_runs_nothing(detail: SessionDetail) -> None:
    text = render_report([detail], "md", generated_at=T0, tz=UTC)

    assert ACTING.search(text) is None, "a raw control character in the Markdown file"
    page = MarkdownIt("commonmark").render(text)
    parsed = _Page()
    parsed.feed(page)
    # Each answer is one code block, shown as typed but for the symbols; the headings (question
    # text, made inline) hold no element either.
    assert [b.rstrip("\n") for b in parsed.blocks] == [_shown(a) for a in NASTY.values()]
    # (`strong` is ours: the labels; `em` would be the answer's `*b*` interpreted.)
    assert not {"script", "img", "a", "b", "em"} & set(parsed.tags)
    assert "␛[2J" in text and "⟨U+009B⟩2J" in text and "⟨U+202E⟩" in text


def _on_screen(widget: Widget) -> str:
    width, height = widget.region.size
    return "\n".join(s.text for s in widget.render_lines(Region(0, 0, width, height)))


async def test_the_review_screen_shows_control_characters_as_symbols(
    logged: tuple[SessionStore, int],
) -> None:
    store, session_id = logged
    app = make_app(
        Settings.from_env(db=store.path),
        load_bank([shipped_bank_dir()]),
        store,
        grader_loader=_no_model,
        review=True,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await screen.show_session(session_id)
        await pilot.pause()
        cards = list(screen.query(TurnCard))
        ansi_card = cards[list(NASTY).index("ansi")]
        shown = _on_screen(ansi_card)
        assert "\x1b" not in shown and "␛[2J␛[31mred" in shown
        markup_card = cards[list(NASTY).index("rich-markup")]
        assert "[bold red]not bold[/]" in _on_screen(markup_card)


class _TranscriptApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Transcript()


async def test_the_transcript_shows_an_answer_with_escapes_as_symbols() -> None:
    app = _TranscriptApp()
    async with app.run_test(size=(100, 20)) as pilot:
        entry = app.query_one(Transcript).candidate(NASTY["ansi"] + " " + NASTY["carriage-return"])
        await pilot.pause()
        shown = _on_screen(entry)
        assert "\x1b" not in shown
        assert "␛[2J␛[31mred" in shown and "what you see␍what is hidden" in shown


def _no_model() -> Any:
    raise RuntimeError("review loads no model")


def test_visible_leaves_ordinary_text_alone() -> None:
    ordinary = "Tabs\tand\nnew lines, café, مرحبا \u200f, 🚀, e\u0301, [b], <i>, `code`"
    assert visible(ordinary) == ordinary


def test_nothing_nasty_is_lost_in_a_file_written_with_the_megabyte_answer(
    detail: SessionDetail, tmp_path: Path
) -> None:
    for fmt in ("md", "html", "json", "csv"):
        path = tmp_path / f"report.{fmt}"
        path.write_text(render_report([detail], fmt, generated_at=T0), encoding="utf-8")
        assert path.stat().st_size > len(NASTY["megabyte"])
