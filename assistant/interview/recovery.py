"""Answers that could be stored nowhere, written out when the candidate quits anyway.

When neither the session log nor its journal can be written (a full disk, a read-only mount),
the answer is held in the editor. Quitting then asks first; if the candidate confirms, the held
text goes to a recovery file in the first writable place of several (the home folder, the
temporary folder, the working folder: often other file systems than the log's), and if none can
be written it is printed to the terminal once the app has closed. Either way the message says
where it is.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class HeldAnswer:
    """An answer held in memory only: its question and text, exactly as typed."""

    question: str
    text: str


def recovery_places() -> list[Path]:
    """Where a recovery file is tried, in order: home, the temporary folder, the working folder."""
    places = [Path.home(), Path(tempfile.gettempdir()), Path.cwd()]
    unique: list[Path] = []
    for place in places:
        if place not in unique:
            unique.append(place)
    return unique


def recovery_text(held: Sequence[HeldAnswer], when: datetime) -> str:
    """The file's content: when, then each question and the answer exactly as typed."""
    parts = [f"mock-interview: answers not saved in the session log ({when:%Y-%m-%d %H:%M})\n"]
    for answer in held:
        parts.append(f"\n--- Question: {answer.question}\n{answer.text}\n")
    return "".join(parts)


def write_recovery(
    held: Sequence[HeldAnswer], when: datetime, places: Sequence[Path] | None = None
) -> Path | None:
    """Write the held answers to a new file in the first place that takes it (synced to disk);
    None when no place could be written."""
    text = recovery_text(held, when).encode("utf-8")
    name = f"mock-interview-unsaved-{when:%Y%m%d-%H%M%S}"
    for place in places if places is not None else recovery_places():
        for n in range(100):
            path = place / (f"{name}.txt" if n == 0 else f"{name}-{n}.txt")
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            except OSError:
                break  # this place cannot be written: try the next
            try:
                with os.fdopen(fd, "wb") as file:
                    file.write(text)
                    file.flush()
                    os.fsync(file.fileno())
            except OSError:
                path.unlink(missing_ok=True)
                break
            return path
    return None
