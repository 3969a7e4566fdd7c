"""`mock-interview kb check` and `kb list`: validate and list question packs."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import TextIO

from assistant.cli.common import (
    bank_dirs,
    bank_for_reading,
    check_names,
    print_problems,
    settings_of,
)
from assistant.knowledge.bank_cache import PackFileCache
from assistant.knowledge.loader import load_bank, pack_files
from assistant.knowledge.models import dump


def cmd_kb_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Validate packs; every problem printed; exit 1 when any, or when no pack was found.

    Packs named on the command line are loaded after the configured bank (shipped and `--kb`),
    so an id that collides with one already there is reported in the pack checked; the
    configured packs' own problems are left to `kb check` without paths.
    """
    settings = settings_of(args)
    configured = bank_dirs(settings)
    checked = list(args.paths) or configured
    cache = PackFileCache(settings.cache_dir)
    report = load_bank([*configured, *args.paths] if args.paths else configured, cache)
    files = set(pack_files(checked))
    problems = [p for p in report.problems if p.path in files or p.path in checked]
    for problem in problems:
        print(f"error: {problem}", file=err)
    for path in report.skipped:
        if path in files:
            print(f"skipped pack: {path}", file=err)
    packs = [p for p in report.bank.packs if p.path in files]
    per_cat = Counter(q.category for p in packs for q in p.summaries)
    count = sum(len(p.summaries) for p in packs)
    cats = ", ".join(f"{c} {n}" for c, n in per_cat.items())
    if not files:
        where = ", ".join(str(p) for p in checked)
        print(f"nothing checked: no question pack (*.yaml, *.yml) in {where}", file=out)
        return 1
    status = f"{len(problems)} problem(s)" if problems else "ok"
    print(
        f"{status}: {len(packs)} pack(s), {count} question(s)" + (f" ({cats})" if cats else ""),
        file=out,
    )
    return 1 if problems else 0


def cmd_kb_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """One line per question, or full records as JSON; unchanged packs come from the cache."""
    settings = settings_of(args)
    report = bank_for_reading(settings)
    print_problems(report, err)
    if (bad_names := check_names(args, report.bank, err)) is not None:
        return bad_names
    # The listing reads the bank's index; only --json builds the whole questions.
    listed = [
        q
        for q in report.bank.summaries.values()
        if not args.category or q.category in args.category
    ]
    if args.json:
        records = [dump(report.bank.questions[q.id]) for q in listed]
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        # One write, not a print per question: on 10,000 questions that is a fifth of a second.
        out.write(
            "".join(
                f"{q.id:<40} {q.category:<13} d{q.difficulty}  {q.question.get(args.lang)}\n"
                for q in listed
            )
        )
    return 0
