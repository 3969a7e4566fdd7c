"""Command line: `mock-interview` opens the app; subcommands check, grade, review, export."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant.interview.choices import load_last_choices
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.bank_cache import PackFileCache, load_bank_cached
from assistant.knowledge.loader import LoadReport, load_bank, pack_files
from assistant.knowledge.models import LANGS, dump
from assistant.settings import ENV_DB, ENV_KB, ENV_MODEL, Settings

if TYPE_CHECKING:
    from assistant.grading.scorer import Grader
    from assistant.store import SessionStore


def _common(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    """Options accepted before or after the subcommand; a subcommand's absent ones stay unset."""
    default = argparse.SUPPRESS if sub else None
    parser.add_argument(
        "--kb",
        action="append",
        default=argparse.SUPPRESS if sub else [],
        metavar="DIR",
        help=f"extra question-pack directory (repeatable; also ${ENV_KB})",
    )
    parser.add_argument(
        "--db", metavar="PATH", default=default, help=f"session database file (also ${ENV_DB})"
    )
    parser.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        default=default,
        help=f"grading model (also ${ENV_MODEL})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="mock-interview", description="An offline mock-interview coach for the terminal."
    )
    _common(parser, sub=False)
    interview = parser.add_argument_group(
        "interview", "given any of these, the interview starts at once, skipping the start screen"
    )
    interview.add_argument("--questions", type=int, metavar="N", help="number of questions")
    interview.add_argument(
        "--category", action="append", metavar="C", help="only this category (repeatable)"
    )
    interview.add_argument("--difficulty", type=int, choices=(1, 2, 3))
    interview.add_argument("--lang", choices=LANGS)
    interview.add_argument("--mode", choices=("practice", "mock"))
    interview.add_argument("--seed", type=int, help="reproducible choice of questions")
    interview.add_argument("--subject", help="subject of the packs to draw from (e.g. mlops)")
    sub = parser.add_subparsers(dest="command")

    kb = sub.add_parser("kb", help="check or list the question bank")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_sub.add_parser("check", help="validate question packs")
    check.add_argument("paths", nargs="*", type=Path, help="packs or directories (default: all)")
    _common(check)
    listing = kb_sub.add_parser("list", help="list the questions")
    listing.add_argument("--json", action="store_true", help="full records as JSON")
    listing.add_argument("--category", action="append", help="only this category (repeatable)")
    listing.add_argument("--lang", choices=LANGS, default="en")
    _common(listing)

    where = sub.add_parser("where", help="print where data, cache, config and packs live")
    _common(where)

    grade = sub.add_parser(
        "grade",
        help="grade a file of answers (JSONL or CSV) to JSONL",
        description="Rows need `answer` and either `question_id` (from the bank) or `question` "
        "and `reference_answer` (optional `key_points`: a list in JSONL, ';'-separated in CSV).",
    )
    grade.add_argument("--input", required=True, type=Path, metavar="FILE")
    grade.add_argument("--output", type=Path, metavar="FILE", help="default: standard output")
    _common(grade)

    export = sub.add_parser("export", help="export sessions as a report")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("session_id", nargs="?", type=int, help="the session to export")
    which.add_argument("--last", action="store_true", help="the newest session")
    which.add_argument("--all", action="store_true", help="every session")
    export.add_argument("--format", choices=("md", "html", "json", "csv"), default="md")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    _common(export)

    review = sub.add_parser("review", help="open the review screen on past sessions")
    _common(review)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(db=args.db, kb=args.kb, model=args.model)


def _bank_dirs(settings: Settings) -> list[Path]:
    return [settings.bank_dir, *settings.extra_kb_dirs]


def _print_problems(report: LoadReport, err: TextIO) -> None:
    for problem in report.problems:
        print(f"error: {problem}", file=err)
    for path in report.skipped:
        print(f"skipped pack: {path}", file=err)


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
    report = load_bank_cached(_bank_dirs(settings), settings.cache_dir)
    _print_problems(report, err)
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
    print(f"database:      {s.db_path}", file=out)
    print(f"cache:         {s.cache_dir}", file=out)
    print(f"config:        {s.config_dir}", file=out)
    print(f"shipped bank:  {s.bank_dir}", file=out)
    extra = ", ".join(str(p) for p in s.extra_kb_dirs) or f"(none; --kb DIR or ${ENV_KB})"
    print(f"extra packs:   {extra}", file=out)
    print(f"model:         {s.model}", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
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
    return run_app(args, err, review=args.command == "review")


def cmd_grade(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Grade a file of answers with the local model; bad rows are reported and skipped."""
    from assistant.grading.backend import ModelLoadError
    from assistant.grading.batch import run_batch
    from assistant.grading.scorer import load_grader

    settings = _settings(args)
    report = load_bank(_bank_dirs(settings))
    _print_problems(report, err)
    try:
        grader = load_grader(settings, report.bank.version)
    except ModelLoadError as exc:
        print(f"error: {exc}", file=err)
        return 1
    if args.output is None:
        return run_batch(args.input, out, grader, report.bank, err)
    try:
        with args.output.open("w", encoding="utf-8") as output:
            return run_batch(args.input, output, grader, report.bank, err)
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc.strerror}", file=err)
        return 1


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Export one, the last, or every session as Markdown, HTML, JSON or CSV."""
    from assistant.reports import export_command
    from assistant.store import StoreError, open_store

    settings = _settings(args)
    try:
        store = open_store(settings.db_path)
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return 1
    bank = load_bank_cached(_bank_dirs(settings), settings.cache_dir).bank
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
        )


def _direct_interview(args: argparse.Namespace, settings: Settings) -> InterviewSettings | None:
    """The interview the flags ask for, or None when none of them was given."""
    flags = (args.questions, args.category, args.difficulty, args.lang, args.mode, args.seed)
    if all(f is None for f in flags) and args.subject is None:
        return None
    last = load_last_choices(settings.config_dir)
    return InterviewSettings(
        count=args.questions if args.questions is not None else last.count,
        categories=tuple(args.category or ()),
        difficulty=args.difficulty,
        lang=args.lang or last.lang,
        mode=Mode(args.mode) if args.mode else last.mode,
        seed=args.seed,
        subject=args.subject,
    )


def _open_log(settings: Settings) -> SessionStore:
    """Open the session log (imports SQLModel: kept out of start-up)."""
    from assistant.store import open_store

    return open_store(settings.db_path)


def _load_grader(settings: Settings, bank_version: str) -> Grader:
    """Load the grading model (imports numpy, torch: kept out of start-up)."""
    from assistant.grading.scorer import load_grader

    return load_grader(settings, bank_version)


def run_app(args: argparse.Namespace, err: TextIO, *, review: bool = False) -> int:
    """Open the interview app (on the review screen with `review`)."""
    from assistant.app import make_app
    from assistant.store import StoreError

    settings = _settings(args)
    if args.questions is not None and not 1 <= args.questions <= 50:
        print("error: --questions must be from 1 to 50", file=err)
        return 2
    report = load_bank_cached(_bank_dirs(settings), settings.cache_dir)
    _print_problems(report, err)
    if not report.bank.questions:
        print("error: no question could be loaded; run `mock-interview kb check`", file=err)
        return 1
    bank_version = report.bank.version
    store: SessionStore | Callable[[], SessionStore]
    if review:
        try:
            store = _open_log(settings)
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
        grader_loader=partial(_load_grader, settings, bank_version),
        interview=None if review else _direct_interview(args, settings),
        review=review,
    )
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
