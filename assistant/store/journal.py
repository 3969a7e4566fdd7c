"""Answers the session log could not store yet, kept in a journal file beside it until they are.

When the database cannot be written (locked by another program beyond the busy timeout, a full
disk, a read-only file, a database server stopped or unreachable), an answer is appended to
`<db>.pending.jsonl` (for a server database, a file in the user data folder named after its URL,
see `journal_path`) and fsynced before the
editor lets it go, so quitting the app loses nothing. The app stores the journal's answers as soon
as the database is writable again, and replays whatever is left on its next start; an answer is
removed from the journal only once it is in the database. Storing is idempotent, so a crash
between the two steps stores nothing twice.

Standard library only: the interview screen imports this before SQLModel is loaded.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.settings import DatabaseTarget, DatabaseUrl, data_dir
from assistant.store.errors import StoreError

if TYPE_CHECKING:
    from assistant.store.repository import SessionStore

JOURNAL_SUFFIX = ".pending.jsonl"
"""Appended to the database file's name to name its journal."""


def journal_path(db_path: DatabaseTarget) -> Path:
    """The journal beside the database file `db_path`; for a server database, a file in the
    user data folder named after its user, host, port and database (never its password)."""
    if isinstance(db_path, DatabaseUrl):
        return data_dir() / f"{db_path.journal_stem}{JOURNAL_SUFFIX}"
    return db_path.with_name(db_path.name + JOURNAL_SUFFIX)


class JournalError(Exception):
    """The journal cannot be written; the message names the file and the reason."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path
        """The journal file concerned."""


@dataclass(frozen=True)
class PendingTurn:
    """One answered (or skipped) question waiting to be stored: `record_turn`'s arguments."""

    session_id: int
    order: int
    question_id: str
    question_text: str
    reference_answer: str
    category: str
    answer: str
    """Exactly as the candidate typed it."""
    hints_used: int
    skipped: bool
    follow_up_of: int | None
    """Always a stored turn: an answer that is not stored yet gets no follow-up."""
    shown_at: datetime
    submitted_at: datetime
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Identifies the entry in the journal, to remove it once stored."""

    def to_json(self) -> str:
        """One journal line (without the newline)."""
        data: dict[str, object] = asdict(self)
        data["shown_at"] = self.shown_at.isoformat()
        data["submitted_at"] = self.submitted_at.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PendingTurn:
        """Inverse of `to_json`; raises ValueError (or KeyError, TypeError) on a damaged line."""
        data = json.loads(text)
        data["shown_at"] = datetime.fromisoformat(data["shown_at"])
        data["submitted_at"] = datetime.fromisoformat(data["submitted_at"])
        return cls(**data)


@dataclass(frozen=True)
class ReplayReport:
    """What a replay of the journal did."""

    stored: int
    """Answers now in the database and gone from the journal."""
    left: int
    """Answers still in the journal (the database is still not writable, or their session is
    gone); they are tried again next time."""
    problem: str | None = None
    """Why some were left, for the user."""


class AnswerJournal:
    """The journal file of one session log. Each call opens and closes the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        """The `.pending.jsonl` file."""

    def append(self, turn: PendingTurn) -> None:
        """Add one answer and fsync it; raises JournalError if it may not be on disk."""
        line = (turn.to_json() + "\n").encode("utf-8")
        try:
            # A server database's journal is the first file of the user data folder.
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            size = os.fstat(fd).st_size
            try:
                if os.write(fd, line) != len(line):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                os.fsync(fd)
            except OSError:
                # No torn line left behind to spoil the next entry.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                raise
            finally:
                os.close(fd)
            if created:
                _fsync_dir(self.path.parent)
        except OSError as error:
            raise JournalError(
                f"The answer could not be kept in {self.path} either ({error.strerror or error}).",
                path=self.path,
            ) from error

    def entries(self) -> list[PendingTurn]:
        """The answers in the journal, oldest first; damaged lines are skipped (and kept).

        Raises JournalError when the file exists but cannot be read."""
        turns: list[PendingTurn] = []
        for raw in self._lines():
            try:
                turns.append(PendingTurn.from_json(raw))
            except (ValueError, KeyError, TypeError):
                continue
        return turns

    def discard(self, keys: Iterable[str]) -> None:
        """Remove stored answers; the file goes when empty. Raises JournalError on failure."""
        gone = set(keys)
        kept = [raw for raw in self._lines() if _key_of(raw) not in gone]
        try:
            if not kept:
                self.path.unlink(missing_ok=True)
                return
            # A new file renamed over the old one: a crash leaves one or the other, whole.
            temporary = self.path.with_name(self.path.name + ".tmp")
            with temporary.open("w", encoding="utf-8", errors="surrogateescape") as out:
                out.writelines(raw + "\n" for raw in kept)
                out.flush()
                os.fsync(out.fileno())
            temporary.replace(self.path)
            _fsync_dir(self.path.parent)
        except OSError as error:
            raise JournalError(
                f"Could not update {self.path} ({error.strerror or error}).", path=self.path
            ) from error

    def _lines(self) -> list[str]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="surrogateescape")
        except FileNotFoundError:
            return []
        except OSError as error:
            raise JournalError(
                f"Could not read {self.path} ({error.strerror or error}).", path=self.path
            ) from error
        return [raw for raw in text.splitlines() if raw.strip()]


def _key_of(raw: str) -> str | None:
    try:
        key = json.loads(raw).get("key")
    except (ValueError, AttributeError):
        return None
    return key if isinstance(key, str) else None


def _fsync_dir(directory: Path) -> None:
    """Make a file's creation, removal or rename durable (its directory entry)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_pending(store: SessionStore, turn: PendingTurn) -> int:
    """Record `turn` unless it is already in the log (stored before a crash kept it in the
    journal); returns its turn id. Raises StoreError, or ValueError when its session is gone."""
    detail = store.get_session(turn.session_id)
    if detail is not None:
        for stored in detail.turns:
            same = (stored.order, stored.question_id, stored.answer, stored.skipped)
            if same == (turn.order, turn.question_id, turn.answer, turn.skipped):
                return stored.id
    return record_pending(store, turn)


def record_pending(store: SessionStore, turn: PendingTurn) -> int:
    """Record `turn` (ungraded) and return its id; raises StoreError if the log is not writable."""
    return store.record_turn(
        turn.session_id,
        order=turn.order,
        question_id=turn.question_id,
        question_text=turn.question_text,
        reference_answer=turn.reference_answer,
        category=turn.category,
        answer=turn.answer,
        grade=None,
        hints_used=turn.hints_used,
        skipped=turn.skipped,
        follow_up_of=turn.follow_up_of,
        shown_at=turn.shown_at,
        submitted_at=turn.submitted_at,
    )


def replay_journal(store: SessionStore) -> ReplayReport:
    """Store the answers a previous run left in the journal of `store`, oldest first.

    Stops at the first database failure (the rest stay for next time); an answer whose session
    was deleted stays in the journal, so nothing is ever thrown away here.
    """
    journal = AnswerJournal(journal_path(store.path))
    stored: list[str] = []
    left = 0
    problem: str | None = None
    try:
        entries = journal.entries()
    except JournalError as error:
        return ReplayReport(stored=0, left=0, problem=str(error))
    for index, turn in enumerate(entries):
        try:
            store_pending(store, turn)
        except StoreError as error:
            left += len(entries) - index
            problem = str(error)
            break
        except ValueError as error:
            left += 1
            problem = f"An answer in {journal.path} cannot be stored ({error}); it is kept there."
        else:
            stored.append(turn.key)
    if stored:
        try:
            journal.discard(stored)
        except JournalError as error:
            problem = str(error)
    return ReplayReport(stored=len(stored), left=left, problem=problem)
