"""Files the log cannot use give a StoreError naming the file, and the file is left untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.store import SessionStore, StoreError, open_store
from assistant.store.migrations import SCHEMA_VERSION


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make a file or folder unwritable for this process, then restore it."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    # Root ignores permission bits, but not the immutable attribute.
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], check=False).returncode:
        pytest.skip("running as root where chattr +i is unavailable: cannot make a path read-only")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def _existing_log(db_path: Path) -> None:
    with open_store(db_path) as store:
        store.start_session(mode="practice", lang="en", settings={}, model_id="m", bank_version="1")


def _record_one(store: SessionStore, session_id: int) -> int:
    now = datetime.now(UTC)
    return store.record_turn(
        session_id,
        order=1,
        question_id="q1",
        question_text="Q?",
        reference_answer="R.",
        category="fundamentals",
        answer="A.",
        shown_at=now,
        submitted_at=now,
    )


def test_a_file_that_is_not_a_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"my notes, not a database\n" * 400)
    before = _digest(db_path)

    with pytest.raises(StoreError) as caught:
        open_store(db_path)

    assert str(db_path) in str(caught.value)
    assert "damaged or is not an SQLite database" in str(caught.value)
    assert "--db" in str(caught.value)
    assert caught.value.path == db_path
    assert _digest(db_path) == before
    assert sorted(os.listdir(db_path.parent)) == ["sessions.db"]


def test_a_database_of_another_program(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Ada')")
    conn.close()
    before = _digest(db_path)

    with pytest.raises(StoreError, match="another program") as caught:
        open_store(db_path)

    assert str(db_path) in str(caught.value)
    assert _digest(db_path) == before


def test_a_file_from_a_newer_release(db_path: Path) -> None:
    _existing_log(db_path)
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO schema_version VALUES (?, 'from the future', '2030-01-01 00:00:00')",
            (SCHEMA_VERSION + 1,),
        )
    conn.close()
    before = _digest(db_path)

    with pytest.raises(StoreError, match="newer mock-interview") as caught:
        open_store(db_path)

    message = str(caught.value)
    assert str(db_path) in message
    assert f"schema version {SCHEMA_VERSION + 1}" in message
    assert _digest(db_path) == before


def test_a_database_locked_by_another_writer(db_path: Path) -> None:
    _existing_log(db_path)
    before = _digest(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked") as caught:
            open_store(db_path, busy_timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert str(db_path) in str(caught.value)
    assert _digest(db_path) == before
    open_store(db_path).close()  # usable again once released


def test_a_database_held_exclusively_before_wal(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:  # a fresh file in the default rollback-journal mode
        conn.execute("CREATE TABLE schema_version (version INTEGER)")
    conn.close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked") as caught:
            open_store(db_path, busy_timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert str(db_path) in str(caught.value)


def test_a_write_blocked_by_another_writer_is_a_store_error(db_path: Path) -> None:
    with open_store(db_path, busy_timeout=0.05) as store:
        session_id = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="1"
        )
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="locked") as caught:
                _record_one(store, session_id)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert str(db_path) in str(caught.value)

        turn_id = _record_one(store, session_id)  # the lock is gone: the same call now works

        assert [t.id for t in store.get_session(session_id).turns] == [turn_id]  # type: ignore[union-attr]


def test_a_read_only_folder_for_a_new_log(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)

    with _read_only(db_path.parent), pytest.raises(StoreError) as caught:
        open_store(db_path)

    assert str(db_path) in str(caught.value)
    assert "cannot be opened for writing" in str(caught.value)
    assert not db_path.exists()


def test_a_read_only_folder_holding_a_log(db_path: Path) -> None:
    _existing_log(db_path)
    before = _digest(db_path)

    with _read_only(db_path.parent), pytest.raises(StoreError) as caught:
        open_store(db_path)

    assert str(db_path) in str(caught.value)
    assert _digest(db_path) == before


def test_a_read_only_log_file(db_path: Path) -> None:
    _existing_log(db_path)
    before = _digest(db_path)

    with _read_only(db_path), pytest.raises(StoreError) as caught:
        open_store(db_path)

    assert str(db_path) in str(caught.value)
    assert "cannot be opened for writing" in str(caught.value)
    assert _digest(db_path) == before


def test_a_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the log's folder should be")
    db_path = blocker / "sessions.db"

    with pytest.raises(StoreError) as caught:
        open_store(db_path)

    assert str(db_path) in str(caught.value)
    assert blocker.read_text() == "a file where the log's folder should be"


def test_a_path_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder") as caught:
        open_store(tmp_path)

    assert str(tmp_path) in str(caught.value)
