"""Command line: `mock-interview` opens the app; subcommands check, grade, review, export."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from assistant.interview.choices import Choices, command_line_choices
from assistant.interview.flow import Mode
from assistant.knowledge.bank_cache import PackFileCache, load_bank_cached
from assistant.knowledge.loader import Bank, LoadReport, load_bank, pack_files
from assistant.knowledge.models import LANGS, dump
from assistant.settings import (
    ENV_CANDIDATE,
    ENV_DB,
    ENV_KB,
    ENV_MODEL,
    ENV_VERIFIER,
    ROLES_FILE,
    Settings,
)

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader
    from assistant.store import SessionStore


def _common(parser: argparse.ArgumentParser, *, sub: bool = True, models: bool = True) -> None:
    """Options accepted before or after the subcommand; a subcommand's absent ones stay unset.
    `models`: whether the command grades (or shows what grades), so `--model` and `--verifier`
    mean something to it."""
    default = argparse.SUPPRESS if sub else None
    parser.add_argument(
        "--kb",
        action="append",
        default=argparse.SUPPRESS if sub else [],
        metavar="DIR",
        help=f"extra question-pack directory (repeatable; also ${ENV_KB})",
    )
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


def _candidate_option(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
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
    _common(parser, sub=False)
    _candidate_option(parser, sub=False)
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

    kb = _command(sub, "kb", "check or list the question bank")
    kb_sub = kb.add_subparsers(
        dest="kb_command", required=True, title="commands", metavar="COMMAND"
    )
    check = _command(
        kb_sub,
        "check",
        "validate question packs",
        "Exit status: 0 every pack valid, 1 a problem (each printed) or no pack found.",
    )
    check.add_argument("paths", nargs="*", type=Path, help="packs or directories (default: all)")
    _common(check, models=False)
    listing = _command(kb_sub, "list", "list the questions (id, category, difficulty, question)")
    listing.add_argument("--json", action="store_true", help="full records as JSON")
    listing.add_argument(
        "--category", action="append", metavar="C", help="only this category (repeatable)"
    )
    listing.add_argument(
        "--lang", choices=LANGS, default="en", help="language of the questions (default: en)"
    )
    _common(listing, models=False)

    where = _command(sub, "where", "print where data, cache, config and packs live")
    _common(where)

    grade = _command(
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
    _common(grade)

    export = _command(
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
    _common(export)
    _candidate_option(export)

    review = _command(
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
    _common(review)
    _candidate_option(review)

    serve = _command(
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
    _common(serve)
    return parser


def _command(
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
    _refuse_unknown_options(parser, list(sys.argv[1:] if argv is None else argv))
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "command", None) == "export":
        args.format = _export_format(_subparser(parser, "export"), args.format, args.output)
    if extra:
        owner = parser
        for dest in ("command", "kb_command"):
            name = getattr(args, dest, None)
            if name is None:
                break
            owner = _subparser(owner, name)
        owner.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _refuse_unknown_options(parser: argparse.ArgumentParser, argv: list[str]) -> None:
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


def _export_format(parser: argparse.ArgumentParser, given: str | None, output: Path | None) -> str:
    """The report format: `--format`, else the output file's extension, else Markdown. A
    `--format` that the extension contradicts is refused (`-o x.html` wrote Markdown)."""
    named = REPORT_EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if output is not None and given is not None and named is not None and given != named:
        parser.error(
            f"--format {given} does not match the extension of {output} ({named}); "
            f"drop --format, or name the file {output.with_suffix('.' + given)}"
        )
    return given or named or "md"


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The subcommand `name` of `parser`."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            chosen: argparse.ArgumentParser = action.choices[name]
            return chosen
    return parser


def _settings(args: argparse.Namespace) -> Settings:
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


def _bank_dirs(settings: Settings) -> list[Path]:
    return [settings.bank_dir, *settings.extra_kb_dirs]


def _print_problems(report: LoadReport, err: TextIO) -> None:
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


def cmd_kb_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Validate packs; every problem printed; exit 1 when any, or when no pack was found.

    Packs named on the command line are loaded after the configured bank (shipped and `--kb`),
    so an id that collides with one already there is reported in the pack checked; the
    configured packs' own problems are left to `kb check` without paths.
    """
    settings = _settings(args)
    configured = _bank_dirs(settings)
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
    settings = _settings(args)
    report = _bank_for_reading(settings)
    _print_problems(report, err)
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


def cmd_where(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print every location the app reads or writes."""
    s = _settings(args)
    print(f"database:      {s.db}", file=out)
    print(f"cache:         {s.cache_dir}", file=out)
    print(f"config:        {s.config_dir}", file=out)
    print(f"shipped bank:  {s.bank_dir}", file=out)
    extra = ", ".join(str(p) for p in s.extra_kb_dirs) or f"(none; --kb DIR or ${ENV_KB})"
    print(f"extra packs:   {extra}", file=out)
    print(f"model:         {s.model}", file=out)
    print(f"verifier:      {s.verifier}", file=out)
    return 0


EXIT_BROKEN_PIPE = 128 + 13
"""What a shell reports for a Unix tool stopped by SIGPIPE (`yes | head`); ours exits the same."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    _quiet_libraries()
    try:
        code = _run_command(argv)
        sys.stdout.flush()  # a closed pipe must fail here, inside the try, not at interpreter exit
    except BrokenPipeError:
        # The reader went away (`mock-interview kb list | head`): stop quietly, as Unix tools do.
        # What is still buffered goes to /dev/null so that the final flush cannot fail again.
        with suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


def _run_command(argv: Sequence[str] | None) -> int:
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
    if args.command == "serve":
        return cmd_serve(args, out, err)
    return run_app(args, err, review=args.command == "review")


def _quiet_libraries() -> None:
    """No progress bar or log line from the model libraries: our output is ours alone.

    Set before sentence-transformers is imported, which reads them once: transformers' own
    "Loading weights" bar follows huggingface_hub's switch.
    """
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    os.environ["TRANSFORMERS_VERBOSITY"] = "error"


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

    settings = _settings(args)
    # Never the input, nor any file of the session log or its configuration, even with --force.
    protected = {**kept_files(settings.db, settings.config_dir)}
    protected[args.input] = "the answers file being graded (--input)"
    if args.output is not None:
        try:
            check_output_path(args.output, replace=args.force, protected=protected)
        except OutputPathError as exc:
            print(f"error: {exc}", file=err)
            return EXIT_UNREADABLE
    report = load_bank(_bank_dirs(settings))
    _print_problems(report, err)
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


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Export one, the last, or every session as Markdown, HTML, JSON or CSV."""
    from assistant.reports import export_command
    from assistant.store import StoreError

    settings = _settings(args)
    try:
        store = _open_log(settings, read_only=True, missing_ok=False)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    if args.cohort:
        return _export_cohort(args, store, out, err)
    bank = _bank_for_reading(settings).bank
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


def _export_cohort(args: argparse.Namespace, store: SessionStore, out: TextIO, err: TextIO) -> int:
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
            config_dir=_settings(args).config_dir,
        )


def cmd_review_cohort(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`review --cohort`: every candidate and the questions failed most, as text; mentors only
    (exit status 3 for anyone else, saying how to become one)."""
    from assistant.reports.cohort import cohort_text, refuse
    from assistant.store import StoreError
    from assistant.store.repository import NotAMentorError

    settings = _settings(args)
    try:
        store = _open_log(settings, read_only=True)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    with store:
        try:
            out.write(cohort_text(store.cohort()))
        except NotAMentorError:
            return refuse(store, err, settings.config_dir)
        except StoreError as exc:
            print(f"error: {exc}", file=err)
            return 1
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve the coach to browsers until Ctrl+C; exit 2 when the address needs a token."""
    from assistant.serve.auth import check_token, is_loopback, new_token
    from assistant.serve.server import ServeOptions, serve

    if not 0 < args.port < 65536:
        print("error: --port must be from 1 to 65535", file=err)
        return 2
    token = args.token
    if token is not None and (problem := check_token(token)) is not None:
        print(f"error: {problem}", file=err)
        return 2
    if token is None and not is_loopback(args.host):
        token = new_token()
        print(f"{args.host} is reachable from other machines: generated an access token.", file=out)
    settings = _settings(args)
    options = ServeOptions(
        host=args.host,
        port=args.port,
        token=token,
        public_url=args.public_url,
        grading=args.grading,
        kb=tuple(getattr(args, "kb", None) or ()),
    )
    try:
        serve(settings, options)
    except (OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=err)
        return 1
    return 0


def _direct_interview(args: argparse.Namespace, settings: Settings) -> Choices | None:
    """The interview the flags ask for (flags win), or None when none of them was given."""
    given = {
        "count": args.questions,
        "categories": tuple(args.category) if args.category else None,
        "difficulty": args.difficulty,
        "lang": args.lang,
        "mode": Mode(args.mode) if args.mode else None,
        "seed": args.seed,
        "subject": args.subject,
    }
    flags = {name: value for name, value in given.items() if value is not None}
    if not flags:
        return None
    return command_line_choices(flags, settings.config_dir, settings.candidate)


def _open_log(
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


def _bank_for_reading(settings: Settings) -> LoadReport:
    """The bank for a read-only command: the cache is used, but its folder is never created."""
    if settings.cache_dir.is_dir():
        return load_bank_cached(_bank_dirs(settings), settings.cache_dir)
    return load_bank(_bank_dirs(settings))


def _load_grader(settings: Settings, bank_version: str) -> Grader:
    """Load the grading model (imports numpy, torch: kept out of start-up)."""
    from assistant.grading.pipeline import load_grader

    return load_grader(settings, bank_version)


def _connect_grader(socket_path: Path, bank_version: str) -> Grader:
    """A served tab's grader: the serve process's grading service (no model in this process)."""
    from assistant.serve.remote_grader import connect_grader

    return connect_grader(socket_path, bank_version)


@contextmanager
def _ctrl_s_reaches_the_app() -> Iterator[None]:
    """Until Textual puts the terminal in raw mode, its flow control takes Ctrl+S (send) as
    XOFF and swallows it: turned off from the start, so an answer sent while the app starts is
    sent. The terminal's settings are put back on the way out."""
    try:
        import termios
    except ImportError:  # Windows: no such flow control
        yield
        return
    try:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        quiet = list(saved)
        quiet[0] &= ~termios.IXON  # iflag
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
    except (OSError, ValueError, termios.error):  # not a terminal
        yield
        return
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)


def run_app(args: argparse.Namespace, err: TextIO, *, review: bool = False) -> NoReturn:
    """Open the interview app (on the review screen with `review`); the process ends with it."""
    with _ctrl_s_reaches_the_app():
        code = _run_app(args, err, review=review)
    _leave_at_once(code)


def _leave_at_once(code: int) -> NoReturn:
    """End the process without the interpreter's teardown once the app has closed.

    Tearing down torch and the model took 1-2 s after the screen was already gone, and a model
    still loading in its daemon thread could be caught half-imported. Nothing is lost: the app
    has closed the session log (every answer was committed when given) and restored the
    terminal; what the streams still hold is flushed here.
    """
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _run_app(args: argparse.Namespace, err: TextIO, *, review: bool) -> int:
    from assistant.app import make_app
    from assistant.store import StoreError
    from assistant.store.database import check_log

    settings = _settings(args)
    if args.questions is not None and not 1 <= args.questions <= 50:
        print("error: --questions must be from 1 to 50", file=err)
        return 2
    if not review:
        # A wrong --db is told here, once, before the screen is taken over (sqlite3 alone).
        try:
            check_log(settings.db)
        except StoreError as exc:
            print(f"error: {exc}", file=err)
            return 1
    report = (
        _bank_for_reading(settings)
        if review
        else load_bank_cached(_bank_dirs(settings), settings.cache_dir)
    )
    _print_problems(report, err)
    if not report.bank.questions:
        print("error: no question could be loaded; run `mock-interview kb check`", file=err)
        return 1
    if (bad_names := check_names(args, report.bank, err)) is not None:
        return bad_names
    bank_version = report.bank.version
    store: SessionStore | Callable[[], SessionStore]
    if review:
        try:
            store = _open_log(settings, read_only=True)
        except StoreError as exc:
            print(f"error: {exc}", file=err)
            return 1
    else:
        # Opened by the app right after the first paint, so the first question shows sooner.
        store = partial(_open_log, settings)
    app = make_app(
        settings,
        report,
        store,
        grader_loader=(
            partial(_connect_grader, args.grading_socket, bank_version)
            if args.grading_socket is not None
            else partial(_load_grader, settings, bank_version)
        ),
        interview=None if review else _direct_interview(args, settings),
        review=review,
        served=args.served,
    )
    try:
        app.run()
    finally:
        app.close_store()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
