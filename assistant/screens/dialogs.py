"""Small modal dialogs: a yes/no question and an error message."""

from __future__ import annotations

from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal dialog whose row of buttons Left and Right walk along, as in most dialogs.

    The arrows move between buttons only while a button has the focus: in a text field they
    keep moving the cursor.
    """

    BINDINGS = [
        Binding("left", "step_button(-1)", "Previous button", show=False, id="dialog.left"),
        Binding("right", "step_button(1)", "Next button", show=False, id="dialog.right"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The arrows belong to the buttons only when one of them has the focus."""
        if action == "step_button":
            return isinstance(self.focused, Button)
        return True

    def action_step_button(self, direction: int) -> None:
        """Focus the button beside the focused one (the row's ends stay put)."""
        buttons = [b for b in self.query(Button) if b.focusable]
        if self.focused not in buttons:
            return
        index = buttons.index(self.focused) + direction  # type: ignore[arg-type]
        buttons[max(0, min(index, len(buttons) - 1))].focus()


class ConfirmDialog(Dialog[bool]):
    """Asks a yes/no question; dismisses with the answer. Its keys are written under it."""

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question = question
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False, classes="dialog-text")
            keys = f"y {self._yes} · n / esc {self._no} · ← → Tab"
            yield Static(keys, markup=False, classes="dialog-keys")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._yes, variant="primary", id="yes")
                yield Button(self._no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def confirm(self) -> None:
        """The user said yes."""
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def cancel(self) -> None:
        """The user said no."""
        self.dismiss(False)

    def action_answer(self, value: bool) -> None:
        """Answer by key."""
        self.dismiss(value)


class ErrorDialog(Dialog[None]):
    """Shows a problem in plain words and what to do about it."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="error.close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self._heading = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Static(self._heading, markup=False, classes="dialog-title")
            yield Static(self._message, markup=False, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="error", id="ok")

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
