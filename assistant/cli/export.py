"""`mock-interview export`: a session, the newest, every one, or the cohort, as a report."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.store import SessionStore
from assistant.cli.common import bank_for_reading, open_log, settings_of


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Export one, the last, or every session as Markdown, HTML, JSON or CSV."""
    from assistant.reports import export_command
    from assistant.store import StoreError

    settings = settings_of(args)
    try:
        store = open_log(settings, read_only=True, missing_ok=False)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    if args.cohort:
        return export_cohort_command(args, store, out, err)
    bank = bank_for_reading(settings).bank
    with store:
        return export_command(
            store,
            session_id=args.session_id,
            last=args.last,
            all_=args.all,
            fmt=args.format,
            output=args.output,
            out=out,
            err=err,
            bank=bank,
            force=args.force,
            config_dir=settings.config_dir,
        )


def export_cohort_command(
    args: argparse.Namespace, store: SessionStore, out: TextIO, err: TextIO
) -> int:
    """`export --cohort`: the cohort report, for a mentor (exit status 3 for anyone else)."""
    from datetime import UTC, datetime

    from assistant.reports.cohort import export_cohort

    with store:
        return export_cohort(
            store,
            args.format,
            output=args.output,
            out=out,
            err=err,
            generated_at=datetime.now(UTC),
            force=args.force,
            config_dir=settings_of(args).config_dir,
        )
