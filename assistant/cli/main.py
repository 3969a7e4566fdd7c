"""The command line's entry point: parse, run the command named, exit like a Unix tool."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import suppress

from assistant.cli.common import quiet_libraries
from assistant.cli.disputes import cmd_disputes_export
from assistant.cli.export import cmd_export
from assistant.cli.grade import cmd_grade
from assistant.cli.interview import run_app
from assistant.cli.kb import cmd_kb_check, cmd_kb_list
from assistant.cli.parser import parse_command_line
from assistant.cli.review import cmd_review_cohort
from assistant.cli.serve import cmd_serve
from assistant.cli.verifier import cmd_verifier_check
from assistant.cli.where import cmd_where

EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a Unix tool stopped by SIGPIPE (`yes | head`); ours exits the same."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    quiet_libraries()
    try:
        code = run_command(argv)
        sys.stdout.flush()  # a closed pipe must fail here, inside the try, not at interpreter exit
    except BrokenPipeError:
        # The reader went away (`mock-interview kb list | head`): stop quietly, as Unix tools do.
        # What is still buffered goes to /dev/null so that the final flush cannot fail again.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def run_command(argv: Sequence[str] | None) -> int:
    """Parse the command line and run the command it names."""
    args = parse_command_line(argv)
    out, err = sys.stdout, sys.stderr
    if args.command == "kb":
        handler = cmd_kb_check if args.kb_command == "check" else cmd_kb_list
        return handler(args, out, err)
    if args.command == "where":
        return cmd_where(args, out, err)
    if args.command == "grade":
        return cmd_grade(args, out, err)
    if args.command == "export":
        return cmd_export(args, out, err)
    if args.command == "review" and args.cohort:
        return cmd_review_cohort(args, out, err)
    if args.command == "disputes":
        return cmd_disputes_export(args, out, err)
    if args.command == "verifier":
        return cmd_verifier_check(args, out, err)
    if args.command == "serve":
        return cmd_serve(args, out, err)
    return run_app(args, err, review=args.command == "review")
