"""`mock-interview` and `mock-interview review`: the app itself, in the terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from assistant.interview.choices import Choices, command_line_choices
from assistant.interview.flow import Mode
from assistant.knowledge.bank_cache import load_bank_cached
from assistant.settings import (
    Settings,
)

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader
    from assistant.store import SessionStore
from assistant.cli.common import (
    bank_dirs,
    bank_for_reading,
    check_names,
    open_log,
    print_problems,
    settings_of,
)


def direct_interview(args: argparse.Namespace, settings: Settings) -> Choices | None:
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

    settings = settings_of(args)
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
        bank_for_reading(settings)
        if review
        else load_bank_cached(bank_dirs(settings), settings.cache_dir)
    )
    print_problems(report, err)
    if not report.bank.questions:
        print("error: no question could be loaded; run `mock-interview kb check`", file=err)
        return 1
    if (bad_names := check_names(args, report.bank, err)) is not None:
        return bad_names
    bank_version = report.bank.version
    store: SessionStore | Callable[[], SessionStore]
    if review:
        try:
            store = open_log(settings, read_only=True)
        except StoreError as exc:
            print(f"error: {exc}", file=err)
            return 1
    else:
        # Opened by the app right after the first paint, so the first question shows sooner.
        store = partial(open_log, settings)
    app = make_app(
        settings,
        report,
        store,
        grader_loader=(
            partial(_connect_grader, args.grading_socket, bank_version)
            if args.grading_socket is not None
            else partial(_load_grader, settings, bank_version)
        ),
        interview=None if review else direct_interview(args, settings),
        review=review,
        served=args.served,
    )
    try:
        app.run()
    finally:
        app.close_store()
    return app.return_code or 0
