"""The mentor's view on the review screen: every candidate, the questions the group fails most,
and any candidate's sessions opened read-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from assistant.interview.visible import visible
from assistant.knowledge.models import Lang
from assistant.reports.cohort import candidate_name, number, trend_text, weakest_text
from assistant.screens.dialogs import ErrorDialog
from assistant.store.records import (
    TREND_SESSIONS,
    CohortOverview,
    SessionDetail,
    SessionSummary,
)

if TYPE_CHECKING:
    from assistant.knowledge.loader import Bank
    from assistant.store import SessionStore

_LABELS: dict[str, tuple[str, str]] = {
    "tab": ("Cohort", "Groupe"),
    "loading": ("Reading every candidate's sessions…", "Lecture des sessions de chacun…"),
    "summary": (
        "{n} candidate(s), {sessions} session(s). Trend: the last {last} sessions' average "
        "minus the earlier ones'. Enter on a candidate lists their sessions.",
        "{n} candidat(s), {sessions} session(s). Tendance : moyenne des {last} dernières "
        "sessions moins celle des précédentes. Entrée sur un candidat liste ses sessions.",
    ),
    "candidate": ("Candidate", "Candidat"),
    "sessions": ("Sess.", "Sess."),
    "answers": ("Ans.", "Rép."),
    "average": ("Avg", "Moy."),
    "trend": ("Trend", "Tend."),
    "weakest": ("Weakest categories", "Catégories les plus faibles"),
    "sessions_of": (
        "Sessions of {name} (Enter opens one, read-only)",
        "Sessions de {name} (Entrée en ouvre une, en lecture seule)",
    ),
    "troubles": (
        "Questions the group fails most (an attempt under {bar})",
        "Questions que le groupe rate le plus (essai sous {bar})",
    ),
    "no_troubles": ("No question was failed.", "Aucune question ratée."),
    "failed": (
        "failed {failed} of {attempts} · average {avg} · {n} candidate(s)",
        "ratée {failed} fois sur {attempts} · moyenne {avg} · {n} candidat(s)",
    ),
    "point": (
        "missed {missed}, contradicted {contradicted} of {graded}: ",
        "manqué {missed}, contredit {contradicted} sur {graded} : ",
    ),
    "read_only": (
        "{name}'s session, read-only. Escape goes back.",
        "Session de {name}, en lecture seule. Échap pour revenir.",
    ),
    "failed_title": ("The cohort could not be read", "Le groupe n'a pas pu être lu"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    """A cohort label in `lang`, with `values` filled in."""
    en, fr = _LABELS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def troubles_renderable(
    overview: CohortOverview, lang: Lang, bank: Bank | None = None
) -> RenderableType:
    """The questions failed most, each with the key points behind the failures, worded in
    `lang` when the bank still has the question; the stored text goes in as plain Text, never
    markup."""
    parts: list[RenderableType] = [
        Text(label("troubles", lang, bar=overview.failing_below), style="bold")
    ]
    if not overview.troubles:
        parts.append(Text(label("no_troubles", lang), style="dim"))
    for t in overview.troubles:
        question = bank.get(t.question_id) if bank is not None else None
        text = question.question.get(lang) if question is not None else t.question_text
        category = bank.category_title(t.category, lang) if bank is not None else t.category
        head = Text("• ")
        head.append(visible(text), style="bold")
        head.append(f"  {category}", style="dim")
        parts.append(head)
        facts = label(
            "failed",
            lang,
            failed=t.failed,
            attempts=t.attempts,
            avg=f"{t.average_score:.0f}",
            n=t.candidates,
        )
        parts.append(Text(f"  {facts}", style="dim"))
        for kp in t.key_points:
            row = Text("    ")
            row.append(
                label(
                    "point", lang, missed=kp.missed, contradicted=kp.contradicted, graded=kp.graded
                ),
                style="yellow",
            )
            row.append(visible(kp.text))
            parts.append(row)
    return Group(*parts)


class CohortView(VerticalScroll):
    """The Cohort tab: candidates, then one candidate's sessions, then the questions failed most.

    Loads in a worker when first shown; posts `SessionChosen` when a session is picked.
    """

    @dataclass
    class Loaded(Message):
        """The cohort was read from the log (in a worker)."""

        overview: CohortOverview

    @dataclass
    class SessionsLoaded(Message):
        """One candidate's sessions were read (in a worker)."""

        candidate: str
        sessions: list[SessionSummary]

    @dataclass
    class SessionChosen(Message):
        """Enter on one of a candidate's sessions: open it read-only."""

        session_id: int
        candidate: str

    def __init__(self, lang: Lang, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.overview: CohortOverview | None = None
        """The cohort as last loaded."""
        self.shown_candidate: str | None = None
        """Whose sessions the second table lists."""

    @property
    def candidates_table(self) -> DataTable[Text]:
        """Every candidate, one row each."""
        return self.query_one("#cohort-candidates", DataTable)

    @property
    def sessions_table(self) -> DataTable[Text]:
        """The sessions of the candidate chosen."""
        return self.query_one("#cohort-sessions", DataTable)

    def compose(self) -> ComposeResult:
        yield Static(label("loading", self.lang), id="cohort-summary", markup=False)
        yield DataTable(id="cohort-candidates", cursor_type="row", zebra_stripes=True)
        yield Static(id="cohort-sessions-title", markup=False)
        yield DataTable(id="cohort-sessions", cursor_type="row", zebra_stripes=True)
        yield Static(id="cohort-troubles", markup=False)

    def on_mount(self) -> None:
        self.sessions_table.display = False
        self.query_one("#cohort-sessions-title").display = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="cohort")
    def load(self, store: SessionStore) -> None:
        """Read the cohort off the UI thread (a shared log holds everyone's sessions)."""
        self.post_message(self.Loaded(store.cohort()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="cohort")
    def load_sessions(self, store: SessionStore, candidate: str) -> None:
        """Read one candidate's sessions off the UI thread."""
        self.post_message(self.SessionsLoaded(candidate, store.candidate_sessions(candidate)))

    @on(Loaded)
    def show_cohort(self, event: Loaded) -> None:
        """Fill the candidates table and the questions failed most."""
        overview = self.overview = event.overview
        lang = self.lang
        sessions = sum(c.sessions for c in overview.candidates)
        self.query_one("#cohort-summary", Static).update(
            label(
                "summary",
                lang,
                n=len(overview.candidates),
                sessions=sessions,
                last=TREND_SESSIONS,
            )
        )
        table = self.candidates_table
        table.clear(columns=True)
        table.add_column(label("candidate", lang), key="candidate", width=18)
        for key in ("sessions", "answers", "average", "trend"):
            table.add_column(Text(label(key, lang), justify="right"), key=key, width=5)
        table.add_column(label("weakest", lang), key="weakest")
        for c in overview.candidates:
            table.add_row(
                Text(candidate_name(c.candidate), overflow="ellipsis", no_wrap=True),
                Text(str(c.sessions), justify="right"),
                Text(str(c.answers), justify="right"),
                Text(number(c.average_score), justify="right"),
                Text(trend_text(c), justify="right", style=_trend_style(c.trend)),
                Text(weakest_text(c)),
                key=c.candidate,
            )
        from assistant.app import InterviewApp

        bank = self.app.bank if isinstance(self.app, InterviewApp) else None
        troubles = troubles_renderable(overview, lang, bank)
        self.query_one("#cohort-troubles", Static).update(troubles)

    @on(DataTable.RowSelected, "#cohort-candidates")
    def candidate_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a candidate lists their sessions."""
        candidate = event.row_key.value
        if candidate is not None:
            from assistant.app import InterviewApp

            assert isinstance(self.app, InterviewApp)
            self.load_sessions(self.app.store, candidate)

    @on(SessionsLoaded)
    def show_sessions(self, event: SessionsLoaded) -> None:
        """Fill the sessions table of the candidate chosen, and move there."""
        from assistant.screens.review import SESSION_COLUMNS

        self.shown_candidate = event.candidate
        heading = self.query_one("#cohort-sessions-title", Static)
        heading.display = True
        heading.update(
            Text(
                label("sessions_of", self.lang, name=candidate_name(event.candidate)),
                style="bold",
            )
        )
        table = self.sessions_table
        table.clear(columns=True)
        for column in SESSION_COLUMNS:
            title = Text(
                _review_label(column.key, self.lang), justify="right" if column.right else "left"
            )
            table.add_column(title, key=column.key, width=column.width)
        for s in event.sessions:
            table.add_row(
                *(
                    Text(c.cell(s, self.lang), justify="right" if c.right else "left")
                    for c in SESSION_COLUMNS
                ),
                key=str(s.id),
            )
        table.display = True
        table.focus()

    @on(DataTable.RowSelected, "#cohort-sessions")
    def session_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a session opens it read-only."""
        if event.row_key.value is not None and self.shown_candidate is not None:
            self.post_message(self.SessionChosen(int(event.row_key.value), self.shown_candidate))

    @on(Worker.StateChanged)
    def load_failed(self, event: Worker.StateChanged) -> None:
        """A failed read is shown in a dialog, with the reason."""
        if event.worker.group == "cohort" and event.state is WorkerState.ERROR:
            self.app.push_screen(
                ErrorDialog(label("failed_title", self.lang), str(event.worker.error))
            )


def _trend_style(trend: float | None) -> str:
    if trend is None or round(trend) == 0:
        return ""
    return "green" if trend > 0 else "red"


def _review_label(key: str, lang: Lang) -> str:
    from assistant.screens.review import label as review_label

    return review_label(key, lang)


class CandidateSessionScreen(Screen[None]):
    """Another candidate's session, turn by turn, read-only: nothing here changes the log."""

    BINDINGS = [Binding("escape", "back", "Back", id="cohort_session.back")]

    def __init__(self, detail: SessionDetail, candidate: str, bank: Bank, lang: Lang) -> None:
        super().__init__()
        self.detail = detail
        self.candidate = candidate
        self.bank = bank
        self.lang = lang

    def compose(self) -> ComposeResult:
        from assistant.screens.review import session_cards

        yield Static(
            Text(
                label("read_only", self.lang, name=candidate_name(self.candidate)),
                style="bold",
            ),
            id="read-only-banner",
            markup=False,
        )
        with VerticalScroll(id="session-detail"):
            yield from session_cards(self.detail, self.bank)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#session-detail").focus()

    def action_back(self) -> None:
        """Back to the Cohort tab."""
        self.dismiss(None)
