"""A mentor settles a disputed grade: the answer, each key point as the grader and the candidate
marked it (the marks they differ on stand out), and the ruling, accept or reject, with an
optional one-line note for the candidate."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from assistant.grading.feedback import COVERAGE_MARKS, colon
from assistant.grading.grade import Coverage
from assistant.grading.overrule import marks_of
from assistant.interview.visible import visible
from assistant.knowledge.models import Lang
from assistant.screens.dialogs import Dialog
from assistant.store.records import DisputedAnswer, DisputeStatus

NOTE_LENGTH = 200
"""The longest note a mentor may leave: one line the candidate reads on their review screen."""

_LABELS: dict[str, tuple[str, str]] = {
    "title": (
        "{name}'s grade, disputed: the grader gave {machine}, the candidate {own}",
        "Note contestée de {name} : le correcteur a donné {machine}, le candidat {own}",
    ),
    "when": (
        "Answered {answered} · disputed {disputed}",
        "Répondu le {answered} · contesté le {disputed}",
    ),
    "answer": ("Answer", "Réponse"),
    "reason": ("Their reason", "Sa raison"),
    "no_reason": ("(no reason given)", "(aucune raison donnée)"),
    "grader": ("Grader", "Correcteur"),
    "candidate": ("Candidate", "Candidat"),
    "key_point": ("Key point", "Point clé"),
    "changed": (
        "» the candidate changed this mark",
        "» le candidat a changé cette marque",
    ),
    "note": ("Note (optional)", "Note (facultative)"),
    "note_placeholder": (
        "one line for the candidate; Enter when done",
        "une ligne pour le candidat ; Entrée pour finir",
    ),
    "keys": (
        "a Accept (their grade counts) · r Reject (the grader's counts) · n Note · esc Cancel",
        "a Accepter (sa note compte) · r Rejeter (celle du correcteur compte) · n Note · "
        "échap Annuler",
    ),
    "accept": ("Accept", "Accepter"),
    "reject": ("Reject", "Rejeter"),
    "cancel": ("Cancel", "Annuler"),
    "close": ("Close", "Fermer"),
    "settled": (
        "{by} {outcome} this dispute on {when}.",
        "{by} a {outcome} cette contestation le {when}.",
    ),
    "settled_keys": ("esc Close", "échap Fermer"),
    "mentor_note": ("Their note", "Sa note"),
}

_OUTCOMES: dict[DisputeStatus, tuple[str, str]] = {
    DisputeStatus.OPEN: ("waiting", "en attente"),
    DisputeStatus.ACCEPTED: ("accepted", "accepté"),
    DisputeStatus.REJECTED: ("rejected", "rejeté"),
    DisputeStatus.WITHDRAWN: ("withdrawn", "retiré"),
    DisputeStatus.REPLACED: ("replaced", "remplacé"),
}

_MARK_WORDS: dict[Coverage, tuple[str, str]] = {
    Coverage.COVERED: ("covered", "couvert"),
    Coverage.PARTIAL: ("partly", "en partie"),
    Coverage.MISSED: ("missed", "manqué"),
    Coverage.CONTRADICTED: ("contradicted", "contredit"),
}
"""A mark in one word: the mentor compares two columns of them."""


def _label(key: str, lang: Lang, **values: object) -> str:
    en, fr = _LABELS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def outcome_word(status: DisputeStatus, lang: Lang) -> str:
    """Where a dispute stands, in one word: `waiting`, `accepted`..."""
    en, fr = _OUTCOMES[status]
    return en if lang == "en" else fr


def mark_text(status: Coverage, lang: Lang) -> Text:
    """A key point's mark with its symbol and colour, as on every screen."""
    symbol, style = COVERAGE_MARKS[status]
    en, fr = _MARK_WORDS[status]
    return Text(f"{symbol} {en if lang == 'en' else fr}", style=style)


def key_point_table(answer: DisputedAnswer, lang: Lang) -> Table:
    """Each key point with the grader's mark and the candidate's; a row they differ on is
    bold and marked `»`. Key point text goes in as plain Text, never markup."""
    table = Table(
        box=None,
        expand=True,
        pad_edge=False,
        padding=(0, 1),
        caption=_label("changed", lang),
        caption_justify="left",
        caption_style="dim",
    )
    table.add_column("", width=1, no_wrap=True)
    table.add_column(_label("grader", lang), no_wrap=True)
    table.add_column(_label("candidate", lang), no_wrap=True)
    table.add_column(_label("key_point", lang), ratio=1, overflow="fold")
    machine = answer.turn.grade
    own = marks_of(answer.dispute.grade)
    for point in machine.key_points if machine is not None else ():
        theirs = own.get(point.id, point.status)
        changed = theirs is not point.status
        table.add_row(
            Text("»", style="bold yellow") if changed else Text(""),
            mark_text(point.status, lang),
            mark_text(theirs, lang),
            Text(visible(point.text), style="bold" if changed else ""),
        )
    return table


@dataclass(frozen=True)
class Ruling:
    """What the mentor decided on one dispute."""

    accept: bool
    """True: the candidate's grade counts; False: the grader's counts again."""
    note: str
    """The mentor's note for the candidate ('' for none)."""


class SettleDialog(Dialog[Ruling | None]):
    """One disputed grade, for a mentor to accept or reject; dismisses with the `Ruling`, or
    None when cancelled. A dispute settled already is shown with its outcome, to read only."""

    DEFAULT_CSS = """
    SettleDialog { align: center middle; }
    SettleDialog > #settle {
        width: 96; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SettleDialog #settle-title { text-style: bold; }
    SettleDialog #settle-when { color: $text-muted; }
    SettleDialog #settle-question { text-style: bold; margin: 1 0 0 0; }
    SettleDialog #settle-body { height: auto; max-height: 14; margin: 1 0 0 0; }
    SettleDialog #settle-points { margin: 1 0 0 0; }
    SettleDialog #settle-outcome { margin: 1 0 0 0; color: $warning; }
    SettleDialog #settle-note-row { height: 1; margin: 1 0 0 0; }
    SettleDialog #settle-note-label { width: auto; margin: 0 1 0 0; }
    SettleDialog #settle-note { width: 1fr; background: $boost; }
    SettleDialog .dialog-keys { margin: 1 0 0 0; }
    """

    # Priority: the app runs them as each key arrives, so keys sent at once keep their order
    # ("n", then the note's letters, Enter, "r"); a screen's ordinary binding runs only after
    # the keys queued behind it have gone to the old focus. In the note, check_action leaves
    # the letters to it.
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="settle.cancel"),
        Binding("a", "rule(True)", "Accept", id="settle.accept", priority=True),
        Binding("r", "rule(False)", "Reject", id="settle.reject", priority=True),
        Binding("n", "note", "Note", id="settle.note", priority=True),
        Binding(
            "enter", "note_done", "Note done", id="settle.note-done", show=False, priority=True
        ),
    ]

    def __init__(self, answer: DisputedAnswer, lang: Lang) -> None:
        super().__init__()
        self.answer = answer
        self.lang = lang

    @property
    def is_open(self) -> bool:
        """Whether the dispute still waits for a ruling (else it is shown to read only)."""
        return self.answer.dispute.status is DisputeStatus.OPEN

    @property
    def note_input(self) -> Input:
        """The mentor's one-line note."""
        return self.query_one("#settle-note", Input)

    def compose(self) -> ComposeResult:
        answer, lang = self.answer, self.lang
        dispute, turn = answer.dispute, answer.turn
        machine = turn.grade.score if turn.grade is not None else "—"
        with Vertical(id="settle"):
            yield Static(
                _label(
                    "title",
                    lang,
                    name=visible(answer.candidate),
                    machine=machine,
                    own=dispute.grade.score,
                ),
                id="settle-title",
                markup=False,
            )
            yield Static(
                _label(
                    "when",
                    lang,
                    answered=f"{turn.submitted_at.astimezone():%Y-%m-%d %H:%M}",
                    disputed=f"{dispute.created_at.astimezone():%Y-%m-%d %H:%M}",
                ),
                id="settle-when",
                markup=False,
            )
            yield Static(visible(turn.question_text), id="settle-question", markup=False)
            with VerticalScroll(id="settle-body"):
                yield Static(self._answer_text(), id="settle-answer", markup=False)
                yield Static(key_point_table(answer, lang), id="settle-points", markup=False)
            if self.is_open:
                with Horizontal(id="settle-note-row"):
                    yield Static(
                        _label("note", lang) + colon(lang), id="settle-note-label", markup=False
                    )
                    yield Input(
                        placeholder=_label("note_placeholder", lang),
                        max_length=NOTE_LENGTH,
                        id="settle-note",
                        compact=True,
                    )
                yield Static(_label("keys", lang), classes="dialog-keys", markup=False)
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_label("accept", lang), variant="success", id="settle-accept")
                    yield Button(_label("reject", lang), variant="error", id="settle-reject")
                    yield Button(_label("cancel", lang), id="settle-cancel")
            else:
                yield Static(self._outcome_text(), id="settle-outcome", markup=False)
                yield Static(_label("settled_keys", lang), classes="dialog-keys", markup=False)
                with Horizontal(classes="dialog-buttons"):
                    yield Button(_label("close", lang), id="settle-cancel")

    def _answer_text(self) -> Text:
        """The answer and the candidate's reason, exactly as typed (made visible)."""
        lang = self.lang
        text = Text(_label("answer", lang) + colon(lang) + "\n", style="bold")
        text.append(visible(self.answer.turn.answer), style="not bold")
        text.append("\n\n" + _label("reason", lang) + colon(lang) + " ", style="bold")
        reason = self.answer.dispute.reason
        if reason:
            text.append(visible(reason), style="not bold")
        else:
            text.append(_label("no_reason", lang), style="not bold dim")
        return text

    def _outcome_text(self) -> Text:
        """Who settled the dispute, when, how, and their note."""
        dispute, lang = self.answer.dispute, self.lang
        when = f"{dispute.settled_at.astimezone():%Y-%m-%d %H:%M}" if dispute.settled_at else "—"
        text = Text(
            _label(
                "settled",
                lang,
                by=visible(dispute.settled_by or "—"),
                outcome=outcome_word(dispute.status, lang),
                when=when,
            )
        )
        if dispute.note:
            text.append(f"\n{_label('mentor_note', lang)}{colon(lang)} {visible(dispute.note)}")
        return text

    def on_mount(self) -> None:
        # The body first: a long answer scrolls with the arrows, and a and r apply at once.
        self.query_one("#settle-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A settled dispute has no ruling to make; in the note, letters are the note's."""
        if action == "note_done":
            return self.focused is self.note_input
        if action in ("rule", "note"):
            if not self.is_open:
                return False
            return None if isinstance(self.focused, Input) else True
        return super().check_action(action, parameters)

    def action_rule(self, accept: bool) -> None:
        """Accept the candidate's grade, or uphold the grader's, with the note typed."""
        if self.is_open:
            # Through the note's own queue: letters sent just before are typed in first.
            self.note_input.call_later(self._rule, accept)

    def _rule(self, accept: bool) -> None:
        if self.is_open and self.is_active:
            self.dismiss(Ruling(accept, self.note_input.value.strip()))

    def action_note(self) -> None:
        """Type a note for the candidate."""
        # At once, not after the queued keys (as `focus()` would): letters typed right after
        # `n` are the note's, never an Accept or Reject.
        self.set_focus(self.note_input)

    def action_cancel(self) -> None:
        """Leave the dispute as it is."""
        self.dismiss(None)

    def action_note_done(self) -> None:
        """Enter ends the note: back to the dispute, where a and r rule."""
        self.set_focus(self.query_one("#settle-body"))

    @on(Button.Pressed, "#settle-accept")
    def accept_pressed(self) -> None:
        """The Accept button."""
        self.action_rule(True)

    @on(Button.Pressed, "#settle-reject")
    def reject_pressed(self) -> None:
        """The Reject button."""
        self.action_rule(False)

    @on(Button.Pressed, "#settle-cancel")
    def cancel_pressed(self) -> None:
        """The Cancel (or Close) button."""
        self.action_cancel()
