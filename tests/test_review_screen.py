"""The review screen driven by a Pilot on a temporary log of five sessions, plus snapshots."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import ComposeResult
from textual.command import CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Select, Static

from assistant.app import InterviewApp, make_app
from assistant.interview.choices import save_last_choices
from assistant.interview.flow import InterviewSettings
from assistant.knowledge.loader import LoadReport, load_bank
from assistant.reports import reports_dir
from assistant.screens.dialogs import ConfirmDialog, Dialog
from assistant.screens.review import FormatDialog, ReviewScreen, TurnCard
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import SessionStore, open_store
from tests.reports.sample_log import MARKUP_ANSWER, fill_log

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so dates on screen and in file names are the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="module")
def bank_report() -> LoadReport:
    return load_bank([shipped_bank_dir()])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    with open_store(tmp_path / "sessions.db") as opened:
        yield opened


@pytest.fixture
def session_ids(store: SessionStore, bank_report: LoadReport) -> list[int]:
    """Five sessions, oldest first (see `fill_log`)."""
    return fill_log(store, bank_report.bank)


@pytest.fixture
def app(tmp_path: Path, bank_report: LoadReport, store: SessionStore) -> InterviewApp:
    settings = Settings.from_env(db=tmp_path / "sessions.db")
    # No grader: one would grade the in-progress session's answer and change the log under test.
    return make_app(settings, bank_report, store, grader_loader=no_model)


def no_model() -> Any:
    raise RuntimeError("no grading model in review tests")


async def open_review(pilot: Pilot[Any], session_id: int | None = None) -> ReviewScreen:
    """Push the review screen the way the app does, and let it settle."""
    await pilot.pause()  # the app's first screen (the start screen) comes first
    await pilot.app.workers.wait_for_complete()
    app = pilot.app
    assert isinstance(app, InterviewApp)
    app.show_review(then=lambda: app.notify("left review"), session_id=session_id)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def table_rows(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def on_screen(widget: Widget) -> str:
    """The text a widget draws, line by line, as the user sees it."""
    width, height = widget.region.size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def test_lists_every_session_newest_first(app: InterviewApp, session_ids: list[int]) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        rows = table_rows(screen.sessions_table)
        assert [r[0] for r in rows] == [
            "2025-03-13 09:00",
            "2025-03-12 09:00",
            "2025-03-10 09:00",
            "2025-03-05 09:00",
            "2025-03-01 09:00",
        ]
        # date, mode, language, questions, average, duration, status
        assert rows[2] == ["2025-03-10 09:00", "practice", "fr", "2", "68", "8:00", "completed"]
        assert rows[0][3:] == ["0", "—", "—", "in progress"]
        assert "5 of 5 sessions" in on_screen(screen.query_one("#session-count", Static))


async def test_sorts_by_key_and_reverses(app: InterviewApp, session_ids: list[int]) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("s", "s", "s", "s")  # date → mode → lang → questions → average
        assert screen.sort_key == "average"
        assert [r[4] for r in table_rows(screen.sessions_table)] == ["68", "55", "18", "—", "—"]
        await pilot.press("r")
        assert [r[4] for r in table_rows(screen.sessions_table)] == ["—", "—", "18", "55", "68"]


async def test_sorting_moves_no_column(app: InterviewApp, session_ids: list[int]) -> None:
    """Issue 21.17: the sort arrow widened its column and shifted the ones after it."""
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        table = screen.sessions_table

        def widths() -> list[int]:
            return [table.columns[key].get_render_width(table) for key in table.columns]

        first = widths()
        for _ in range(len(first)):
            await pilot.press("s")
            await pilot.pause()
            assert widths() == first
        await pilot.press("r")
        await pilot.pause()
        assert widths() == first


async def test_clicking_a_header_sorts_by_it_and_again_reverses(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        table = screen.sessions_table
        # The "Avg" header: past Date, Mode, Lang and Qs (each with one cell of padding a side).
        x = sum(table.columns[key].get_render_width(table) for key in list(table.columns)[:4])
        await pilot.click("#sessions", offset=(x + 1, 0))
        await pilot.pause()
        assert (screen.sort_key, screen.sort_descending) == ("average", True)
        assert [r[4] for r in table_rows(table)] == ["68", "55", "18", "—", "—"]
        await pilot.click("#sessions", offset=(x + 1, 0))
        await pilot.pause()
        assert [r[4] for r in table_rows(table)] == ["—", "—", "18", "55", "68"]


async def test_labels_follow_the_last_language_chosen(
    app: InterviewApp, session_ids: list[int]
) -> None:
    save_last_choices(app.settings.config_dir, InterviewSettings(lang="fr"))
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        labels = [str(c.label) for c in screen.sessions_table.columns.values()]
        assert labels == ["Date ▼", "Mode", "Langue", "Q.", "Moy.", "Durée", "Statut"]
        assert table_rows(screen.sessions_table)[2][1:3] == ["entraînement", "fr"]
        assert table_rows(screen.sessions_table)[2][-1] == "terminée"
        assert "5 sessions sur 5" in on_screen(screen.query_one("#session-count", Static))


async def test_filters_by_category_and_date(app: InterviewApp, session_ids: list[int]) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#category-filter", Select).value = "cloud"
        await pilot.pause()
        assert [r[0] for r in table_rows(screen.sessions_table)] == ["2025-03-05 09:00"]
        screen.query_one("#category-filter", Select).clear()
        screen.query_one("#date-filter", Input).focus()
        await pilot.press(*"2025-03-1")
        await pilot.pause()
        dates = [r[0] for r in table_rows(screen.sessions_table)]
        assert dates == ["2025-03-13 09:00", "2025-03-12 09:00", "2025-03-10 09:00"]
        await pilot.press(*"9")
        await pilot.pause()
        assert screen.sessions_table.row_count == 0
        assert "No session matches" in on_screen(screen.query_one("#sessions-empty", Static))


async def test_enter_opens_a_session_turn_by_turn_as_typed(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("ctrl+end", "enter")  # the oldest session
        await pilot.pause()
        assert screen.tabs.active == "session-pane"
        cards = list(screen.query(TurnCard))
        # Three questions and the follow-up, which comes right under its question.
        assert [c.turn.question_id for c in cards] == [
            "what-is-mlops",
            "what-is-mlops",
            "model-and-concept-drift",
            "ci-cd-for-ml",
        ]
        assert cards[1].turn.follow_up_of == cards[0].turn.id
        assert cards[1].has_class("follow-up")
        first = on_screen(cards[0])
        assert "Q1  What is MLOps, and why does it matter?" in first
        assert "MLOps is DevOps for models, I think." in first
        assert "Score 35/100" in first and "Reference answer" in first
        assert "you said" in first and "I said it in my own words." in first
        assert "1 hint(s)" in first and "1:45" in first
        # The question's common mistakes come after its reference; a follow-up repeats none.
        assert "Common mistakes on this question:" in first
        assert "✘ MLOps is mainly about training more accurate models" in first
        follow_up = on_screen(cards[1])
        assert "Common mistakes" not in follow_up
        assert "↳ follow-up" in follow_up
        assert "Monitoring and retraining, <b>mostly</b>." in follow_up
        # Markup in an answer is shown as typed, not applied.
        assert MARKUP_ANSWER in on_screen(cards[2]).replace("\n", " ")
        assert "skipped" in on_screen(cards[3]).lower()


async def test_in_progress_and_empty_sessions_say_so(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, session_id=session_ids[4])
        head = on_screen(screen.query_one("#session-head", Static))
        assert "still in progress" in head
        assert "No question was answered in this session." in head
        assert not list(screen.query(TurnCard))


async def test_history_shows_a_questions_attempts_side_by_side(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, session_id=session_ids[2])
        assert isinstance(screen.focused, TurnCard)
        assert screen.focused.turn.question_id == "what-is-mlops"
        await pilot.press("h")
        await pilot.pause()
        assert screen.tabs.active == "question-pane"
        head = on_screen(screen.query_one("#question-head", Static))
        assert "3 attempt(s)" in head and "Scores: 35 → 62 → 81" in head
        cards = list(screen.query(".attempt").results(Static))
        assert len(cards) == 3
        assert [c.region.y for c in cards] == [cards[0].region.y] * 3  # one row: side by side
        assert cards[0].region.x < cards[1].region.x < cards[2].region.x
        assert "62/100" in on_screen(cards[1]) and "mock" in on_screen(cards[1])
        await pilot.press("escape")
        assert screen.tabs.active == "session-pane"


async def test_progress_charts_categories_and_lists_weak_questions(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert screen.tabs.active == "progress-pane"
        weak: DataTable[Any] = screen.query_one("#weak-questions", DataTable)
        rows = table_rows(weak)
        # Drift was tried twice and stayed under 50; the skipped CI/CD question once.
        assert rows[0][0].startswith("What is model drift")
        assert rows[0][2:] == ["2", "30", "30"]
        assert [r[0] for r in rows if "MLOps, and why" in r[0]] == []  # 81 last time: not weak
        assert all(weak.columns["category"].width >= len(r[1]) for r in rows)
        chart = on_screen(screen.query_one("#progress-chart"))
        assert "Average score per category (by day)" in chart
        assert "2025-03-01" in chart and "2025-03-10" in chart
        legend = on_screen(screen.query_one("#progress-legend", Static))
        # In interview order; the technical question was skipped (0), still a point.
        assert legend.index("Fundamentals") < legend.index("Technical") < legend.index("Cloud")
        assert "Behavioural" in legend


async def test_a_weak_question_s_category_is_shown_whole(
    app: InterviewApp, store: SessionStore, session_ids: list[int]
) -> None:
    """Issue 21.17: "Cloud & infrastructure" was cut to "Cloud & infras" in the Progress tab."""
    from datetime import UTC, datetime

    from tests.store.conftest import make_grade

    sid = store.start_session(
        mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
    )
    when = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
    store.record_turn(
        sid,
        order=1,
        question_id="cloud-cost-management",
        question_text="Cloud costs?",
        reference_answer="r",
        category="cloud",
        answer="Spot instances.",
        grade=make_grade(20),
        shown_at=when,
        submitted_at=when,
    )
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("p")
        await pilot.pause()
        weak: DataTable[Any] = screen.query_one("#weak-questions", DataTable)
        [cloud] = [r for r in table_rows(weak) if r[1].startswith("Cloud")]
        assert cloud[1] == "Cloud & infrastructure"
        assert weak.columns["category"].width >= len("Cloud & infrastructure")


async def test_delete_asks_first_and_cancel_keeps_the_session(
    app: InterviewApp, store: SessionStore, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("ctrl+end", "d")
        await pilot.pause()
        question = pilot.app.screen.query_one(".dialog-text", Static)
        assert "Delete session 1 of 2025-03-01 09:00" in on_screen(question)
        await pilot.press("n")
        await pilot.pause()
        assert store.get_session(session_ids[0]) is not None
        await pilot.press("d", "y")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert store.get_session(session_ids[0]) is None
        assert screen.sessions_table.row_count == 4
        assert "2025-03-01 09:00" not in [r[0] for r in table_rows(screen.sessions_table)]


async def test_deleting_the_open_session_goes_back_to_the_list(
    app: InterviewApp, store: SessionStore, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, session_id=session_ids[2])
        await pilot.press("d", "y")
        await pilot.pause()
        assert store.get_session(session_ids[2]) is None
        assert screen.detail is None and not list(screen.query(TurnCard))
        assert screen.tabs.active == "sessions-pane"
        assert "2025-03-10 09:00" not in [r[0] for r in table_rows(screen.sessions_table)]


async def test_export_writes_a_report_into_the_data_dir(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, session_id=session_ids[1])
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(pilot.app.screen, FormatDialog)
        await pilot.press("j")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        written = list(reports_dir().glob("*.json"))
        assert [p.name for p in written] == ["session-2-20250305-0900.json"]
        assert '"answer": "It applies DevOps practices to the ML lifecycle."' in (
            written[0].read_text(encoding="utf-8")
        )
        assert any(str(written[0]) in n.message for n in pilot.app._notifications)
        assert pilot.app.screen is screen


async def test_export_all_shown_writes_one_report_of_the_filtered_sessions(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        screen.query_one("#category-filter", Select).value = "fundamentals"
        await pilot.pause()
        await pilot.press("x", "m")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        (report,) = reports_dir().glob("sessions-*.md")
        text = report.read_text(encoding="utf-8")
        assert (
            text.index("## Session 1 ") < text.index("## Session 2 ") < text.index("## Session 3 ")
        )
        assert "## Session 4 " not in text


async def test_escape_steps_back_then_leaves(app: InterviewApp, session_ids: list[int]) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, session_id=session_ids[0])
        await pilot.press("escape")
        assert screen.tabs.active == "sessions-pane"
        assert pilot.app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is not screen
        assert any(n.message == "left review" for n in pilot.app._notifications)


async def test_an_empty_log_says_how_to_fill_it(app: InterviewApp) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        assert screen.sessions_table.row_count == 0
        assert "No session yet" in on_screen(screen.query_one("#sessions-empty", Static))
        await pilot.press("p")
        await pilot.pause()
        assert "No weak question" in on_screen(screen.query_one("#weak-title", Static))


# --- the keyboard: Tab reaches every field, letters in a field are text, nothing hidden ---


async def test_tab_and_shift_tab_cycle_every_filter_field_in_order(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(pilot)
        ring = ["ContentTabs", "category-filter", "date-filter", "sessions"]

        def where() -> str:
            focused = screen.focused
            assert focused is not None
            return focused.id or type(focused).__name__

        seen = []
        for _ in ring:
            await pilot.press("tab")
            seen.append(where())
        assert seen == ring
        back = []
        for _ in ring:
            await pilot.press("shift+tab")
            back.append(where())
        assert back == ["date-filter", "category-filter", "ContentTabs", "sessions"]


async def test_letters_typed_in_a_filter_fire_no_screen_key(
    app: InterviewApp, store: SessionStore, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        screen.category_filter.focus()
        await pilot.pause()
        # d (Delete), e/x (Export), s (Sort), p (Progress), h (History) on the category filter.
        await pilot.press(*"dexsph")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert screen.tabs.active == "sessions-pane"
        assert screen.sort_key == "date"
        assert screen.focused is screen.category_filter
        # The footer still shows Delete and Export, dimmed while the filter has the focus.
        assert screen.check_action("delete", ()) is None
        await pilot.press("tab", *"2025-03-1s")
        await pilot.pause()
        assert screen.date_filter.value == "2025-03-1"
        assert screen.sort_key == "date" and pilot.app.screen is screen
        # Out of the filter (Esc), the same letters are keys again.
        await pilot.press("escape")
        assert screen.focused is screen.sessions_table
        await pilot.press("s")
        assert screen.sort_key == "mode"
        assert store.get_session(session_ids[0]) is not None


async def test_every_key_is_in_the_footer_or_the_palette(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        hidden = {
            b.action
            for bindings in screen._bindings.key_to_bindings.values()
            for b in bindings
            if (b.id or "").startswith("review.") and not b.show
        }
        offered = {action for _, _, action in screen.palette_only_keys()}
        # Disagree applies to an answer: the palette offers it once one has the focus.
        assert hidden == offered | {"disagree"} == {"reverse", "progress", "cohort", "disagree"}
        # Filter, once a hidden `f`, is in the footer.
        assert screen.active_bindings["f"].binding.show
        # The palette finds Reverse and runs it.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CommandPalette)
        await pilot.press(*"reverse order")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert screen.sort_descending is False


async def test_escape_leaves_a_dialog_then_a_filter_then_the_screen(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("d")
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is screen
        await pilot.press("f")
        assert screen.focused is screen.category_filter
        await pilot.press("tab")
        assert screen.focused is screen.date_filter
        await pilot.press("escape")
        assert screen.focused is screen.sessions_table
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen is not screen


async def test_left_and_right_walk_a_dialogs_buttons(
    app: InterviewApp, session_ids: list[int]
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        await open_review(pilot)
        await pilot.press("d")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.focused is dialog.query_one("#no", Button)
        await pilot.press("left")
        assert dialog.focused is dialog.query_one("#yes", Button)
        await pilot.press("left")  # the row's end stays put
        assert dialog.focused is dialog.query_one("#yes", Button)
        await pilot.press("right")
        assert dialog.focused is dialog.query_one("#no", Button)
        # The keys are written in the dialog, not hidden.
        keys = on_screen(dialog.query_one(".dialog-keys", Static))
        assert "y Delete" in keys and "n / esc Keep" in keys


class NameDialog(Dialog[str]):
    """A dialog with a text field above its buttons."""

    def compose(self) -> ComposeResult:
        yield Input(id="name")
        yield Button("OK", id="ok")
        yield Button("Cancel", id="cancel")


async def test_left_and_right_in_a_dialogs_text_field_move_the_cursor(
    app: InterviewApp,
) -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        dialog = NameDialog()
        await pilot.app.push_screen(dialog)
        await pilot.pause()
        field = dialog.query_one("#name", Input)
        field.focus()
        await pilot.press("a", "b", "left", "X", "right", "Y")
        assert field.value == "aXbY"
        assert dialog.focused is field


def _snapshot_steps(*keys: str, session: int | None = None) -> Callable[[Pilot[Any]], Any]:
    async def steps(pilot: Pilot[Any]) -> None:
        await open_review(pilot, session_id=session)
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    return steps


def test_snapshot_sessions_list(
    snap_compare: SnapCompare, app: InterviewApp, session_ids: list[int]
) -> None:
    """At 100x32: the tabs (Sessions active), the category and date filters, "5 of 5 sessions",
    the table with Date ▼, Mode, Lang, Qs, Avg, Time, Status and five rows newest first (two in
    progress with "—" averages), and the footer's keys (Back, Sort, Filter, Delete, Export,
    Export all, Quit)."""
    assert snap_compare(app, terminal_size=(100, 32), run_before=_snapshot_steps())


def test_snapshot_session_with_markup_answer(
    snap_compare: SnapCompare, app: InterviewApp, session_ids: list[int]
) -> None:
    """At 80x24 (the smallest supported size): session 1 open on the Session tab, scrolled to
    its second question, whose answer `[bold]not bold[/bold] [link=...]no link[/link] :rocket:`
    shows literally (no bold, no link, no emoji), with its score, key points and footer keys."""
    steps = _snapshot_steps("tab", "tab", session=session_ids[0])
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps)


async def test_disagree_is_offered_on_a_graded_answer(
    app: InterviewApp, session_ids: list[int]
) -> None:
    """Out of the footer (Quit keeps its place at 80 columns in French), `g` is in the palette
    once a graded answer has the focus, and the session's head says so."""
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot, session_id=session_ids[0])
        await pilot.pause()
        cards = [c for c in screen.query(TurnCard) if c.turn.grade and c.turn.grade.key_points]
        cards[0].focus()
        await pilot.pause()
        assert "disagree" in {action for _, _, action in screen.palette_only_keys()}
        from tests.ui.test_new_user import _plain

        head = " ".join(_plain(screen.query_one("#session-head", Static)).split())
        assert "g on the answer: mark its key points yourself" in head
