"""What every command needs: its settings, the bank, the session log, quiet libraries."""

from __future__ import annotations

import argparse
import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant.knowledge.bank_cache import load_bank_cached
from assistant.knowledge.loader import Bank, LoadReport, load_bank
from assistant.settings import (
    Settings,
)

if TYPE_CHECKING:
    from assistant.store import SessionStore


def settings_of(args: argparse.Namespace) -> Settings:
    try:
        return Settings.from_env(
            db=args.db,
            kb=args.kb,
            model=getattr(args, "model", None),
            verifier=getattr(args, "verifier", None),
            candidate=getattr(args, "candidate", None),
        )
    except ValueError as exc:  # a --db (or $MOCK_INTERVIEW_DB) URL that is not PostgreSQL's
        raise SystemExit(f"error: {exc}") from exc


def bank_dirs(settings: Settings) -> list[Path]:
    return [settings.bank_dir, *settings.extra_kb_dirs]


def print_problems(report: LoadReport, err: TextIO) -> None:
    for problem in report.problems:
        print(f"error: {problem}", file=err)
    for path in report.skipped:
        print(f"skipped pack: {path}", file=err)


def unknown_name_error(kind: str, given: str, valid: Sequence[str]) -> str:
    """One error line for a name that is not one of `valid`, with a close match if there is one."""
    close = difflib.get_close_matches(given, valid, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    listed = ", ".join(valid) if valid else "(none loaded)"
    return f"error: unknown {kind} '{given}'{hint}; valid {kind} names: {listed}"


def check_names(args: argparse.Namespace, bank: Bank, err: TextIO) -> int | None:
    """Exit status 2 after one error per unknown `--category` or `--subject`; None when all known.

    Called before any screen opens or any listing starts: a typo would otherwise give a blank
    screen or an empty list with exit status 0.
    """
    categories = sorted({q.category for q in bank.summaries.values()})
    subjects = sorted({p.header.subject for p in bank.packs})
    errors = [
        unknown_name_error("category", name, categories)
        for name in getattr(args, "category", None) or ()
        if name not in categories
    ]
    subject = getattr(args, "subject", None)
    if subject is not None and subject not in subjects:
        errors.append(unknown_name_error("subject", subject, subjects))
    for error in errors:
        print(error, file=err)
    return 2 if errors else None


def open_log(
    settings: Settings, *, read_only: bool = False, missing_ok: bool = True
) -> SessionStore:
    """Open the session log as the settings' candidate (imports SQLModel: kept out of start-up).

    `read_only` (review): nothing is created or changed until the user deletes a session.
    """
    from assistant.store import open_store

    return open_store(
        settings.db,
        read_only=read_only,
        missing_ok=missing_ok,
        candidate=settings.candidate,
        mentors=settings.mentors,
    )


def bank_for_reading(settings: Settings) -> LoadReport:
    """The bank for a read-only command: the cache is used, but its folder is never created."""
    if settings.cache_dir.is_dir():
        return load_bank_cached(bank_dirs(settings), settings.cache_dir)
    return load_bank(bank_dirs(settings))


def quiet_libraries() -> None:
    """No progress bar or log line from the model libraries: our output is ours alone.

    Set before sentence-transformers is imported, which reads them once: transformers' own
    "Loading weights" bar follows huggingface_hub's switch.
    """
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    os.environ["TRANSFORMERS_VERBOSITY"] = "error"
