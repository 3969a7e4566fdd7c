"""The command line's parser: every subcommand, its options and its help."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from assistant.cli.guards import export_format, refuse_unknown_options
from assistant.knowledge.models import LANGS
from assistant.settings import (
    ENV_CANDIDATE,
    ENV_DB,
    ENV_KB,
    ENV_MODEL,
    ENV_VERIFIER,
    ROLES_FILE,
)


def common_options(
    parser: argparse.ArgumentParser,
    *,
    sub: bool = True,
    models: bool = True,
    database: bool = True,
) -> None:
    """Options accepted before or after the subcommand; a subcommand's absent ones stay unset.
    `models`: whether the command grades (or shows what grades), so `--model` and `--verifier`
    mean something to it; `database`: whether it opens the session database, so `--db` does."""
    default = argparse.SUPPRESS if sub else None
    parser.add_argument(
        "--kb",
        action="append",
        default=argparse.SUPPRESS if sub else [],
        metavar="DIR",
        help=f"extra question-pack directory (repeatable; also ${ENV_KB})",
    )
    if database:
        parser.add_argument(
            "--db",
            metavar="PATH_OR_URL",
            default=default,
            help="session database: a file (SQLite), or a shared PostgreSQL database as "
            f"postgresql+psycopg://user:password@host:port/database (also ${ENV_DB})",
        )
    if not models:
        return
    parser.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        default=default,
        help=f"grading model (also ${ENV_MODEL})",
    )
    parser.add_argument(
        "--verifier",
        metavar="NAME_OR_PATH",
        default=default,
        help="checks each key point against the answer: 'bundled' (ours, the default), 'none' "
        f"(similarity alone), or a local NLI cross-encoder (also ${ENV_VERIFIER})",
    )


def candidate_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """`--candidate NAME`, on the commands that start or review sessions."""
    parser.add_argument(
        "--candidate",
        metavar="NAME",
        default=argparse.SUPPRESS if sub else None,
        help=f"who is practising: sessions are recorded and listed under this name "
        f"(default: your OS user name; also ${ENV_CANDIDATE})",
    )


class CommandParser(argparse.ArgumentParser):
    """A parser whose errors come first and short: the error, then where its usage is.

    argparse prints the whole usage block before the error; a user who typed one wrong option
    reads the line that says what is wrong, and is pointed at this command's own `--help`.
    """

    def error(self, message: str) -> NoReturn:
        """Print `error: MESSAGE` and a one-line hint to this (sub)command's help; exit 2."""
        self.exit(2, f"error: {message}\nsee `{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = CommandParser(
        prog="mock-interview",
        description="An offline mock-interview coach for the terminal. Without a command, "
        "opens the start screen; with interview options, starts the interview at once.",
    )
    common_options(parser, sub=False)
    candidate_option(parser, sub=False)
    interview = parser.add_argument_group(
        "interview", "given any of these, the interview starts at once, skipping the start screen"
    )
    interview.add_argument("--questions", type=int, metavar="N", help="number of questions (1-50)")
    interview.add_argument(
        "--category", action="append", metavar="C", help="only this category (repeatable)"
    )
    interview.add_argument(
        "--difficulty", type=int, choices=(1, 2, 3), help="only this difficulty (default: any)"
    )
    interview.add_argument("--lang", choices=LANGS, help="language of the interview")
    interview.add_argument(
        "--mode",
        choices=("practice", "mock"),
        help="practice: feedback, hints and follow-ups; mock: timed, feedback at the end",
    )
    interview.add_argument("--seed", type=int, help="reproducible choice of questions")
    interview.add_argument("--subject", help="subject of the packs to draw from (e.g. mlops)")
    # Set by `serve` on the command it runs for each browser tab; not for people.
    parser.add_argument("--served", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--grading-socket", type=Path, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    kb = command_parser(sub, "kb", "check or list the question bank")
    kb_sub = kb.add_subparsers(
        dest="kb_command", required=True, title="commands", metavar="COMMAND"
    )
    check = command_parser(
        kb_sub,
        "check",
        "validate question packs",
        "Exit status: 0 every pack valid, 1 a problem (each printed) or no pack found.",
    )
    check.add_argument("paths", nargs="*", type=Path, help="packs or directories (default: all)")
    common_options(check, models=False)
    listing = command_parser(
        kb_sub, "list", "list the questions (id, category, difficulty, question)"
    )
    listing.add_argument("--json", action="store_true", help="full records as JSON")
    listing.add_argument(
        "--category", action="append", metavar="C", help="only this category (repeatable)"
    )
    listing.add_argument(
        "--lang", choices=LANGS, default="en", help="language of the questions (default: en)"
    )
    common_options(listing, models=False)

    where = command_parser(sub, "where", "print where data, cache, config and packs live")
    common_options(where)

    grade = command_parser(
        sub,
        "grade",
        "grade a file of answers (JSONL or CSV) to JSONL",
        "Exit status: 0 every row graded, 1 some rows skipped (each named on stderr), "
        "2 the input or output file cannot be used, 3 the input holds no row.",
        description="Rows need `answer` and either `question_id` (from the bank) or `question` "
        "and `reference_answer` (optional `key_points`: a list in JSONL, ';'-separated in CSV). "
        "Both files are checked before the model loads.",
    )
    grade.add_argument(
        "--input", required=True, type=Path, metavar="FILE", help="answers, .jsonl or .csv"
    )
    grade.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="default: standard output; written whole once every row is graded",
    )
    grade.add_argument("--force", action="store_true", help="replace --output if it exists")
    common_options(grade)

    export = command_parser(
        sub,
        "export",
        "export sessions as a report",
        description="Write a report of one session, the newest (--last) or every one (--all).\n"
        "Default: Markdown (--format md) on standard output. With -o FILE it goes to FILE,\n"
        "written whole or not at all, never over an existing file without --force; the format\n"
        "then follows FILE's extension (.md, .html, .json, .csv) unless --format names it.",
    )
    export.epilog = (
        "Exit status: 0 written, 1 no such session, empty log or file not writable, 2 usage.\n"
        "Example: mock-interview export --last --format html -o report.html"
    )
    export.formatter_class = argparse.RawDescriptionHelpFormatter
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("session_id", nargs="?", type=int, help="the session to export")
    which.add_argument("--last", action="store_true", help="the newest session")
    which.add_argument("--all", action="store_true", help="every session")
    which.add_argument(
        "--cohort",
        action="store_true",
        help="the cohort report: every candidate, the questions failed most (mentors only)",
    )
    export.add_argument(
        "--format",
        choices=("md", "html", "json", "csv"),
        default=None,
        help="md, html, json or csv (default: from the -o file's extension, else md)",
    )
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write here (default: standard output); never the session database",
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    common_options(export)
    candidate_option(export)

    review = command_parser(
        sub,
        "review",
        "open the review screen on past sessions",
        description="Browse, filter and export past sessions; nothing is written unless a "
        "session is deleted.",
        epilog=f"--cohort is for mentors: those named in {ROLES_FILE} in the config folder "
        '(`mentors = ["alice"]`), or in the log\'s mentor table. Exit status 3 for others.',
    )
    review.add_argument(
        "--cohort",
        action="store_true",
        help="print every candidate's standing and the questions the group fails most "
        "(mentors only), instead of opening the screen",
    )
    common_options(review)
    candidate_option(review)

    disputes = command_parser(
        sub, "disputes", "export settled disputes as labelled answers for the verifier"
    )
    disputes_sub = disputes.add_subparsers(
        dest="disputes_command", required=True, title="commands", metavar="COMMAND"
    )
    disputes_export = command_parser(
        disputes_sub,
        "export",
        "write settled disputes as labelled (answer, key point) pairs",
        description="Write each settled dispute as one line of the verifier corpus's format\n"
        "(part 'dispute'): the question, reference and key points it was graded against, the\n"
        "answer, and a label per key point from the grade that stands: the candidate's marks\n"
        "when a mentor accepted, the machine's when a mentor rejected. Covered is stated,\n"
        "missed not stated, contradicted contradicted; a partly covered key point is left out.\n"
        "A mentor exports everyone's; anyone else their own. Nothing is sent anywhere.",
        epilog="Exit status: 0 written, 1 no settled dispute, empty log or file not writable, "
        "2 usage.\nExample: mock-interview disputes export --accepted -o disputes.jsonl; then "
        "make verifier-corpus VERIFIER_EXTRA=disputes.jsonl",
    )
    disputes_export.formatter_class = argparse.RawDescriptionHelpFormatter
    disputes_export.add_argument(
        "--accepted", action="store_true", help="only disputes a mentor accepted"
    )
    disputes_export.add_argument(
        "--format", choices=("jsonl",), default="jsonl", help="jsonl (the only format)"
    )
    disputes_export.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write here (default: standard output); never the session database",
    )
    disputes_export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    common_options(disputes_export, models=False)
    candidate_option(disputes_export)

    verifier = command_parser(sub, "verifier", "measure the grader's verifier on labelled answers")
    verifier_sub = verifier.add_subparsers(
        dest="verifier_command", required=True, title="commands", metavar="COMMAND"
    )
    check_labels = command_parser(
        verifier_sub,
        "check",
        "grade a file of labelled answers and report the agreement with its labels",
        "Exit status: 0 measured, 1 the models cannot be loaded, 2 the file cannot be read, "
        "breaks the format (its first problem is named by file, line and field) or holds no "
        "answer.",
        description="Reads a file in the verifier corpus's format (authored general or bank "
        "lines, or settled disputes from `disputes export`), grades every answer against its "
        "line's key points with the verifier named by --verifier, and prints the three-way "
        "accuracy per key point (overall and per language) and each label's precision and "
        "recall. The file is checked whole before the models load.",
    )
    check_labels.add_argument("file", type=Path, metavar="FILE", help="labelled answers (JSONL)")
    common_options(check_labels, database=False)

    serve = command_parser(
        sub,
        "serve",
        "serve the coach to web browsers",
        description="Serve the coach with textual-serve: each browser tab runs its own\n"
        "interview on the same session database, graded by one model loaded once.\n\n"
        "Binds to 127.0.0.1 unless told otherwise; any other address needs an access\n"
        "token (--token, or one is generated and printed in the URL). There is no TLS:\n"
        "put a reverse proxy in front to serve beyond a trusted network (see the README).",
    )
    serve.formatter_class = argparse.RawDescriptionHelpFormatter
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    serve.add_argument(
        "--token",
        help="access token (at least 16 ASCII letters, digits, -, _, . or ~); required beyond "
        "loopback, "
        "generated when not given",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="the URL browsers use, when a reverse proxy stands in front (https://...)",
    )
    serve.add_argument(
        "--grading",
        choices=("shared", "per-tab"),
        default="shared",
        help="shared: one model for every tab (the default); per-tab: each tab loads its own",
    )
    common_options(serve)
    return parser


def command_parser(
    sub: argparse._SubParsersAction[Any],
    name: str,
    summary: str,
    epilog: str | None = None,
    *,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand: its one-line summary in the parent's list, its own help and errors."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description or summary[0].upper() + summary[1:] + ".",
        epilog=epilog,
    )
    return parser


def parse_command_line(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse `argv`; an unknown option is reported by the (sub)command it was given to.

    argparse hands a subcommand's unknown options back to the top-level parser, which would
    then show its own usage: they are checked here against the command actually named.
    """
    parser = build_parser()
    refuse_unknown_options(parser, list(sys.argv[1:] if argv is None else argv))
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "command", None) == "export":
        args.format = export_format(subparser(parser, "export"), args.format, args.output)
    if extra:
        owner = parser
        for dest in ("command", "kb_command", "disputes_command", "verifier_command"):
            name = getattr(args, dest, None)
            if name is not None:  # the command, then the one nested command it names, if any
                owner = subparser(owner, name)
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The subcommand `name` of `parser`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    return parser
