"""Footer labels in the interview's language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.widget import Widget

from assistant.interview.lines import line
from assistant.knowledge.models import Lang


def relabel_bindings(node: Widget, labels: dict[str, str], lang: Lang) -> None:
    """Give the bindings of a screen or widget the `line` texts named in `labels`
    (action -> line key).

    Best called before the node is mounted: a footer already on screen has to be rebuilt.
    """
    _relabel(node._bindings, labels, lang)
    # The app's own bindings (Quit) show in every footer, so they follow the same language.
    _relabel(node.app._bindings, {"quit": "quit"}, lang)
    if node.is_mounted:
        # After the next refresh: a screen that is recomposing has no footer to update yet.
        node.screen.call_after_refresh(node.screen.refresh_bindings)


def _relabel(bindings_map: BindingsMap, labels: dict[str, str], lang: Lang) -> None:
    # New lists: the map's lists are shared with the class bindings.
    table = bindings_map.key_to_bindings
    for key, bindings in list(table.items()):
        table[key] = [
            replace(b, description=line(labels[b.action], lang)) if b.action in labels else b
            for b in bindings
        ]
