"""Keys handled in the order they were typed, bindings included (a Textual workaround).

Textual runs a widget's own (non-priority) key bindings, such as Backspace, Delete, the arrows,
Home and End in a TextArea or an Input, only after the key has gone up to the app; by then the
keys queued behind it have reached the widget. "abc", Backspace, Backspace, "q" sent at once
(a fast typist, a terminal that batches input) gave "ab" instead of "aq"; End, Backspace,
Backspace, "3" in a number field left it empty. A widget with this mixin runs such a binding
from its own queue, where the key arrived, so every key keeps its place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:
    _Mixin = object  # a plain mixin: a second Widget base would hide the widget's own CSS


class KeysInOrder(_Mixin):
    """Mixin (first base) for a text widget whose editing keys are bindings."""

    ORDERED_LETTERS: ClassVar[bool] = False
    """Run bindings of printable keys here too (a list whose letters are commands, not text)."""

    async def _on_key(self, event: events.Key) -> None:
        if not getattr(self, "read_only", False) and (
            self.ORDERED_LETTERS or not event.is_printable
        ):
            bindings = self._bindings.key_to_bindings.get(event.key, [])
            own = [b for b in bindings if not b.priority]
            if own:
                event.stop()
                event.prevent_default()
                await self.run_action(own[0].action)
                return
        await super()._on_key(event)  # type: ignore[misc]


class OrderedInput(KeysInOrder, Input):
    """An `Input` whose editing keys keep their place among the characters typed."""
