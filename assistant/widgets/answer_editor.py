"""The multi-line answer editor: Ctrl+S submits (works in every terminal)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea


class AnswerEditor(TextArea):
    """A TextArea that posts `Submitted` with its text on Ctrl+S (or Ctrl+Enter where sent)."""

    BINDINGS = [
        Binding("ctrl+s,ctrl+enter", "submit", "Submit", id="answer.submit", priority=True),
    ]

    DEFAULT_CSS = """
    AnswerEditor { height: 8; }
    """

    @dataclass
    class Submitted(Message):
        """The candidate sent their answer."""

        editor: AnswerEditor
        text: str

    def action_submit(self) -> None:
        """Send the answer upward; the screen decides whether to accept it."""
        self.post_message(self.Submitted(self, self.text))
