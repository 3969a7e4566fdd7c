"""Read-only commands write nothing, a read-only log stays readable, and a wrong --db gets one
message naming the path (issue 12, items 10 and 14)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from assistant.app import make_app
from assistant.knowledge.loader import LoadReport, load_bank
from assistant.screens.dialogs import ErrorDialog
from assistant.screens.review import ReviewScreen
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import SessionStore, open_store
from assistant.store.migrations import upgrade
from tests.conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """`mock-interview ARGS` with this checkout's code; no terminal, so no screen can hang."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=90,
        check=False,
    )


def tree(root: Path) -> list[str]:
    """Every file and folder under `root`, relative, sorted."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_session(store: SessionStore, answer: str = "Drift is a change in the inputs.") -> int:
    now = datetime.now(UTC)
    session_id = store.start_session(
        mode="practice", lang="en", settings={}, model_id="m", bank_version="1"
    )
    store.record_turn(
        session_id,
        order=1,
        question_id="q1",
        question_text="What is drift?",
        reference_answer="A change in the data.",
        category="fundamentals",
        answer=answer,
        shown_at=now,
        submitted_at=now,
    )
    return session_id


def make_log(path: Path, sessions: int = 1) -> None:
    with open_store(path) as store:
        for n in range(sessions):
            add_session(store, f"answer {n + 1}")


def no_model() -> Any:
    raise RuntimeError("review loads no model")


@pytest.fixture(scope="module")
def bank_report() -> LoadReport:
    return load_bank([shipped_bank_dir()])


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of our own, made read-only by `remount_read_only` (root ignores file modes)."""
    point = tmp_path / "mnt"
    point.mkdir()
    made = (
        os.geteuid() == 0
        and shutil.which("mount") is not None
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(point)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    if not made:
        pytest.skip("cannot mount a tmpfs here (needs root): no real read-only file system")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
    with pytest.raises(OSError):
        (point / "probe").touch()


# --- item 10: read-only commands create nothing ------------------------------------------


def test_read_only_commands_create_nothing_when_the_log_is_missing(
    tmp_path: Path, isolated_user_dirs: Path
) -> None:
    db = tmp_path / "nowhere" / "sessions.db"
    # `review` opens the screen: see the next test but one.
    commands = [
        ("export", "--last", "--db", str(db)),
        ("export", "--all", "--format", "csv", "--db", str(db)),
        ("export", "--last"),  # the default log, in the (temporary) user data folder
        ("kb", "list", "--db", str(db)),
        ("where", "--db", str(db)),
        ("--help",),
    ]
    results = {args: run(*args) for args in commands}

    assert tree(tmp_path) == [], "a read-only command created a file or folder"
    for args in commands[:2]:
        assert results[args].returncode == 1
        assert f"No sessions yet: {db} does not exist" in results[args].stderr
    default_db = isolated_user_dirs / "data" / "mock-interview" / "sessions.db"
    assert f"No sessions yet: {default_db} does not exist" in results[commands[2]].stderr
    for args in commands[3:]:
        assert results[args].returncode == 0, results[args].stderr


def test_export_of_an_empty_file_says_so_and_leaves_it_empty(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    db.touch()

    result = run("export", "--all", "--db", str(db))

    assert result.returncode == 1
    assert f"No sessions yet: {db} is an empty file" in result.stderr
    assert tree(tmp_path) == ["sessions.db"] and db.stat().st_size == 0


async def test_review_of_a_missing_log_shows_an_empty_list_and_creates_nothing(
    tmp_path: Path, bank_report: LoadReport
) -> None:
    db = tmp_path / "nowhere" / "sessions.db"
    store = open_store(db, read_only=True)
    app = make_app(
        Settings.from_env(db=db), bank_report, store, grader_loader=no_model, review=True
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.sessions_table.row_count == 0
    store.close()
    assert tree(tmp_path) == []


def test_export_of_a_wal_log_changes_nothing_and_leaves_no_wal_or_shm(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    make_log(db, sessions=2)
    before = digest(db)

    result = run("export", "--all", "--format", "json", "--db", str(db))

    assert result.returncode == 0, result.stderr
    assert '"answer": "answer 2"' in result.stdout
    assert tree(tmp_path) == ["sessions.db"]
    assert digest(db) == before


def test_export_while_an_interview_has_the_log_open_sees_its_last_answer(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    with open_store(db) as writer:
        add_session(writer, "the answer just stored")
        files = tree(tmp_path)
        assert "sessions.db-wal" in files  # the case where the reader goes through the WAL

        result = run("export", "--last", "--format", "json", "--db", str(db))

        assert result.returncode == 0, result.stderr
        assert '"answer": "the answer just stored"' in result.stdout
        assert tree(tmp_path) == files
        add_session(writer, "and the interview goes on")  # no lock was left behind
    assert tree(tmp_path) == ["sessions.db"]


def test_an_older_log_is_read_without_being_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "sessions.db"
    conn = sqlite3.connect(db, isolation_level=None)
    upgrade(conn, target=1)
    conn.execute(
        "INSERT INTO interview_session (id, started_at, status, mode, lang, settings_json,"
        " model_id, bank_version) VALUES (7, '2025-03-01 09:00:00', 'completed', 'practice',"
        " 'en', '{}', 'm', '1')"
    )
    conn.close()
    before = digest(db)

    result = run("export", "--all", "--format", "json", "--db", str(db))

    assert result.returncode == 0, result.stderr
    assert '"id": 7' in result.stdout
    assert digest(db) == before and tree(tmp_path) == ["sessions.db"]


@pytest.mark.parametrize("leftovers", [False, True], ids=["closed-log", "wal-and-shm-left"])
def test_a_log_on_a_read_only_mount_is_readable_for_export_and_review(
    tmp_path: Path, mount: Path, leftovers: bool
) -> None:
    db = mount / "sessions.db"
    if leftovers:
        # A copy taken while an interview had the log open: the last answer is only in -wal.
        source = tmp_path / "live" / "sessions.db"
        with open_store(source) as writer:
            writer_conn = sqlite3.connect(source)
            writer_conn.execute("PRAGMA wal_autocheckpoint = 0")
            add_session(writer, "answer 1")
            add_session(writer, "answer 2")
            for name in ("sessions.db", "sessions.db-wal", "sessions.db-shm"):
                shutil.copy(source.parent / name, mount / name)
            writer_conn.close()
    else:
        make_log(db, sessions=2)
    remount_read_only(mount)
    files = tree(mount)

    result = run("export", "--all", "--format", "json", "--db", str(db))

    assert result.returncode == 0, result.stderr
    assert '"answer": "answer 2"' in result.stdout
    with open_store(db, read_only=True) as store:
        assert [s.turn_count for s in store.list_sessions()] == [1, 1]
    assert tree(mount) == files


async def test_deleting_a_session_from_a_read_only_review_writes_to_the_file(
    tmp_path: Path, bank_report: LoadReport
) -> None:
    db = tmp_path / "sessions.db"
    make_log(db, sessions=2)
    store = open_store(db, read_only=True)
    app = make_app(
        Settings.from_env(db=db), bank_report, store, grader_loader=no_model, review=True
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.sessions_table.row_count == 1
    store.close()
    with open_store(db, read_only=True) as reread:
        assert len(reread.list_sessions()) == 1


async def test_deleting_on_a_read_only_mount_says_why_and_keeps_the_review_open(
    mount: Path, bank_report: LoadReport
) -> None:
    db = mount / "sessions.db"
    make_log(db, sessions=2)
    remount_read_only(mount)
    store = open_store(db, read_only=True)
    app = make_app(
        Settings.from_env(db=db), bank_report, store, grader_loader=no_model, review=True
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("d", "y")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        text = " ".join(str(s.render()) for s in dialog.query(Static))
        assert str(db) in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.sessions_table.row_count == 2
    store.close()


# --- item 14: a wrong --db gets one message naming the path ---------------------------------


def _parent_is_a_file(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("my notes\n", encoding="utf-8")
    return tmp_path / "notes.txt" / "sessions.db"


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "logs").mkdir()
    return tmp_path / "logs"


def _newer_schema(tmp_path: Path) -> Path:
    db = tmp_path / "sessions.db"
    make_log(db)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01 00:00:00')"
        )
    conn.close()
    return db


@pytest.mark.parametrize(
    ("make_path", "says"),
    [
        (_parent_is_a_file, "is a file, not a folder"),
        (_folder, "is a folder; it must be a file"),
        (_newer_schema, "written by a newer mock-interview (schema version 99"),
    ],
    ids=["parent-is-a-file", "folder-instead-of-file", "newer-schema"],
)
@pytest.mark.parametrize(
    "command", [(), ("review",), ("export", "--last")], ids=["app", "review", "export"]
)
def test_a_wrong_db_path_gets_one_message_naming_it(
    tmp_path: Path, make_path: Any, says: str, command: tuple[str, ...]
) -> None:
    db = make_path(tmp_path)
    before = {p: (digest(tmp_path / p) if (tmp_path / p).is_file() else "") for p in tree(tmp_path)}

    result = run(*command, "--db", str(db))

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert str(db) in lines[0] and says in lines[0]
    assert "--db" in lines[0]  # what to do
    after = {p: (digest(tmp_path / p) if (tmp_path / p).is_file() else "") for p in tree(tmp_path)}
    assert after == before
