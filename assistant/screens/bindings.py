"""Footer labels in the interview's language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.widget import Widget

from assistant.interview.lines import line
from assistant.knowledge.models import Lang


def relabel_bindings(
    node: Widget,
    labels: dict[str, str],
    lang: Lang,
    *,
    tooltips: dict[str, str] | None = None,
    **values: object,
) -> None:
    """Give the bindings of a screen or widget the `line` texts named in `labels`
    (action -> line key), `values` filled in; `tooltips` (action -> line key) say more in the
    command palette.

    Best called before the node is mounted: a footer already on screen has to be rebuilt.
    """
    _relabel(node._bindings, labels, lang, tooltips or {}, values)
    # The app's own bindings (Quit) show in every footer, so they follow the same language.
    _relabel(node.app._bindings, {"quit": "quit"}, lang, {"quit": "quit_help"}, {})
    if node.is_mounted:
        # After the next refresh: a screen that is recomposing has no footer to update yet.
        node.screen.call_after_refresh(node.screen.refresh_bindings)


def _relabel(
    bindings_map: BindingsMap,
    labels: dict[str, str],
    lang: Lang,
    tooltips: dict[str, str],
    values: dict[str, object],
) -> None:
    # New lists: the map's lists are shared with the class bindings.
    table = bindings_map.key_to_bindings
    for key, bindings in list(table.items()):
        table[key] = [
            replace(
                b,
                description=line(labels[b.action], lang, **values),
                tooltip=line(tooltips[b.action], lang, **values) if b.action in tooltips else "",
            )
            if b.action in labels
            else b
            for b in bindings
        ]
