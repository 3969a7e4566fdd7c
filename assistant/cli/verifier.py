"""`mock-interview verifier check FILE`: how far the grader agrees with a file of labelled pairs.

The file is in the verifier corpus's format (`grading.labelled`: authored general or bank lines,
settled disputes). Every answer is graded by the product's grader, with the verifier named by
`--verifier`, against its line's key points, and each key point's mark is compared with its
label, as `bench/grading_corpus.py` compares them. A new adapter is measured this way before it
is used.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant.cli.common import bank_for_reading, print_problems, settings_of

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader
    from assistant.knowledge.loader import Bank

EXIT_BAD_FILE = 2
"""The labelled file cannot be read, breaks the format (its first problem is named), or is empty."""


def cmd_verifier_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Grade every labelled answer of FILE and print the agreement with its labels."""
    from assistant.grading.pipeline import load_grader

    settings = settings_of(args)
    report = bank_for_reading(settings)
    print_problems(report, err)
    return check_agreement(
        args.file,
        report.bank,
        lambda: load_grader(settings, report.bank.version),
        out,
        err,
        verifier=settings.verifier,
    )


def check_agreement(
    path: Path,
    bank: Bank,
    load: Callable[[], Grader],
    out: TextIO,
    err: TextIO,
    *,
    verifier: str,
) -> int:
    """Check `path` whole (bank lines against `bank`) before `load` runs, then grade and print.

    Exit status 0 when measured, EXIT_BAD_FILE for a file that cannot be measured, 1 when the
    models cannot be loaded (a verifier that fails to load is an error here, not a fallback).
    """
    from assistant.grading.backend import ModelLoadError
    from assistant.grading.labelled import (
        agreement_lines,
        bank_questions,
        grade_items,
        judge,
        read_labelled,
    )

    try:
        items, problems = read_labelled(path, bank_questions(bank))
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {path}: {exc}", file=err)
        return EXIT_BAD_FILE
    if problems:
        more = f" (and {len(problems) - 1} more line(s))" if len(problems) > 1 else ""
        print(f"error: {problems[0]}{more}", file=err)
        return EXIT_BAD_FILE
    if not any(item.answers for item in items):
        print(f"error: {path} holds no labelled answer: nothing to measure", file=err)
        return EXIT_BAD_FILE
    try:
        grader = load()
    except ModelLoadError as exc:
        print(f"error: {exc}", file=err)
        return 1
    if grader.verifier_problem:
        print(f"error: {grader.verifier_problem}", file=err)
        return 1
    found = grade_items(items, grader)
    figures = judge(items, found.labels, found.scores, found.verdicts)
    answers = sum(len(item.answers) for item in items)
    parts = Counter(item.part for item in items)
    print(
        f"{path}: {answers} answer(s) to {len(items)} question(s) "
        f"({', '.join(f'{part} {n}' for part, n in sorted(parts.items()))}), "
        f"graded with the verifier {grader.verifier_id or verifier!r}",
        file=out,
    )
    for line in agreement_lines(figures):
        print(line, file=out)
    return 0
