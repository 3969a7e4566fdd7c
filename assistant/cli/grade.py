"""`mock-interview grade`: grade a file of answers to JSONL."""

from __future__ import annotations

import argparse
from typing import TextIO

from assistant.cli.common import bank_dirs, print_problems, settings_of
from assistant.knowledge.loader import load_bank


def cmd_grade(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Grade a file of answers with the local model; bad rows are reported and skipped.

    Both files are checked before the model loads; `--output` is never the input, appears whole
    once every row is graded, and replaces an existing file only with `--force`.
    """
    from rich.console import Console

    from assistant.atomic_write import OutputPathError, atomic_write, check_output_path
    from assistant.grading.backend import ModelLoadError
    from assistant.grading.batch import (
        EXIT_BAD_ROWS,
        EXIT_OK,
        EXIT_UNREADABLE,
        BatchInputError,
        grade_batch,
        read_batch,
    )
    from assistant.grading.pipeline import load_grader
    from assistant.store.files import kept_files

    settings = settings_of(args)
    # Never the input, nor any file of the session log or its configuration, even with --force.
    protected = kept_files(settings.db, settings.config_dir)
    protected[args.input] = "the answers file being graded (--input)"
    if args.output is not None:
        try:
            check_output_path(args.output, replace=args.force, protected=protected)
        except OutputPathError as exc:
            print(f"error: {exc}", file=err)
            return EXIT_UNREADABLE
    report = load_bank(bank_dirs(settings))
    print_problems(report, err)
    try:
        batch = read_batch(args.input, report.bank, err)
    except BatchInputError as exc:
        print(f"error: {exc}", file=err)
        return exc.exit_code
    if not batch.rows:
        # Every row was reported above: no model to load, no output file to create.
        print(f"error: {args.input}: no row can be graded; nothing was written", file=err)
        return EXIT_BAD_ROWS
    try:
        grader = load_grader(settings, report.bank.version)
    except ModelLoadError as exc:
        print(f"error: {exc}", file=err)
        return 1
    # A bar only on a terminal, as Rich decides; not when JSONL lines go to that same terminal.
    show_progress = Console(file=err).is_terminal and (
        args.output is not None or not Console(file=out).is_terminal
    )
    code = EXIT_BAD_ROWS if batch.skipped else EXIT_OK
    if args.output is None:
        grade_batch(batch.rows, grader, out, err, show_progress=show_progress)
        return code
    try:
        with atomic_write(args.output, replace=args.force, protected=protected) as output:
            grade_batch(batch.rows, grader, output, err, show_progress=show_progress)
    except OutputPathError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_UNREADABLE
    return code
