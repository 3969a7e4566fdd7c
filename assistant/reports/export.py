"""Rendering a report in any format, and exporting it from the session log to stdout or a file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, TypeGuard, get_args

from assistant.atomic_write import OutputPathError, atomic_write, check_output_path
from assistant.knowledge.models import Lang
from assistant.reports.as_csv import render_csv
from assistant.reports.as_html import render_html
from assistant.reports.as_json import render_json
from assistant.reports.as_markdown import render_markdown
from assistant.reports.wording import NO_BANK, ReportBank
from assistant.settings import data_dir
from assistant.store.errors import StoreError
from assistant.store.records import SessionDetail

if TYPE_CHECKING:
    from assistant.store.repository import SessionStore

ReportFormat = Literal["md", "html", "json", "csv"]
"""A report format, named as on the command line and as the file's extension."""

FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)
"""Every report format, in the order offered."""

FORMAT_NAMES: dict[ReportFormat, str] = {
    "md": "Markdown",
    "html": "HTML",
    "json": "JSON",
    "csv": "CSV",
}
"""What each format is called in menus."""


def is_report_format(value: str) -> TypeGuard[ReportFormat]:
    """Whether `value` names a report format."""
    return value in FORMATS


def render_report(
    details: Sequence[SessionDetail],
    fmt: ReportFormat,
    *,
    generated_at: datetime,
    tz: tzinfo | None = None,
    lang: Lang | None = None,
    bank: ReportBank = NO_BANK,
) -> str:
    """The report of `details` in `fmt`.

    Dates for people are shown in `tz` (the local zone when None); JSON and CSV keep UTC ISO
    times. Markdown and HTML speak each session's language unless `lang` is given.
    """
    if fmt == "md":
        return render_markdown(details, generated_at=generated_at, tz=tz, lang=lang, bank=bank)
    if fmt == "html":
        return render_html(details, generated_at=generated_at, tz=tz, lang=lang, bank=bank)
    if fmt == "json":
        return render_json(details, generated_at=generated_at)
    if fmt == "csv":
        return render_csv(details, generated_at=generated_at)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")


def reports_dir() -> Path:
    """Where reports exported from the app go: `reports/` in the user data directory."""
    return data_dir() / "reports"


def report_file_name(details: Sequence[SessionDetail], fmt: ReportFormat, when: datetime) -> str:
    """`session-12-20250314-0930.md` for one session, `sessions-40-20250314-093000.md` for more."""
    if len(details) == 1:
        s = details[0].session
        return f"session-{s.id}-{s.started_at.astimezone():%Y%m%d-%H%M}.{fmt}"
    return f"sessions-{len(details)}-{when.astimezone():%Y%m%d-%H%M%S}.{fmt}"


def write_report(
    details: Sequence[SessionDetail],
    fmt: ReportFormat,
    directory: Path,
    *,
    generated_at: datetime,
    bank: ReportBank = NO_BANK,
) -> Path:
    """Render and write a report into `directory` (created if missing); returns the file.

    An existing file is never overwritten: a `-2`, `-3`... suffix is added instead.
    """
    text = render_report(details, fmt, generated_at=generated_at, bank=bank)
    directory.mkdir(parents=True, exist_ok=True)
    name = report_file_name(details, fmt, generated_at)
    stem, suffix = name.rsplit(".", 1)
    for attempt in range(1, 1000):
        path = directory / (name if attempt == 1 else f"{stem}-{attempt}.{suffix}")
        try:
            # newline="": CSV rows end in \r\n by the standard; nothing may add to them.
            with path.open("x", encoding="utf-8", newline="") as file:
                file.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"too many reports named {name} in {directory}")


def export_command(
    store: SessionStore,
    *,
    session_id: int | None,
    last: bool,
    all_: bool,
    fmt: str,
    output: Path | None,
    out: TextIO,
    err: TextIO,
    bank: ReportBank = NO_BANK,
    force: bool = False,
    config_dir: Path | None = None,
) -> int:
    """`mock-interview export (SESSION_ID | --last | --all) --format F [-o FILE] [--force]`.

    Writes the report to `out` unless `output` is given; then the file appears whole or not at
    all, is never the session database, and replaces an existing file only with `force`.
    Returns the exit code: 1, saying why on `err`, for an unknown session id, an empty log or
    a file that cannot or must not be written; 2 for a usage error.
    """
    if not is_report_format(fmt):
        print(f"error: unknown format {fmt!r}; use one of {', '.join(FORMATS)}", file=err)
        return 2
    chosen = sum([session_id is not None, last, all_])
    if chosen != 1:
        print("error: give exactly one of SESSION_ID, --last or --all", file=err)
        return 2
    protected = protected_files(store, config_dir)
    if output_refused(output, force=force, protected=protected, err=err):
        return 1
    try:
        details = _chosen_sessions(store, session_id=session_id, last=last)
    except StoreError as error:
        print(f"error: {error}", file=err)
        return 1
    except LookupError as error:
        print(f"error: {error.args[0]}", file=err)
        return 1
    text = render_report(details, fmt, generated_at=datetime.now(UTC), bank=bank)
    written = f"{len(details)} session(s)"
    return deliver(text, output, out=out, err=err, force=force, protected=protected, what=written)


def protected_files(store: SessionStore, config_dir: Path | None = None) -> dict[Path, str]:
    """What an export must never write over: every file of the session log (the SQLite file
    and those beside it, the journal of pending answers) and of its configuration."""
    from assistant.store.files import kept_files

    return kept_files(store.path, config_dir)


def output_refused(
    output: Path | None, *, force: bool, protected: dict[Path, str], err: TextIO
) -> bool:
    """True, saying why on `err`, when `output` must not be written; checked before any work."""
    if output is None:
        return False
    try:
        check_output_path(output, replace=force, protected=protected)
    except OutputPathError as error:
        print(f"error: {error}", file=err)
        return True
    return False


def deliver(
    text: str,
    output: Path | None,
    *,
    out: TextIO,
    err: TextIO,
    force: bool,
    protected: dict[Path, str],
    what: str,
) -> int:
    """A rendered report to `out`, or whole to `output` (atomically, never over a protected
    file, nor an existing one without `force`); returns the exit code."""
    if output is None:
        out.write(text)
        return 0
    try:
        # newline="": CSV rows end in \r\n by the standard; nothing may add to them.
        with atomic_write(output, replace=force, protected=protected, newline="") as file:
            file.write(text)
    except OutputPathError as error:
        print(f"error: {error}", file=err)
        return 1
    print(f"wrote {what} to {output}", file=out)
    return 0


def _chosen_sessions(
    store: SessionStore, *, session_id: int | None, last: bool
) -> list[SessionDetail]:
    """The sessions to export, oldest first; LookupError (with the message) when there are none."""
    if session_id is not None:
        detail = store.get_session(session_id)
        if detail is None:
            raise LookupError(
                f"no session {session_id} in the session log {store.path}; "
                "`mock-interview review` lists the sessions"
            )
        return [detail]
    summaries = store.list_sessions()
    if not summaries:
        raise LookupError(f"the session log {store.path} has no session yet: nothing to export")
    # list_sessions is newest first; a report of many reads best in the order they happened.
    wanted = summaries[:1] if last else list(reversed(summaries))
    details = [store.get_session(s.id) for s in wanted]
    return [d for d in details if d is not None]
