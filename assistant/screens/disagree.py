"""The candidate disagrees with a grade: they mark each key point themselves and see the score
their marks are worth before saving (see `grading.overrule`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from assistant.grading.feedback import COVERAGE_MARKS, colon, coverage_label, verdict_label
from assistant.grading.grade import Coverage, Grade
from assistant.grading.overrule import MARKS, marks_of, overruled
from assistant.interview.lines import line
from assistant.knowledge.models import Lang
from assistant.screens.dialogs import Dialog
from assistant.widgets.keys_in_order import KeysInOrder

if TYPE_CHECKING:  # the store (SQLModel, pydantic) loads after the first question is on screen
    from assistant.store import SessionStore
    from assistant.store.records import DisputeRecord, TurnRecord

MARK_KEYS = {
    "c": Coverage.COVERED,
    "p": Coverage.PARTIAL,
    "m": Coverage.MISSED,
    "x": Coverage.CONTRADICTED,
}
"""A letter per mark, the same in both languages (x: contradicted, "wrong")."""


@dataclass(frozen=True)
class Disagreement:
    """What the candidate decided: their mark of every key point, and why."""

    marks: dict[str, Coverage]
    reason: str


class MarkList(KeysInOrder, OptionList):
    """The key points, each with the candidate's mark; Space cycles it, a letter sets it.

    Its keys run where they arrive (`KeysInOrder`): "c", Down, "x", Tab sent at once mark the
    first two key points before the focus leaves for the reason."""

    ORDERED_LETTERS = True

    BINDINGS = [
        Binding("space", "cycle", "Change mark", id="disagree.cycle"),
        *(
            Binding(
                key, f"mark('{mark.value}')", f"Mark {mark.value}", show=False, id=f"disagree.{key}"
            )
            for key, mark in MARK_KEYS.items()
        ),
    ]

    def action_cycle(self) -> None:
        """The highlighted key point's next mark."""
        screen = self.screen
        if isinstance(screen, DisagreeDialog) and self.highlighted is not None:
            screen.step_mark(self.highlighted)

    def action_mark(self, value: str) -> None:
        """Give the highlighted key point this mark."""
        screen = self.screen
        if isinstance(screen, DisagreeDialog) and self.highlighted is not None:
            screen.set_mark(self.highlighted, Coverage(value))


class DisagreeDialog(Dialog[Disagreement | None]):
    """Mark each key point of a graded answer; dismisses with the marks, or None to cancel."""

    # Priority, so that keys sent at once keep their order: the app runs these as each key
    # arrives (Tab moves the focus before the reason's letters are sent on).
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="disagree.cancel"),
        Binding("ctrl+s", "save", "Save", id="disagree.save", priority=True),
        Binding("tab", "step_focus(1)", "Next", id="disagree.next", show=False, priority=True),
        Binding(
            "shift+tab",
            "step_focus(-1)",
            "Previous",
            id="disagree.previous",
            show=False,
            priority=True,
        ),
    ]

    AUTO_FOCUS = "MarkList"

    def __init__(
        self,
        question: str,
        grade: Grade,
        lang: Lang,
        *,
        marks: dict[str, Coverage] | None = None,
        reason: str = "",
    ) -> None:
        """`grade` is the machine's; `marks` and `reason` those of a dispute already open."""
        super().__init__()
        self.question = question
        self.grade = grade
        self.lang = lang
        self.marks = dict(marks or marks_of(grade))
        self._reason = reason

    @property
    def mark_list(self) -> MarkList:
        """The key points and their marks."""
        return self.query_one(MarkList)

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(classes="dialog wide"):
            yield Static(line("disagree_title", lang), markup=False, classes="dialog-heading")
            yield Static(self.question, markup=False, classes="dialog-text")
            yield MarkList(*self._options())
            yield Static(self._score_text(), id="disagree-score")
            yield Input(
                self._reason,
                placeholder=line("disagree_reason", lang),
                id="disagree-reason",
                max_length=300,
            )
            yield Static(line("disagree_keys", lang), markup=False, classes="dialog-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button(line("disagree_save", lang), variant="primary", id="save")
                yield Button(line("cancel_word", lang), id="cancel")

    def _options(self) -> list[Option]:
        return [
            Option(self._prompt(i), id=point.id) for i, point in enumerate(self.grade.key_points)
        ]

    def _prompt(self, index: int) -> Text:
        """One key point: the candidate's mark, its text, and the grader's mark if different."""
        point = self.grade.key_points[index]
        mine = self.marks[point.id]
        mark, style = COVERAGE_MARKS[mine]
        row = Text()
        row.append(f"{mark} {coverage_label(mine, self.lang):<12} ", style=f"bold {style}")
        row.append(point.text)
        if mine is not point.status:
            theirs, their_style = COVERAGE_MARKS[point.status]
            row.append(f"  ({line('grader', self.lang)}{colon(self.lang)} ", style="dim")
            row.append(f"{theirs} {coverage_label(point.status, self.lang)}", style=their_style)
            row.append(")", style="dim")
        return row

    def _score_text(self) -> Text:
        lang = self.lang
        mine = overruled(self.grade, self.marks)
        text = Text()
        text.append(f"{line('grader', lang)}{colon(lang)} ")
        text.append(f"{self.grade.score} {verdict_label(self.grade.verdict, lang)}", style="bold")
        text.append("  →  ")
        text.append(f"{line('your_grade', lang)}{colon(lang)} ")
        if marks_of(mine) == marks_of(self.grade):
            # The grader's own marks: saving them keeps (or puts back) the grader's grade.
            text.append(line("disagree_same", lang), style="dim")
        else:
            text.append(f"{mine.score} {verdict_label(mine.verdict, lang)}", style="bold")
        return text

    def set_mark(self, index: int, mark: Coverage) -> None:
        """Give key point `index` this mark and show what the score becomes."""
        point = self.grade.key_points[index]
        self.marks[point.id] = mark
        self.mark_list.replace_option_prompt_at_index(index, self._prompt(index))
        self.query_one("#disagree-score", Static).update(self._score_text())

    def step_mark(self, index: int) -> None:
        """Key point `index`'s next mark, in `MARKS` order."""
        current = self.marks[self.grade.key_points[index].id]
        self.set_mark(index, MARKS[(MARKS.index(current) + 1) % len(MARKS)])

    @on(OptionList.OptionSelected)
    def cycle_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter (or a click) on a key point changes its mark, as Space does."""
        event.stop()
        self.step_mark(event.option_index)

    def action_step_focus(self, direction: int) -> None:
        """Tab and Shift+Tab, at once (see BINDINGS)."""
        if direction > 0:
            self.focus_next()
        else:
            self.focus_previous()

    @on(Input.Submitted, "#disagree-reason")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        """Keep these marks (marks equal to the grader's withdraw a dispute)."""
        # Through the reason's own queue: letters sent just before are typed in first.
        self.query_one("#disagree-reason", Input).call_later(self._save)

    def _save(self) -> None:
        if self.is_active:
            reason = self.query_one("#disagree-reason", Input).value
            self.dismiss(Disagreement(dict(self.marks), " ".join(reason.split())))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave the grade as it was."""
        self.dismiss(None)


class AnswerPicker(Dialog[int | None]):
    """Which graded answer to disagree with, when a screen shows several; dismisses with the
    turn id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    AUTO_FOCUS = "OptionList"

    def __init__(self, turns: list[TurnRecord], lang: Lang) -> None:
        super().__init__()
        self.turns = turns
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(line("disagree_pick", self.lang), markup=False, classes="dialog-heading")
            yield OptionList(*[Option(self._prompt(t), id=str(t.id)) for t in self.turns])

    def _prompt(self, turn: TurnRecord) -> Text:
        row = Text()
        row.append(f"{turn.score:>3} ", style="bold")
        if turn.own_grade is not None:
            row.append(f"({line('your_grade', self.lang)}) ", style="dim")
        row.append(turn.question_text)
        row.truncate(90, overflow="ellipsis")
        return row

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        """The candidate picked an answer."""
        self.dismiss(int(event.option_id or 0))

    def action_cancel(self) -> None:
        """Disagree with none."""
        self.dismiss(None)


def disputable(turn: TurnRecord) -> bool:
    """Whether the candidate can disagree with this turn's grade: graded, with key points."""
    return turn.grade is not None and bool(turn.grade.key_points)


def disagree_with(
    screen: Screen[Any],
    store: SessionStore,
    turn: TurnRecord,
    lang: Lang,
    done: Callable[[str], object],
) -> None:
    """Open the marks of `turn` for the candidate; store what they decide, then call `done`
    with one sentence saying what counts now (shown by the caller where it speaks)."""
    from assistant.store import StoreError
    from assistant.store.records import DisputeStatus
    from assistant.store.repository import DisputeError

    grade = turn.grade
    if grade is None or not grade.key_points:
        done(line("disagree_nothing", lang))
        return
    dispute = turn.dispute
    if dispute is not None and dispute.status in (DisputeStatus.ACCEPTED, DisputeStatus.REJECTED):
        outcome = settled_text(dispute, lang)
        done(line("disagree_settled", lang, outcome=outcome))
        return
    standing = dispute is not None and dispute.status is DisputeStatus.OPEN
    marks = marks_of(dispute.grade) if dispute is not None and standing else None
    reason = dispute.reason if dispute is not None and standing else ""

    def decided(result: Disagreement | None) -> None:
        if result is None:
            return
        machine = f"{grade.score} ({verdict_label(grade.verdict, lang)})"
        try:
            made = store.dispute_turn(turn.id, result.marks, result.reason)
        except (DisputeError, StoreError) as error:
            screen.notify(str(error), severity="error", markup=False)
            return
        if made is None:
            done(line("disagree_withdrawn", lang, machine=machine))
        else:
            verdict = verdict_label(made.grade.verdict, lang)
            done(
                line(
                    "disagree_saved", lang, score=made.grade.score, verdict=verdict, machine=machine
                )
            )

    screen.app.push_screen(
        DisagreeDialog(turn.question_text, grade, lang, marks=marks, reason=reason), decided
    )


def settled_text(dispute: DisputeRecord, lang: Lang) -> str:
    """How a mentor settled a dispute, in `lang`: who, what, when, and their note."""
    from assistant.store.records import DisputeStatus

    when = dispute.settled_at.astimezone().strftime("%Y-%m-%d") if dispute.settled_at else ""
    key = "dispute_accepted" if dispute.status is DisputeStatus.ACCEPTED else "dispute_rejected"
    text = line(key, lang, who=dispute.settled_by or "?", when=when)
    return f"{text} — {dispute.note}" if dispute.note else text


def dispute_renderable(turn: TurnRecord, lang: Lang) -> RenderableType | None:
    """Under the grader's feedback: the candidate's grade, the key points they marked
    otherwise, their reason, and where the dispute stands (None when a report would show no
    dispute either: never disputed, or withdrawn; see `reports.outline.dispute_view`)."""
    from assistant.reports.outline import dispute_view
    from assistant.store.records import DisputeStatus

    view = dispute_view(turn)
    if view is None:
        return None
    dispute, mine = view.dispute, view.yours
    head = Text()
    head.append(f"{line('your_grade', lang).capitalize()}{colon(lang)} ", style="bold")
    head.append(f"{mine.score} {verdict_label(mine.verdict, lang)}", style="bold")
    head.append(f"  ({line('grader', lang)} {view.grader.score})", style="dim")
    parts: list[RenderableType] = [head]
    for change in view.changes.values():
        mark, style = COVERAGE_MARKS[change.yours]
        row = Text(f"{mark} ", style=style)
        row.append(f"{coverage_label(change.yours, lang)}{colon(lang)} ", style=f"bold {style}")
        row.append(change.text)
        row.append(
            f"  ({line('grader', lang)}{colon(lang)} {coverage_label(change.grader, lang)})",
            style="dim",
        )
        parts.append(row)
    if dispute.reason:
        parts.append(Text(f"“{dispute.reason}”", style="italic"))
    if dispute.status is DisputeStatus.OPEN:
        parts.append(Text(line("dispute_open", lang), style="dim"))
    else:
        style = "green" if dispute.status is DisputeStatus.ACCEPTED else "yellow"
        parts.append(Text(settled_text(dispute, lang), style=style))
    return Group(*parts)
