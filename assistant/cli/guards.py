"""Guards shared by the commands: an option no command knows, a report format its file contradicts.

(The files no output may replace are `assistant.store.files.kept_files`; a report is delivered
by `assistant.reports.export.deliver`.)
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path


def refuse_unknown_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """An option no (sub)command knows is named, with the nearest known one, before argparse
    reads its value as something else (`--qestions 3` said "invalid choice: '3'", `export
    --formt html` "invalid int value: 'html'")."""
    owner = parser
    known = set(parser._option_string_actions)
    for token in argv:
        if token == "--":
            return
        subcommands = next(
            (a.choices for a in owner._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        if subcommands and token in subcommands:
            owner = subcommands[token]
            known |= set(owner._option_string_actions)
            continue
        if not token.startswith("--"):
            continue
        name = token.split("=", 1)[0]
        if name in known or any(k.startswith(name) for k in known):  # argparse's abbreviations
            continue
        longs = sorted(k for k in known if k.startswith("--"))
        close = difflib.get_close_matches(name, longs, n=1, cutoff=0.6)
        owner.error(f"unknown option {name}" + (f" (did you mean {close[0]}?)" if close else ""))


REPORT_EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
REPORT_EXTENSIONS |= {".json": "json", ".csv": "csv"}
"""The report format an output file's extension names."""


def export_format(parser: argparse.ArgumentParser, given: str | None, output: Path | None) -> str:
    """The report format: `--format`, else the output file's extension, else Markdown. A
    `--format` that the extension contradicts is refused (`-o x.html` wrote Markdown)."""
    named = REPORT_EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if output is not None and given is not None and named is not None and given != named:
        parser.error(
            f"--format {given} does not match the extension of {output} ({named}); "
            f"drop --format, or name the file {output.with_suffix('.' + given)}"
        )
    return given or named or "md"
