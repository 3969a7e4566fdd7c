"""`mock-interview review --cohort`: every candidate's standing, as text (mentors only)."""

from __future__ import annotations

import argparse
from typing import TextIO

from assistant.cli.common import open_log, settings_of


def cmd_review_cohort(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`review --cohort`: every candidate and the questions failed most, as text; mentors only
    (exit status 3 for anyone else, saying how to become one)."""
    from assistant.reports.cohort import cohort_text, refuse
    from assistant.store import StoreError
    from assistant.store.repository import NotAMentorError

    settings = settings_of(args)
    try:
        store = open_log(settings, read_only=True)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    with store:
        try:
            out.write(
                cohort_text(
                    store.cohort(), waiting=store.disputed_answers(), rates=store.overrule_rates()
                )
            )
        except NotAMentorError:
            return refuse(store, err, settings.config_dir)
        except StoreError as exc:
            print(f"error: {exc}", file=err)
            return 1
    return 0
