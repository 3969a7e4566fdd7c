"""The review screen: past sessions, every answer as typed, a question's attempts, and progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.keys import format_key, key_to_character
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.worker import Worker, WorkerState

from assistant.grading.feedback import COVERAGE_MARKS
from assistant.grading.grade import Verdict
from assistant.grading.parameters import DEFAULT_PARAMETERS
from assistant.interview.lines import line
from assistant.interview.visible import visible
from assistant.knowledge.loader import Bank
from assistant.knowledge.models import Lang, Pitfall
from assistant.reports import (
    FORMAT_NAMES,
    FORMATS,
    ReportFormat,
    is_report_format,
    reports_dir,
    write_report,
)
from assistant.reports.outline import (
    average_text,
    clock_text,
    notices,
    question_blocks,
    question_counts,
    time_taken,
)
from assistant.reports.progress import ProgressSeries, progress_series, weak_questions
from assistant.reports.wording import as_lang, common_mistakes, value_label, verdict_words
from assistant.reports.wording import label as report_label
from assistant.screens.bindings import relabel_bindings
from assistant.screens.cohort import CohortView
from assistant.screens.cohort import label as cohort_label
from assistant.screens.dialogs import ConfirmDialog, Dialog, ErrorDialog
from assistant.screens.disagree import disagree_with, disputable, dispute_renderable
from assistant.store.errors import StoreError
from assistant.store.records import QuestionAttempt, SessionDetail, SessionSummary, TurnRecord
from assistant.widgets.keys_in_order import OrderedInput
from assistant.widgets.transcript import (
    feedback_renderable,
    highlighted_answer,
    pitfalls_renderable,
)

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

    from assistant.app import InterviewApp
    from assistant.store import SessionStore

WEAK_BELOW = DEFAULT_PARAMETERS.adequate_at
"""A question stays weak while its last score is under the "adequate" band."""

_LABELS: dict[str, tuple[str, str]] = {
    "sessions_tab": ("Sessions", "Sessions"),
    "session_tab": ("Session", "Session"),
    "question_tab": ("Question", "Question"),
    "progress_tab": ("Progress", "Progrès"),
    "date": ("Date", "Date"),
    "mode": ("Mode", "Mode"),
    "lang": ("Lang", "Langue"),
    "questions": ("Qs", "Q."),
    "average": ("Avg", "Moy."),
    "duration": ("Time", "Durée"),
    "status": ("Status", "Statut"),
    "all_categories": ("All categories", "Toutes catégories"),
    "date_filter": ("Date: 2025-03 or 2025-03-14", "Date : 2025-03 ou 2025-03-14"),
    "count": ("{shown} of {total} sessions", "{shown} sessions sur {total}"),
    "no_sessions": (
        "No session yet: finish an interview and it will be listed here.",
        "Aucune session pour l'instant : terminez un entretien pour le voir ici.",
    ),
    "no_match": (
        "No session matches these filters.",
        "Aucune session ne correspond à ces filtres.",
    ),
    "pick_session": (
        "Choose a session in the list and press Enter.",
        "Choisissez une session dans la liste et appuyez sur Entrée.",
    ),
    "pick_question": (
        "On a session's answer, press h to see every attempt at that question.",
        "Sur une réponse d'une session, appuyez sur h pour voir chaque essai de la question.",
    ),
    "attempts": ("{n} attempt(s), oldest first", "{n} essai(s), du plus ancien au plus récent"),
    "scores": ("Scores", "Notes"),
    "chart_title": ("Average score per category", "Note moyenne par catégorie"),
    "per_day": ("by day", "par jour"),
    "per_week": ("by week", "par semaine"),
    "per_month": ("by month", "par mois"),
    "no_progress": (
        "No graded answer yet: the chart fills in as you practise.",
        "Aucune réponse notée : le graphique se remplit au fil de l'entraînement.",
    ),
    "weak_title": (
        "Questions that stay weak (last score under {bar})",
        "Questions qui restent faibles (dernière note sous {bar})",
    ),
    "no_weak": (
        "No weak question: every question's last answer scored {bar} or more.",
        "Aucune question faible : chaque dernière réponse a obtenu {bar} ou plus.",
    ),
    "question": ("Question", "Question"),
    "category": ("Category", "Catégorie"),
    "tries": ("Tries", "Essais"),
    "last": ("Last", "Dern."),
    "best": ("Best", "Meil."),
    "confirm_delete": (
        "Delete session {id} of {date} and its {n} answer(s)? This cannot be undone.",
        "Supprimer la session {id} du {date} et ses {n} réponse(s) ? C'est définitif.",
    ),
    "delete": ("Delete", "Supprimer"),
    "keep": ("Keep", "Garder"),
    "deleted": ("Session {id} deleted.", "Session {id} supprimée."),
    "delete_failed": ("The session was not deleted", "La session n'a pas été supprimée"),
    "export_what_one": ("Export session {id} as:", "Exporter la session {id} en :"),
    "export_what_many": (
        "Export the {n} session(s) shown as:",
        "Exporter les {n} session(s) affichées en :",
    ),
    "cancel": ("Cancel", "Annuler"),
    "exporting": ("Writing the report…", "Écriture du rapport…"),
    "exported": ("Report written to {path}", "Rapport écrit dans {path}"),
    "export_failed": ("Export failed", "Échec de l'export"),
    "nothing_to_export": ("No session to export.", "Aucune session à exporter."),
    "hints": ("{n} hint(s)", "{n} indice(s)"),
    "follow_up": ("follow-up", "complément"),
    "disagree_hint": (
        "A grade looks wrong? g on the answer: mark its key points yourself.",
        "Une note vous semble fausse ? g sur la réponse : notez vous-même ses points clés.",
    ),
    "own_grades": (
        "{n} answer(s) count with your grade, not the grader's (you disagreed with it)",
        "{n} réponse(s) comptent avec votre note, pas celle du correcteur (vous l'avez contestée)",
    ),
}


def label(key: str, lang: Lang, **values: object) -> str:
    """A review screen label in `lang`, with `values` filled in."""
    en, fr = _LABELS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def local_time(when: datetime) -> str:
    """A stored UTC time as the user's local `YYYY-MM-DD HH:MM`."""
    return f"{when.astimezone():%Y-%m-%d %H:%M}"


_VERDICT_STYLES = {
    Verdict.STRONG: "bold green",
    Verdict.ADEQUATE: "bold cyan",
    Verdict.PARTIAL: "bold yellow",
    Verdict.OFF_TARGET: "bold red",
    Verdict.NO_ANSWER: "bold red",
}


@dataclass(frozen=True)
class SessionColumn:
    """One column of the sessions table: how it is labelled, sized, shown and sorted."""

    key: str
    width: int
    cell: Callable[[SessionSummary, Lang], str]
    """The cell's text, in the screen's language."""
    order: Callable[[SessionSummary], Any]
    newest_first: bool = False
    """Sorted descending when first chosen (dates, scores, sizes: the big ones matter)."""
    right: bool = False


SESSION_COLUMNS: tuple[SessionColumn, ...] = (
    SessionColumn(
        "date",
        16,
        lambda s, _: local_time(s.started_at),
        lambda s: s.started_at,
        newest_first=True,
    ),
    SessionColumn("mode", 12, lambda s, lang: value_label(s.mode, lang), lambda s: s.mode),
    SessionColumn("lang", 6, lambda s, _: s.lang, lambda s: s.lang),
    SessionColumn(
        "questions",
        3,
        lambda s, _: str(s.counts.questions),
        lambda s: s.counts.questions,
        newest_first=True,
        right=True,
    ),
    SessionColumn(
        "average",
        4,
        lambda s, _: "—" if s.average_score is None else f"{s.average_score:.0f}",
        lambda s: (s.average_score is not None, s.average_score or 0.0),
        newest_first=True,
        right=True,
    ),
    SessionColumn(
        "duration",
        7,
        lambda s, _: clock_text(s.duration),
        lambda s: (s.duration is not None, s.duration.total_seconds() if s.duration else 0.0),
        newest_first=True,
        right=True,
    ),
    SessionColumn(
        "status", 11, lambda s, lang: value_label(s.status.value, lang), lambda s: s.status.value
    ),
)
"""The sessions table, left to right (about 70 columns: fits an 80-column terminal)."""


def session_head(detail: SessionDetail) -> RenderableType:
    """A session's facts above its turns, and why its numbers may be partial."""
    s = detail.session
    lang = as_lang(s.lang)
    title = Text(f"{report_label('session', lang, id=s.id)} — {local_time(s.started_at)}")
    title.stylize("bold")
    facts = " · ".join(
        [
            value_label(s.mode, lang),
            s.lang,
            value_label(s.status.value, lang),
            question_counts(detail, lang),
            f"{report_label('average', lang)} {average_text(s)}",
            clock_text(s.duration),
        ]
    )
    parts: list[RenderableType] = [title, Text(facts, style="dim")]
    parts += [Text(notice, style="bold yellow") for notice in notices(detail, lang)]
    if any(disputable(turn) for turn in detail.turns):
        parts.append(Text(label("disagree_hint", lang), style="dim italic"))
    return Group(*parts)


def session_cards(detail: SessionDetail, bank: Bank) -> list[Static]:
    """A session's head and its turns, follow-ups under their question, ready to mount."""
    lang = as_lang(detail.session.lang)
    cards: list[Static] = [Static(session_head(detail), id="session-head")]
    for n, block in enumerate(question_blocks(detail.turns), start=1):
        for i, turn in enumerate([block.turn, *block.follow_ups]):
            number = f"Q{n}" if i == 0 else f"↳ {label('follow_up', lang)}"
            category = bank.category_title(turn.category, lang)
            pitfalls = common_mistakes(turn.question_id, turn.follow_up_of, bank)
            body = turn_renderable(turn, number, category, lang, pitfalls)
            cards.append(TurnCard(turn, body, follow_up=i > 0))
    return cards


class TurnCard(Static, can_focus=True):
    """One turn of a session: the question, the answer as typed, its grade and the reference."""

    def __init__(self, turn: TurnRecord, body: RenderableType, *, follow_up: bool) -> None:
        super().__init__(body, markup=False, classes="turn follow-up" if follow_up else "turn")
        self.turn = turn


def turn_renderable(
    turn: TurnRecord,
    number: str,
    category: str,
    lang: Lang,
    pitfalls: Sequence[Pitfall] = (),
) -> RenderableType:
    """A turn in full, with the question's common mistakes when given; every text a person or
    the bank wrote goes in as plain Text, never markup."""
    head = Text(f"{number}  ", style="bold")
    head.append(visible(turn.question_text), style="bold")
    facts = [category, label("hints", lang, n=turn.hints_used), clock_text(time_taken(turn))]
    if turn.grade is None:
        facts.insert(1, report_label("skipped" if turn.skipped else "not_graded", lang).lower())
    parts: list[RenderableType] = [head, Text(" · ".join(facts), style="dim")]
    parts.append(Text(report_label("answer", lang), style="bold underline"))
    if turn.answer.strip():
        parts.append(highlighted_answer(turn.answer, turn.grade))
    else:
        empty = report_label("skipped", lang) if turn.skipped else report_label("no_answer", lang)
        parts.append(Text(empty, style="italic dim"))
    if turn.grade is not None:
        parts.append(feedback_renderable(turn.grade, lang))
        disputed = dispute_renderable(turn, lang)
        if disputed is not None:
            parts.append(disputed)
    parts.append(Text(report_label("reference", lang), style="bold underline"))
    parts.append(Text(turn.reference_answer))
    if pitfalls:
        parts.append(pitfalls_renderable(pitfalls, lang))
    return Group(*parts)


def attempt_renderable(attempt: QuestionAttempt, lang: Lang) -> RenderableType:
    """One attempt at a question, compact enough to sit beside the others."""
    turn = attempt.turn
    head = Text(local_time(attempt.session_started_at), style="bold")
    head.append(f" · {value_label(attempt.session_mode, lang)}", style="dim")
    if turn.grade is None:
        score = Text(report_label("skipped" if turn.skipped else "not_graded", lang), "italic")
    else:
        counted = turn.counted_grade or turn.grade
        score = Text(f"{counted.score}/100 ", style=_VERDICT_STYLES[counted.verdict])
        score.append(verdict_words(counted.verdict, lang))
        if turn.own_grade is not None:
            score.append(
                f" ({line('your_grade', lang)}; {line('grader', lang)} {turn.grade.score})"
            )
    facts = Text(
        f"{label('hints', lang, n=turn.hints_used)} · {clock_text(time_taken(turn))}", "dim"
    )
    answer = Text(visible(turn.answer)) if turn.answer.strip() else Text("—", style="dim")
    parts: list[RenderableType] = [head, score, facts, Text(""), answer]
    if turn.grade is not None and turn.grade.key_points:
        parts.append(Text(""))
        for point in turn.grade.key_points:
            mark, style = COVERAGE_MARKS[point.status]
            row = Text(f"{mark} ", style=style)
            row.append(point.text)
            parts.append(row)
    return Group(*parts)


class AttemptsView(ScrollableContainer):
    """The attempts side by side; left and right move one attempt at a time."""

    BINDINGS = [
        Binding("left", "step(-1)", "Earlier", id="attempts.earlier"),
        Binding("right", "step(1)", "Later", id="attempts.later"),
    ]

    STEP = 39
    """An attempt card's width and margin, in cells (see app.tcss)."""

    def action_step(self, direction: int) -> None:
        """Scroll by one attempt."""
        self.scroll_relative(x=direction * self.STEP, animate=False)


class FormatDialog(Dialog[ReportFormat | None]):
    """Asks which format to export in; dismisses with it, or None. Its keys are written in it."""

    BINDINGS = [
        Binding("escape", "choose(None)", "Cancel", id="export.cancel"),
        Binding("m", "choose('md')", "Markdown", id="export.md"),
        Binding("h", "choose('html')", "HTML", id="export.html"),
        Binding("j", "choose('json')", "JSON", id="export.json"),
        Binding("c", "choose('csv')", "CSV", id="export.csv"),
    ]

    def __init__(self, question: str, cancel: str) -> None:
        super().__init__()
        self._question = question
        self._cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False, classes="dialog-text")
            keys = " · ".join(f"{fmt[0]} {FORMAT_NAMES[fmt]}" for fmt in FORMATS)
            yield Static(keys, markup=False, classes="dialog-keys")
            with Horizontal(classes="dialog-buttons"):
                for fmt in FORMATS:
                    yield Button(FORMAT_NAMES[fmt], id=f"format-{fmt}", variant="primary")
                yield Button(self._cancel, id="format-cancel")

    def on_mount(self) -> None:
        self.query_one("#format-md", Button).focus()

    @on(Button.Pressed)
    def chosen(self, event: Button.Pressed) -> None:
        """A format button (or Cancel) was pressed."""
        fmt = (event.button.id or "").removeprefix("format-")
        self.dismiss(fmt if is_report_format(fmt) else None)

    def action_choose(self, fmt: ReportFormat | None) -> None:
        """Choose by key: m, h, j, c."""
        self.dismiss(fmt)


def typed_by_key(key: str) -> bool:
    """True when a key is a printable character: in a text field it is text, not a command."""
    character = key_to_character(key)
    return character is not None and character.isprintable()


def in_field(widget: Widget | None) -> bool:
    """True when `widget` is a field the user types or picks in (or part of one)."""
    if widget is None:
        return False
    return any(isinstance(node, (Input, TextArea, Select)) for node in widget.ancestors_with_self)


class ReviewKeyCommands(Provider):
    """The palette offers the review keys the footer leaves out, so that no key is a secret."""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        return screen.palette_only_keys() if isinstance(screen, ReviewScreen) else []

    async def discover(self) -> Hits:
        """Every such key, before anything is typed."""
        for title, help_text, action in self._commands():
            yield DiscoveryHit(title, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        """The keys whose description matches what is typed."""
        matcher = self.matcher(query)
        for title, help_text, action in self._commands():
            score = matcher.match(title)
            if score > 0:
                callback = partial(self.screen.run_action, action)
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class ReviewScreen(Screen[None]):
    """History of interview sessions; dismisses when the user leaves (escape from the list)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="review.back"),
        Binding("s", "sort", "Sort", id="review.sort"),
        # Reverse and Progress (a tab in sight) are left out of the footer to keep Quit in it at
        # 80 columns; the palette offers them (ReviewKeyCommands).
        Binding("r", "reverse", "Reverse order", show=False, id="review.reverse"),
        Binding("f", "filter", "Filter", id="review.filter"),
        Binding("h", "history", "History", id="review.history"),
        Binding("p", "progress", "Progress", show=False, id="review.progress"),
        Binding("d", "delete", "Delete", id="review.delete"),
        Binding("e", "export", "Export", id="review.export"),
        # Out of the footer (Quit must stay in it at 80 columns in French): the session's head
        # says it, and the palette offers it.
        Binding("g", "disagree", "Disagree", show=False, id="review.disagree"),
        Binding("x", "export_shown", "Export all", id="review.export_shown"),
        # Mentors only (the tab is not there for others, and the key says why).
        Binding("c", "cohort", "Cohort", show=False, id="review.cohort"),
    ]

    COMMANDS = {ReviewKeyCommands}

    @dataclass
    class ReportWritten(Message):
        """A report was rendered and written (in a worker)."""

        path: Path
        sessions: int

    def __init__(self, session_id: int | None = None) -> None:
        super().__init__()
        self.open_session_id = session_id
        """The session to show first, if any (from the summary screen)."""
        self.lang: Lang = "en"
        self.summaries: list[SessionSummary] = []
        """Every session in the log, as last loaded."""
        self.detail: SessionDetail | None = None
        """The session open on the Session tab."""
        self.sort_key = "date"
        self.sort_descending = True
        self.is_mentor = False
        """Whether the Cohort tab is shown (the candidate is a mentor)."""

    # --- parts ------------------------------------------------------------------------

    @property
    def coach(self) -> InterviewApp:
        """The app, typed."""
        from assistant.app import InterviewApp

        assert isinstance(self.app, InterviewApp)
        return self.app

    @property
    def tabs(self) -> TabbedContent:
        """The four views."""
        return self.query_one("#review-tabs", TabbedContent)

    @property
    def sessions_table(self) -> DataTable[Text]:
        """The list of sessions."""
        return self.query_one("#sessions", DataTable)

    @property
    def category_filter(self) -> Select[str]:
        """Which category a listed session must include."""
        return self.query_one("#category-filter", Select)

    @property
    def date_filter(self) -> Input:
        """What a listed session's date must start with."""
        return self.query_one("#date-filter", Input)

    @property
    def session_view(self) -> VerticalScroll:
        """The open session, turn by turn."""
        return self.query_one("#session-detail", VerticalScroll)

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        self.lang = self.coach.last_choices().lang
        lang = self.lang
        try:
            self.is_mentor = self.coach.store.is_mentor()
        except StoreError:
            self.is_mentor = False  # the list below says what is wrong with the log
        # The footer in the screen's language (issue 13, item 1).
        keys = ("back", "sort", "reverse", "filter", "history", "progress", "delete", "export")
        relabel_bindings(
            self,
            {a: f"review_{a}" for a in (*keys, "export_shown")} | {"disagree": "disagree"},
            lang,
        )
        bank = self.coach.bank
        categories = [
            (bank.category_title(c.id, lang), c.id)
            for c in sorted(bank.categories.values(), key=lambda c: c.stage)
        ]
        first = "sessions-pane" if self.open_session_id is None else "session-pane"
        with TabbedContent(id="review-tabs", initial=first):
            with TabPane(label("sessions_tab", lang), id="sessions-pane"):
                with Horizontal(id="review-filters"):
                    yield Select(
                        categories,
                        prompt=label("all_categories", lang),
                        id="category-filter",
                        compact=True,
                    )
                    yield OrderedInput(
                        placeholder=label("date_filter", lang),
                        restrict=r"[0-9-]*",
                        max_length=10,
                        id="date-filter",
                        compact=True,
                    )
                    yield Static(id="session-count", markup=False)
                yield Static(id="sessions-empty", markup=False)
                yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            with (
                TabPane(label("session_tab", lang), id="session-pane"),
                VerticalScroll(id="session-detail"),
            ):
                yield Static(label("pick_session", lang), markup=False, classes="placeholder")
            with TabPane(label("question_tab", lang), id="question-pane"):
                yield Static(label("pick_question", lang), id="question-head", markup=False)
                with AttemptsView(id="question-body"):
                    yield Horizontal(id="attempts")
            with TabPane(label("progress_tab", lang), id="progress-pane"):
                yield PlotextPlot(id="progress-chart")
                yield Static(id="progress-legend", markup=False)
                yield Static(id="weak-title", markup=False)
                yield DataTable(id="weak-questions", cursor_type="row", zebra_stripes=True)
            if self.is_mentor:
                with TabPane(cohort_label("tab", lang), id="cohort-pane"):
                    yield CohortView(lang, id="cohort-view")
        yield Footer(compact=True)

    async def on_mount(self) -> None:
        self.reload_sessions()
        if self.open_session_id is None:
            self.sessions_table.focus()
        else:
            # Focus decides the active tab, so the list must not take it first.
            await self.show_session(self.open_session_id)

    # --- the sessions list ------------------------------------------------------------

    def reload_sessions(self) -> None:
        """Read the sessions again from the log and refill the table."""
        self.summaries = self.coach.store.list_sessions()
        self.fill_sessions_table()

    def session_categories(self, summary: SessionSummary) -> set[str]:
        """The categories a session covers: those of its planned questions, else those chosen."""
        plan = summary.settings.get("plan") or []
        bank = self.coach.bank
        found = {q.category for q in (bank.get(str(qid)) for qid in plan) if q is not None}
        return found or set(summary.settings.get("categories") or [])

    def shown_sessions(self) -> list[SessionSummary]:
        """The sessions that pass the filters, in the table's order."""
        category = self.category_filter.value
        date_prefix = self.date_filter.value.strip()
        shown = [
            s
            for s in self.summaries
            if (not isinstance(category, str) or category in self.session_categories(s))
            and local_time(s.started_at).startswith(date_prefix)
        ]
        column = next(c for c in SESSION_COLUMNS if c.key == self.sort_key)
        # The id breaks ties, so equal keys keep a stable, meaningful order.
        shown.sort(key=lambda s: (column.order(s), s.id), reverse=self.sort_descending)
        return shown

    def fill_sessions_table(self) -> None:
        """Rebuild the table from the loaded sessions, keeping the cursor on the same session."""
        table = self.sessions_table
        keep = self.highlighted_session_id()
        table.clear(columns=True)
        for column in SESSION_COLUMNS:
            name = label(column.key, self.lang)
            title = name
            if column.key == self.sort_key:
                title += " ▼" if self.sort_descending else " ▲"
            table.add_column(
                Text(title, justify="right" if column.right else "left"),
                key=column.key,
                # Room for the sort arrow in every column, so sorting moves no column.
                width=max(column.width, len(name) + 2),
            )
        shown = self.shown_sessions()
        for summary in shown:
            table.add_row(
                *(
                    Text(c.cell(summary, self.lang), justify="right" if c.right else "left")
                    for c in SESSION_COLUMNS
                ),
                key=str(summary.id),
            )
        if keep is not None and any(s.id == keep for s in shown):
            table.move_cursor(row=table.get_row_index(str(keep)))
        count = self.query_one("#session-count", Static)
        count.update(label("count", self.lang, shown=len(shown), total=len(self.summaries)))
        empty = self.query_one("#sessions-empty", Static)
        empty.update(label("no_sessions" if not self.summaries else "no_match", self.lang))
        empty.display = not shown
        self.refresh_bindings()

    def highlighted_session_id(self) -> int | None:
        """The session under the table's cursor, if the table has rows."""
        table = self.sessions_table
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value) if row_key.value is not None else None

    @on(DataTable.RowSelected, "#sessions")
    async def open_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a session opens it."""
        if event.row_key.value is not None:
            await self.show_session(int(event.row_key.value))

    @on(DataTable.HeaderSelected, "#sessions")
    def sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it; a second click reverses."""
        self.sort_by(str(event.column_key.value))

    @on(Select.Changed, "#category-filter")
    @on(Input.Changed, "#date-filter")
    def filters_changed(self) -> None:
        """A filter changed: show the sessions that pass."""
        self.fill_sessions_table()

    def sort_by(self, key: str) -> None:
        """Sort by a column; the same column again reverses the order."""
        if key == self.sort_key:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_key = key
            self.sort_descending = next(c for c in SESSION_COLUMNS if c.key == key).newest_first
        self.fill_sessions_table()

    def action_sort(self) -> None:
        """Sort by the next column."""
        keys = [c.key for c in SESSION_COLUMNS]
        self.sort_by(keys[(keys.index(self.sort_key) + 1) % len(keys)])

    def action_reverse(self) -> None:
        """Reverse the order of the list."""
        self.sort_by(self.sort_key)

    def action_filter(self) -> None:
        """Go to the filters."""
        self.tabs.active = "sessions-pane"
        self.category_filter.focus()

    # --- one session ------------------------------------------------------------------

    async def show_session(self, session_id: int) -> None:
        """Open a session on the Session tab, turn by turn, follow-ups under their question."""
        detail = self.coach.store.get_session(session_id)
        if detail is None:
            self.notify(f"Session {session_id} is no longer in the log.", severity="warning")
            return
        self.detail = detail
        view = self.session_view
        await view.remove_children()
        await view.mount_all(session_cards(detail, self.coach.bank))
        view.scroll_home(animate=False)
        self.tabs.active = "session-pane"
        first = next(iter(view.query(TurnCard)), None)
        (first or view).focus()
        self.refresh_bindings()

    def action_disagree(self) -> None:
        """Mark the key points of the focused answer yourself (a mentor's ruling is final)."""
        focused = self.focused
        if not isinstance(focused, TurnCard) or self.detail is None:
            return
        session_id = self.detail.session.id
        turn_id = focused.turn.id

        async def said(text: str) -> None:
            self.notify(text, markup=False, timeout=8)
            await self.show_session(session_id)
            card = next(
                (c for c in self.session_view.query(TurnCard) if c.turn.id == turn_id), None
            )
            if card is not None:
                card.focus()
                card.scroll_visible(animate=False)

        def done(text: str) -> None:
            self.run_worker(said(text), group="disagree")

        lang = as_lang(self.detail.session.lang)
        disagree_with(self, self.coach.store, focused.turn, lang, done)

    # --- one question across sessions --------------------------------------------------

    async def action_history(self) -> None:
        """Every attempt at the focused turn's question, side by side."""
        if isinstance(self.focused, TurnCard):
            await self.show_history(self.focused.turn.question_id)

    async def show_history(self, question_id: str) -> None:
        """Fill the Question tab with the question's attempts across sessions."""
        attempts = [
            a for a in self.coach.store.question_history(question_id) if a.turn.follow_up_of is None
        ]
        lang = self.lang
        question = self.coach.bank.get(question_id)
        if question is not None:
            text = question.question.get(lang)
            category = self.coach.bank.category_title(question.category, lang)
        else:
            text = attempts[-1].turn.question_text if attempts else question_id
            category = attempts[-1].turn.category if attempts else ""
        head = Text(text, style="bold")
        head.append(f"\n{category} · {label('attempts', lang, n=len(attempts))}", style="dim")
        scores = [str(a.turn.score) if a.turn.score is not None else "—" for a in attempts]
        head.append(f"\n{label('scores', lang)}: {' → '.join(scores) or '—'}")
        self.query_one("#question-head", Static).update(head)
        row = self.query_one("#attempts", Horizontal)
        await row.remove_children()
        await row.mount_all(
            Static(attempt_renderable(a, as_lang(a.session_lang)), classes="attempt", markup=False)
            for a in attempts
        )
        self.tabs.active = "question-pane"
        self.query_one("#question-body").focus()
        self.refresh_bindings()

    # --- progress ---------------------------------------------------------------------

    def action_progress(self) -> None:
        """Average score per category over time, and the questions that stay weak."""
        self.tabs.active = "progress-pane"
        self.show_progress()

    def show_progress(self) -> None:
        """Draw the chart and list the weak questions from the log as it is now."""
        from textual_plotext import PlotextPlot

        store = self.coach.store
        bank = self.coach.bank
        lang = self.lang
        series = progress_series(store.category_averages())
        stages = {c.id: c.stage for c in bank.categories.values()}
        # Lines and legend in interview order (fundamentals first), as everywhere else.
        ordered = sorted(series.scores.items(), key=lambda item: stages.get(item[0], 99))
        series = replace(series, scores=dict(ordered))
        chart = self.query_one("#progress-chart", PlotextPlot)
        legend = draw_progress(chart, series, lambda c: bank.category_title(c, lang), lang)
        own = store.own_grade_count()
        shown: RenderableType = legend
        if own:  # the chart and the weak list count the candidate's own grades: say so
            shown = Group(legend, Text(label("own_grades", lang, n=own), style="italic dim"))
        self.query_one("#progress-legend", Static).update(shown)
        weak = weak_questions(store.learning_states(), below=WEAK_BELOW)
        title = self.query_one("#weak-title", Static)
        table: DataTable[Text] = self.query_one("#weak-questions", DataTable)
        table.clear(columns=True)
        title.update(label("weak_title" if weak else "no_weak", lang, bar=WEAK_BELOW))
        table.display = bool(weak)
        rows = []
        for w in weak:
            question = bank.get(w.question_id)
            text = question.question.get(lang) if question else w.question_id
            category = bank.category_title(question.category, lang) if question else ""
            rows.append((w, text, category))
        # The category column fits its longest title ("Cloud & infrastructure" was cut at 14);
        # the question, which ends in an ellipsis when long, gives up the room.
        category_width = max([len(label("category", lang)), *(len(c) for _, _, c in rows)])
        table.add_column(label("question", lang), key="question", width=52 - category_width)
        table.add_column(label("category", lang), key="category", width=category_width)
        for key in ("tries", "last", "best"):
            table.add_column(Text(label(key, lang), justify="right"), key=key, width=5)
        for w, text, category in rows:
            table.add_row(
                Text(text, overflow="ellipsis", no_wrap=True),
                Text(category),
                Text(str(w.attempts), justify="right"),
                Text(str(w.last_score), justify="right"),
                Text(str(w.best_score), justify="right"),
                key=w.question_id,
            )
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#weak-questions")
    async def open_weak(self, event: DataTable.RowSelected) -> None:
        """Enter on a weak question shows its attempts."""
        if event.row_key.value is not None:
            await self.show_history(event.row_key.value)

    @on(TabbedContent.TabActivated, "#review-tabs")
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        """The Progress tab is drawn when shown; every tab changes which keys apply."""
        if event.pane.id == "progress-pane":
            self.show_progress()
        elif event.pane.id == "cohort-pane":
            self.show_cohort()
        self.refresh_bindings()

    @on(events.DescendantFocus)
    def focus_moved(self) -> None:
        """History applies to the focused turn, so the footer follows the focus."""
        self.refresh_bindings()

    # --- the cohort (mentors) ---------------------------------------------------------

    def action_cohort(self) -> None:
        """The Cohort tab for a mentor; anyone else is told why not and how to become one."""
        if self.is_mentor:
            self.tabs.active = "cohort-pane"
            return
        from assistant.settings import configured_mentors, mentor_refusal

        config = self.coach.settings.config_dir
        refusal = mentor_refusal(
            self.coach.store.candidate or self.coach.settings.candidate,
            config,
            configured_mentors(config)[1],
        )
        self.notify(refusal, title="Mentors only", severity="error", timeout=20)

    def show_cohort(self) -> None:
        """Read the cohort again, in a worker, and focus its candidates."""
        view = self.query_one("#cohort-view", CohortView)
        view.load(self.coach.store)
        view.candidates_table.focus()

    @on(CohortView.SessionChosen)
    def open_candidate_session(self, event: CohortView.SessionChosen) -> None:
        """A candidate's session, opened read-only over the review screen."""
        from assistant.screens.cohort import CandidateSessionScreen

        detail = self.coach.store.get_session(event.session_id)
        if detail is None:
            self.notify(f"Session {event.session_id} is no longer in the log.", severity="warning")
            return
        self.app.push_screen(
            CandidateSessionScreen(detail, event.candidate, self.coach.bank, self.lang)
        )

    # --- delete -----------------------------------------------------------------------

    def target_session_id(self) -> int | None:
        """The session Delete and Export act on: the open one, or the one under the cursor."""
        pane = self.tabs.active
        if pane in ("session-pane", "question-pane") and self.detail is not None:
            return self.detail.session.id
        if pane == "sessions-pane":
            return self.highlighted_session_id()
        return None

    def action_delete(self) -> None:
        """Delete the session after a confirmation."""
        session_id = self.target_session_id()
        summary = next((s for s in self.summaries if s.id == session_id), None)
        if summary is None:
            return
        question = label(
            "confirm_delete",
            self.lang,
            id=summary.id,
            date=local_time(summary.started_at),
            n=summary.counts.answers,
        )

        async def confirmed(yes: bool | None) -> None:
            if yes:
                await self.delete_session(summary.id)

        self.app.push_screen(
            ConfirmDialog(question, label("delete", self.lang), label("keep", self.lang)),
            confirmed,
        )

    async def delete_session(self, session_id: int) -> None:
        """Delete now (confirmed) and show the list again; a log that cannot be written says why."""
        try:
            self.coach.store.delete_session(session_id)
        except StoreError as error:  # a read-only file or mount, a lock held too long
            self.app.push_screen(ErrorDialog(label("delete_failed", self.lang), str(error)))
            return
        if self.detail is not None and self.detail.session.id == session_id:
            self.detail = None
            await self.session_view.remove_children()
            await self.session_view.mount(
                Static(label("pick_session", self.lang), markup=False, classes="placeholder")
            )
        self.reload_sessions()
        self.tabs.active = "sessions-pane"
        self.sessions_table.focus()
        self.notify(label("deleted", self.lang, id=session_id))

    # --- export -----------------------------------------------------------------------

    def action_export(self) -> None:
        """Export the open (or highlighted) session; the format is asked."""
        session_id = self.target_session_id()
        if session_id is None:
            self.notify(label("nothing_to_export", self.lang), severity="warning")
            return
        self.ask_format(label("export_what_one", self.lang, id=session_id), [session_id])

    def action_export_shown(self) -> None:
        """Export every session the filters show, oldest first, in one report."""
        shown = sorted(self.shown_sessions(), key=lambda s: (s.started_at, s.id))
        if not shown:
            self.notify(label("nothing_to_export", self.lang), severity="warning")
            return
        question = label("export_what_many", self.lang, n=len(shown))
        self.ask_format(question, [s.id for s in shown])

    def ask_format(self, question: str, session_ids: list[int]) -> None:
        """Ask the format, then render and write in a worker."""

        def chosen(fmt: ReportFormat | None) -> None:
            if fmt is not None:
                self.notify(label("exporting", self.lang), timeout=3)
                self.export_sessions(self.coach.store, session_ids, fmt, self.coach.now())

        self.app.push_screen(FormatDialog(question, label("cancel", self.lang)), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-export")
    def export_sessions(
        self,
        store: SessionStore,
        session_ids: Sequence[int],
        fmt: ReportFormat,
        generated_at: datetime,
    ) -> None:
        """Read, render and write the report off the UI thread (thousands of sessions take time)."""
        details = [d for d in (store.get_session(i) for i in session_ids) if d is not None]
        path = write_report(
            details,
            fmt,
            reports_dir(),
            generated_at=generated_at,
            bank=self.coach.bank,
        )
        self.post_message(self.ReportWritten(path, len(details)))

    @on(ReportWritten)
    def report_written(self, event: ReportWritten) -> None:
        """Tell where the report went."""
        self.notify(label("exported", self.lang, path=event.path), timeout=12)

    @on(Worker.StateChanged)
    def export_failed(self, event: Worker.StateChanged) -> None:
        """A failed export is shown in a dialog, with the reason."""
        if event.worker.group == "review-export" and event.state is WorkerState.ERROR:
            self.app.push_screen(
                ErrorDialog(label("export_failed", self.lang), str(event.worker.error))
            )

    # --- leaving, and which keys apply ------------------------------------------------

    def action_back(self) -> None:
        """One step back: filters to the list, question to its session, tabs to the list; out."""
        pane = self.tabs.active
        if self.focused in (self.category_filter, self.date_filter):
            self.sessions_table.focus()
        elif pane == "question-pane" and self.detail is not None:
            self.tabs.active = "session-pane"
            self.session_view.focus()
        elif pane != "sessions-pane":
            self.tabs.active = "sessions-pane"
            self.sessions_table.focus()
        else:
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that apply to the tab and the focus; dim those that cannot now."""
        if not self.is_mounted:
            return True
        applies = self.action_applies(action)
        if applies and in_field(self.focused) and action in self.letter_actions():
            # A letter typed in a filter belongs to the filter: shown dimmed, not run.
            return None
        return applies

    def action_applies(self, action: str) -> bool | None:
        """Whether an action applies to the tab and the focus (None: shown, but not now)."""
        pane = self.tabs.active
        if action in ("sort", "reverse", "export_shown"):
            return pane == "sessions-pane"
        if action == "history":
            if pane != "session-pane":
                return False
            return True if isinstance(self.focused, TurnCard) else None
        if action == "disagree":
            if pane != "session-pane":
                return False
            focused = self.focused
            return True if isinstance(focused, TurnCard) and disputable(focused.turn) else None
        if action in ("delete", "export"):
            # The Question tab mixes sessions: which one to delete would be a guess.
            if pane in ("progress-pane", "question-pane", "cohort-pane"):
                return False
            return True if self.target_session_id() is not None else None
        return True

    def letter_actions(self) -> set[str]:
        """The screen's actions bound to a printable key (a letter, `/`...)."""
        return {
            binding.action
            for key, bindings in self._bindings.key_to_bindings.items()
            if typed_by_key(key)
            for binding in bindings
        }

    def palette_only_keys(self) -> list[tuple[str, str, str]]:
        """(title, help, action) of each of the screen's own keys (Tab and the like are
        Textual's) that the footer leaves out and that applies now."""
        return [
            (binding.description, f"{format_key(key)}: {binding.description}", binding.action)
            for key, bindings in self._bindings.key_to_bindings.items()
            for binding in bindings
            if (binding.id or "").startswith("review.")
            and not binding.show
            and self.check_action(binding.action, ())
        ]


LINE_COLORS = ("cyan", "magenta", "green", "yellow", "blue", "red")
"""Colours of the category lines, named alike in plotext and Rich so the legend matches."""


def draw_progress(
    chart: PlotextPlot,
    series: ProgressSeries,
    category_title: Callable[[str], str],
    lang: Lang,
) -> Columns:
    """One line per category over the periods with sessions (evenly spaced), 0 to 100.

    Returns the legend, drawn outside the plot: plotext's own legend hides the oldest points.
    """
    legend: list[Text] = []
    plt = chart.plt
    plt.clear_figure()
    plt.ylim(0, 100)
    if not series.starts:
        plt.title(label("no_progress", lang))
        chart.refresh()
        return Columns(legend)
    plt.title(f"{label('chart_title', lang)} ({label(f'per_{series.period}', lang)})")
    count = len(series.starts)
    # At most five dates fit under an 80-column chart without running into each other.
    step = max(1, -(-count // 5))
    ticks = list(range(0, count, step))
    shape = "%Y-%m" if series.period == "month" else "%Y-%m-%d"
    plt.xticks([float(i) for i in ticks], [f"{series.starts[i]:{shape}}" for i in ticks])
    plt.xlim(-0.5, count - 0.5)
    for n, (category, scores) in enumerate(series.scores.items()):
        color = LINE_COLORS[n % len(LINE_COLORS)]
        xs = [i for i, score in enumerate(scores) if score is not None]
        ys = [score for score in scores if score is not None]
        plt.plot(xs, ys, color=color, marker="dot")
        entry = Text("■ ", style=color)
        entry.append(category_title(category))
        legend.append(entry)
    chart.refresh()
    # Columns keeps each entry whole when the legend wraps.
    return Columns(legend, padding=(0, 3))
