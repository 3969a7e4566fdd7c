"""The mentor's view on the review screen: the disputed grades waiting for a ruling, every
candidate, the questions the group fails most, how often candidates overruled the grader, and
any candidate's sessions opened read-only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from assistant.interview.visible import visible
from assistant.knowledge.models import Lang
from assistant.reports.cohort import (
    candidate_name,
    number,
    overrule_rows,
    percent,
    score_change,
    trend_text,
    weakest_text,
)
from assistant.screens.bindings import relabel_bindings
from assistant.screens.dialogs import ErrorDialog
from assistant.screens.settle import Ruling, SettleDialog, outcome_word
from assistant.store.records import (
    TREND_SESSIONS,
    CohortOverview,
    DisputedAnswer,
    DisputeRecord,
    DisputeStatus,
    OverruleRate,
    SessionDetail,
    SessionSummary,
)
from assistant.store.repository import DisputeError

if TYPE_CHECKING:
    from assistant.app import InterviewApp
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
    "settle_failed_title": ("The ruling was not saved", "La décision n'a pas été enregistrée"),
    "disputes_title": (
        "Disputed grades waiting for a mentor: {n}. Enter opens one to accept or reject.",
        "Notes contestées en attente d'un mentor : {n}. Entrée en ouvre une pour l'accepter "
        "ou la rejeter.",
    ),
    "no_disputes": (
        "No disputed grade is waiting for a mentor.",
        "Aucune note contestée n'attend de mentor.",
    ),
    "settled_shown": (
        " Settled ones are listed too (v hides them).",
        " Les réglées sont listées aussi (v les masque).",
    ),
    "date": ("Date", "Date"),
    "question": ("Question", "Question"),
    "scores": ("Grader→Own", "Corr.→Sienne"),
    "outcome": ("Outcome", "Issue"),
    "reason": ("Their reason", "Sa raison"),
    "ruled": (
        "You {outcome} {name}'s grade ({scores}).",
        "Vous avez {outcome} la note de {name} ({scores}).",
    ),
    "refused_title": ("Not settled", "Non réglée"),
    "overrules": (
        "How often candidates overruled the grader (worst first): where the bank or the grader "
        "needs work",
        "Combien de fois les candidats ont contesté le correcteur (le pire d'abord) : là où la "
        "banque ou le correcteur doit progresser",
    ),
    "no_overrules": ("No grade was disputed.", "Aucune note contestée."),
    "rate": ("Rate", "Taux"),
    "disputed": ("Disp.", "Cont."),
    "accepted": ("Acc.", "Acc."),
    "rejected": ("Rej.", "Rej."),
    "graded": ("Graded", "Notées"),
    "question_or_point": ("Question / key point", "Question / point clé"),
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


def overrules_renderable(rates: list[OverruleRate], lang: Lang) -> RenderableType:
    """How often the grader was overruled: each question, worst first, with its key points
    under it; the stored text goes in as plain Text, never markup."""
    title = Text(label("overrules", lang), style="bold")
    rows = overrule_rows(rates)
    if not rows:
        return Group(title, Text(label("no_overrules", lang), style="dim"))
    table = Table(box=None, expand=True, pad_edge=False, padding=(0, 1))
    for key in ("rate", "disputed", "accepted", "rejected", "graded"):
        table.add_column(label(key, lang), justify="right", no_wrap=True)
    table.add_column(label("question_or_point", lang), ratio=1, overflow="fold")
    for rate in rows:
        if rate.key_point_id is None:
            text = Text(visible(rate.question_text), style="bold")
        else:
            text = Text("· " + visible(rate.key_point_text))
        table.add_row(
            Text(percent(rate.rate), style="yellow" if rate.rate else ""),
            str(rate.disputed),
            str(rate.accepted),
            str(rate.rejected),
            str(rate.graded),
            text,
        )
    return Group(title, table)


class CohortView(VerticalScroll):
    """The Cohort tab: the disputed grades waiting, candidates, then one candidate's sessions,
    the questions failed most and how often the grader was overruled.

    Loads in a worker when shown; posts `SessionChosen` when a session is picked. Enter on a
    dispute opens it to settle; the ruling is saved in a worker, and the tab read again.
    """

    BINDINGS = [
        Binding("v", "toggle_settled", "Settled disputes", id="cohort.settled"),
    ]

    @dataclass
    class Loaded(Message):
        """The cohort was read from the log (in a worker)."""

        overview: CohortOverview
        disputes: list[DisputedAnswer]
        """The disputed answers to list: the waiting ones, and the settled ones when shown."""
        rates: list[OverruleRate]
        """How often the grader was overruled, worst first (`overrule_rates`)."""

    @dataclass
    class Settled(Message):
        """A mentor's ruling was saved, or refused by the store (in a worker)."""

        answer: DisputedAnswer
        refusal: str
        """Why the store refused it (another mentor settled it first...); '' when saved."""
        record: DisputeRecord | None = None
        """The dispute as settled, when saved."""

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
        relabel_bindings(self, {"toggle_settled": "settled_disputes"}, lang)
        self.overview: CohortOverview | None = None
        """The cohort as last loaded."""
        self.shown_candidate: str | None = None
        """Whose sessions the second table lists."""
        self.disputes: list[DisputedAnswer] = []
        """The disputed answers listed, as last loaded."""
        self.show_settled = False
        """Whether settled disputes are listed under the waiting ones."""

    @property
    def coach(self) -> InterviewApp:
        """The app, typed."""
        from assistant.app import InterviewApp

        assert isinstance(self.app, InterviewApp)
        return self.app

    @property
    def disputes_table(self) -> DataTable[Text]:
        """The disputed answers, waiting first."""
        return self.query_one("#cohort-disputes", DataTable)

    @property
    def ruling_line(self) -> Static:
        """What became of the last ruling: saved, or why the store refused it."""
        return self.query_one("#cohort-ruling", Static)

    @property
    def candidates_table(self) -> DataTable[Text]:
        """Every candidate, one row each."""
        return self.query_one("#cohort-candidates", DataTable)

    @property
    def sessions_table(self) -> DataTable[Text]:
        """The sessions of the candidate chosen."""
        return self.query_one("#cohort-sessions", DataTable)

    def compose(self) -> ComposeResult:
        # The disputes first: they are the work waiting.
        yield Static(id="cohort-disputes-title", markup=False)
        yield DataTable(id="cohort-disputes", cursor_type="row", zebra_stripes=True)
        yield Static(id="cohort-ruling", markup=False)
        yield Static(label("loading", self.lang), id="cohort-summary", markup=False)
        yield DataTable(id="cohort-candidates", cursor_type="row", zebra_stripes=True)
        yield Static(id="cohort-sessions-title", markup=False)
        yield DataTable(id="cohort-sessions", cursor_type="row", zebra_stripes=True)
        yield Static(id="cohort-troubles", markup=False)
        yield Static(id="cohort-overrules", markup=False)

    def on_mount(self) -> None:
        self.sessions_table.display = False
        self.query_one("#cohort-sessions-title").display = False
        self.disputes_table.display = False
        self.ruling_line.display = False

    def load(self, store: SessionStore) -> None:
        """Read the cohort, its disputes and the grader's overrule rates, in a worker."""
        self._read(store, settled=self.show_settled)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cohort-read")
    def _read(self, store: SessionStore, *, settled: bool) -> None:
        """Read everything the tab shows off the UI thread (a shared log holds everyone's
        sessions)."""
        statuses = [DisputeStatus.OPEN]
        if settled:
            statuses += [DisputeStatus.ACCEPTED, DisputeStatus.REJECTED]
        loaded = self.Loaded(
            store.cohort(), store.disputed_answers(statuses), store.overrule_rates()
        )
        # A newer read replaced this one (v pressed twice, a ruling saved): this one is stale.
        if not get_current_worker().is_cancelled:
            self.post_message(loaded)

    @work(thread=True, exclusive=True, exit_on_error=False, group="cohort-settle")
    def settle(self, store: SessionStore, answer: DisputedAnswer, ruling: Ruling) -> None:
        """Save a ruling off the UI thread; the store's refusal (another mentor settled it
        first, the candidate changed their marks since) is posted for the user to read."""
        try:
            record = store.settle_dispute(answer.dispute.id, accept=ruling.accept, note=ruling.note)
        except DisputeError as refused:
            self.post_message(self.Settled(answer, str(refused)))
            return
        self.post_message(self.Settled(answer, "", record))

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
        self.query_one("#cohort-overrules", Static).update(overrules_renderable(event.rates, lang))
        self.show_disputes(event.disputes)

    def show_disputes(self, disputes: list[DisputedAnswer]) -> None:
        """List the disputed answers, waiting ones first (oldest first), then settled ones
        (newest ruling first); the list takes the focus from the candidates while it has any."""
        lang = self.lang
        waiting = [d for d in disputes if d.dispute.status is DisputeStatus.OPEN]
        settled = sorted(
            (d for d in disputes if d.dispute.status is not DisputeStatus.OPEN),
            key=lambda d: d.dispute.settled_at or d.dispute.created_at,
            reverse=True,
        )
        self.disputes = [*waiting, *settled]
        title = Text(
            label("disputes_title", lang, n=len(waiting))
            if waiting
            else label("no_disputes", lang),
            style="bold" if waiting else "dim",
        )
        if self.show_settled:
            title.append(label("settled_shown", lang), style="dim")
        self.query_one("#cohort-disputes-title", Static).update(title)
        table = self.disputes_table
        table.clear(columns=True)
        widths = {"candidate": 12, "question": 30, "date": 10, "scores": 12}
        if self.show_settled:
            widths |= {"question": 24, "outcome": 14}
        # The reason takes the room left: each column is padded by one cell each side, and a
        # scroll bar may take two.
        room = self.scrollable_content_region.width or 96
        widths["reason"] = max(12, room - sum(widths.values()) - 2 * (len(widths) + 1) - 2)
        for key, width in widths.items():
            table.add_column(label(key, lang), key=key, width=width)
        for d in self.disputes:
            cells = [
                Text(candidate_name(d.candidate), overflow="ellipsis", no_wrap=True),
                Text(visible(d.turn.question_text), overflow="ellipsis", no_wrap=True),
                Text(f"{d.dispute.created_at.astimezone():%Y-%m-%d}"),
                Text(score_change(d)),
            ]
            if self.show_settled:
                status = d.dispute.status
                outcome = outcome_word(status, lang)
                if d.dispute.settled_by:
                    outcome += f" · {visible(d.dispute.settled_by)}"
                style = {DisputeStatus.ACCEPTED: "green", DisputeStatus.REJECTED: "red"}
                cells.append(Text(outcome, style=style.get(status, "bold"), no_wrap=True))
            cells.append(Text(visible(d.dispute.reason), overflow="ellipsis", no_wrap=True))
            table.add_row(*cells, key=str(d.dispute.id))
        table.display = bool(self.disputes)
        focused = self.screen.focused
        if self.disputes and focused in (None, self.candidates_table):
            table.focus()
        elif not self.disputes and focused in (None, table):
            self.candidates_table.focus()

    @on(DataTable.RowSelected, "#cohort-disputes")
    def dispute_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter on a dispute opens it: to settle when it waits, to read when settled."""
        chosen = next((d for d in self.disputes if str(d.dispute.id) == event.row_key.value), None)
        if chosen is None:
            return

        def ruled(ruling: Ruling | None) -> None:
            if ruling is not None:
                self.settle(self.coach.store, chosen, ruling)

        self.app.push_screen(SettleDialog(chosen, self.lang), ruled)

    @on(Settled)
    def show_ruling(self, event: Settled) -> None:
        """Say what became of the ruling, then read the tab again: the dispute leaves the
        waiting list either way (ruled here, or by another mentor first)."""
        line = self.ruling_line
        line.display = True
        if event.refusal:
            # The store's words, as they are: they name the mentor who settled it first.
            line.update(Text(event.refusal, style="bold yellow"))
            self.notify(event.refusal, title=label("refused_title", self.lang), severity="warning")
        else:
            status = event.record.status if event.record is not None else DisputeStatus.OPEN
            line.update(
                Text(
                    label(
                        "ruled",
                        self.lang,
                        outcome=outcome_word(status, self.lang),
                        name=candidate_name(event.answer.candidate),
                        scores=score_change(event.answer),
                    ),
                    style="green" if status is DisputeStatus.ACCEPTED else "red",
                )
            )
        self.load(self.coach.store)

    def action_toggle_settled(self) -> None:
        """List the settled disputes too (with their outcome), or the waiting ones only."""
        self.show_settled = not self.show_settled
        self.load(self.coach.store)

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
        if event.state is not WorkerState.ERROR:
            return
        titles = {
            "cohort": "failed_title",
            "cohort-read": "failed_title",
            "cohort-settle": "settle_failed_title",
        }
        if event.worker.group in titles:
            self.app.push_screen(
                ErrorDialog(label(titles[event.worker.group], self.lang), str(event.worker.error))
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
