"""The multi-line answer editor: Ctrl+S submits (works in every terminal)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from assistant.widgets.keys_in_order import KeysInOrder


class AnswerEditor(KeysInOrder, TextArea):
    """A TextArea that posts `Submitted` with its text on Ctrl+S (or Ctrl+Enter where sent).

    Submitting hands the text over: the editor is emptied in the same step, so keys typed after
    Ctrl+S start the next answer. A screen that refuses the answer gives it back with `restore`.
    """

    BINDINGS = [
        Binding("ctrl+s,ctrl+enter", "submit", "Submit", id="answer.submit", priority=True),
    ]

    DEFAULT_CSS = """
    AnswerEditor { height: 8; }
    """

    @dataclass
    class Submitted(Message):
        """The candidate sent their answer (already taken out of the editor)."""

        editor: AnswerEditor
        text: str

    _restored = 0
    """Characters given back since the last hand-over: where the next refused answer goes."""

    def action_submit(self) -> None:
        """Take the text once the keys typed before Ctrl+S are in it.

        A priority binding runs as soon as the app reads the key, while the keys typed just before
        still wait in this widget's queue; taking the text from the queue, behind them, gets
        every one of them and none typed after.
        """
        self.call_later(self._hand_over)

    def _hand_over(self) -> None:
        if self.read_only:
            return
        text = self.text
        self.clear()
        self._restored = 0
        self.post_message(self.Submitted(self, text))

    def restore(self, text: str) -> None:
        """Put a refused answer back before anything typed since (answers refused one after the
        other go back in the order they were sent), with the cursor at the end."""
        current = self.text
        self.text = current[: self._restored] + text + current[self._restored :]
        self._restored += len(text)
        self.move_cursor(self.document.end)
