"""Small modal dialogs: a yes/no question and an error message."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    """Asks a yes/no question; dismisses with the answer."""

    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel", id="confirm.cancel"),
        Binding("y", "answer(True)", "Yes", show=False, id="confirm.yes"),
        Binding("n", "answer(False)", "No", show=False, id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._question = question
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, markup=False, classes="dialog-text")
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


class ErrorDialog(ModalScreen[None]):
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
