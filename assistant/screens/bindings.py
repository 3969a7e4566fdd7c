"""Footer labels in the interview's language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.screen import Screen

from assistant.interview.lines import line
from assistant.knowledge.models import Lang


def relabel_bindings(screen: Screen[Any], labels: dict[str, str], lang: Lang) -> None:
    """Give the screen's bindings the `line` texts named in `labels` (action -> line key).

    Best called from the screen's `__init__`: a footer already on screen has to be rebuilt.
    """
    # New lists: the map's lists are shared with the class bindings.
    table = screen._bindings.key_to_bindings
    for key, bindings in list(table.items()):
        table[key] = [
            replace(b, description=line(labels[b.action], lang)) if b.action in labels else b
            for b in bindings
        ]
    if screen.is_mounted:
        screen.refresh_bindings()
