"""Faults during an interview (issue 12, items 3, 4 and 5), each reproduced for real.

3. The log cannot be written (locked by another process, read-only file system, full disk):
   the answer is kept (journal or editor), one plain message names the file, storing is retried
   by itself, and a journaled answer survives quitting.
4. A burst of keys and Ctrl+S, and typing during start-up: every key ends in its own answer.
5. Ctrl+Q during a grading that never ends: the app exits, the answer stays stored ungraded.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from assistant.app import InterviewApp, make_app
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import LoadReport, load_bank
from assistant.screens.dialogs import ConfirmDialog, ErrorDialog
from assistant.screens.interview import InterviewScreen
from assistant.screens.summary import SummaryScreen
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import SessionStore, open_store
from assistant.store.journal import AnswerJournal, journal_path
from assistant.widgets.answer_editor import AnswerEditor
from tests.conftest import REPO
from tests.fakes import KeywordGrader
from tests.ui.conftest import FrozenClock, send_at_once

SHORT_WAIT = 0.05
"""Busy timeout of the app's store in these tests: a locked log fails at once, not in 5 s."""


@pytest.fixture(scope="module")
def bank_report() -> LoadReport:
    return load_bank([shipped_bank_dir()])


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry storing kept answers without the 2 s pause between tries."""
    monkeypatch.setattr(InterviewScreen, "RETRY_EVERY", 0.01, raising=False)


def build_app(
    db: Path, bank_report: LoadReport, store: SessionStore | None = None, **interview: object
) -> InterviewApp:
    """The app on `db` (opened by the app after the first paint unless `store` is given)."""
    settings = Settings.from_env(db=db)
    return make_app(
        settings,
        bank_report,
        store if store is not None else (lambda: open_store(db, busy_timeout=SHORT_WAIT)),
        grader_loader=KeywordGrader,
        interview=InterviewSettings(**interview) if interview else None,  # type: ignore[arg-type]
        clock=FrozenClock(),
    )


def burst(app: InterviewApp, *parts: str) -> None:
    """Send keys the way a fast typist's terminal does: all queued at once, no pause between.

    (`pilot.press` waits for the app to be idle after every key, which hides the bug.)
    """
    send_at_once(app, [k for part in parts for k in ([part] if part.startswith("ctrl+") else part)])


async def settle(app: InterviewApp, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


def answers_in(db: Path) -> list[tuple[str, bool]]:
    """(answer, graded) of every turn in the log, in order; read-only, so a lock does not
    stop it (a reader never waits for a writer in WAL mode)."""
    if not db.exists():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        rows = conn.execute('SELECT answer, grade_json IS NOT NULL FROM turn ORDER BY "order", id')
        return [(answer, bool(graded)) for answer, graded in rows]


def visible_notice(app: InterviewApp) -> str:
    """What can be read of that message on screen: the lines its height shows."""
    from textual.geometry import Region

    widget = app.screen.query_one("#unsaved", Static)
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "".join(strip.text for strip in lines)


def notice(app: InterviewApp) -> str:
    """The interview screen's message about answers not stored yet ('' when hidden)."""
    widget = app.screen.query_one("#unsaved", Static)
    return str(widget.render()) if widget.display else ""


# --- item 4: every keystroke ends in the answer it was typed for ---------------------------


async def test_a_burst_of_answers_puts_every_key_in_its_own_answer(
    tmp_path: Path, bank_report: LoadReport
) -> None:
    db = tmp_path / "burst.db"
    app = build_app(db, bank_report, count=6, seed=4, mode=Mode.MOCK)
    typed = [f"answer {n} on drift." for n in range(1, 7)]
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        burst(app, *(part for text in typed for part in (text, "ctrl+s")))
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
    assert [answer for answer, _ in answers_in(db)] == typed


async def test_typing_and_ctrl_s_during_start_up_are_kept(
    tmp_path: Path, bank_report: LoadReport
) -> None:
    """Keys and Ctrl+S arrive before the log is open: nothing is dropped or merged."""
    db = tmp_path / "start-up.db"
    app = build_app(db, bank_report, count=3, seed=4, mode=Mode.MOCK)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, InterviewScreen) and screen.session_id is None
        assert app.focused is screen.query_one(AnswerEditor)
        burst(app, "first.", "ctrl+s", "second.", "ctrl+s", "third, still typing")
        await settle(app, pilot)
        assert screen.query_one(AnswerEditor).text == "third, still typing"
    assert [answer for answer, _ in answers_in(db)] == ["first.", "second."]


# --- item 3: a log that cannot be written loses nothing -------------------------------------

_LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


class Locker:
    """Another process holding the log's write lock until released."""

    def __init__(self, db: Path) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-c", _LOCKER, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.child.stdout is not None
        assert self.child.stdout.readline().strip() == "locked"

    def release(self) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write("\n")
        self.child.stdin.flush()
        assert self.child.wait(timeout=30) == 0


@pytest.fixture
def lock_holder() -> Iterator[list[Locker]]:
    holders: list[Locker] = []
    yield holders
    for holder in holders:
        if holder.child.poll() is None:
            holder.child.kill()
            holder.child.wait()


async def test_locked_log_keeps_the_answers_says_so_once_and_stores_them_when_free(
    tmp_path: Path, bank_report: LoadReport, lock_holder: list[Locker]
) -> None:
    db = tmp_path / "locked.db"
    first, second = "Typed while another program holds the log.", "And a second one."
    app = build_app(db, bank_report, count=2, seed=4, mode=Mode.PRACTICE)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        lock_holder.append(locker := Locker(db))
        burst(app, first, "ctrl+s")
        await pilot.pause()
        # Kept in the journal beside the log and listed on screen; the interview goes on.
        kept = AnswerJournal(journal_path(db)).entries()
        assert [t.answer for t in kept] == [first]
        assert not isinstance(app.screen, ErrorDialog)
        assert screen.interview.index == 1
        burst(app, second, "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        message = notice(app)
        assert str(db) in message and "locked" in message
        assert f"2 answer(s) not saved yet are kept in {journal_path(db)}" in message
        assert screen.interview.finished and app.screen is screen  # the summary waits
        assert answers_in(db) == []
        locker.release()
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert not journal_path(db).exists()
    assert answers_in(db) == [(first, True), (second, True)]
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        assert conn.execute("SELECT status FROM interview_session").fetchall() == [("completed",)]


async def test_a_kept_answer_survives_quitting_and_is_stored_on_the_next_start(
    tmp_path: Path, bank_report: LoadReport, lock_holder: list[Locker]
) -> None:
    db = tmp_path / "quit.db"
    first = build_app(db, bank_report, count=3, seed=4, mode=Mode.MOCK)
    async with first.run_test(size=(100, 32)) as pilot:
        await settle(first, pilot)
        lock_holder.append(locker := Locker(db))
        burst(first, "Kept while locked, then the app is quit.", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("ctrl+q")
    locker.release()
    assert answers_in(db) == []
    assert len(AnswerJournal(journal_path(db)).entries()) == 1

    second = build_app(db, bank_report)
    async with second.run_test(size=(100, 32)) as pilot:
        await settle(second, pilot)
    assert answers_in(db) == [("Kept while locked, then the app is quit.", True)]
    assert not journal_path(db).exists()


def _mount_tmpfs(target: Path, size: str) -> None:
    target.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here (needs root): {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real, small file system of its own (tmpfs), to make read-only or fill up."""
    mount_point = tmp_path / "disk"
    _mount_tmpfs(mount_point, "2m")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _remount(mount_point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(mount_point)], check=True)


async def _held_in_the_editor_then_stored(
    app: InterviewApp, pilot: object, db: Path, make_writable: object
) -> None:
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    editor = screen.query_one(AnswerEditor)
    answer = "An answer that must not be lost."
    burst(app, answer, "ctrl+s")
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    # Neither the log nor the journal can be written: the answer stays in the editor.
    assert not isinstance(app.screen, ErrorDialog)
    assert editor.text == answer and editor.read_only
    assert screen.interview.index == 0
    message = notice(app)
    assert str(db) in message and str(journal_path(db)) in message
    assert "stays in the editor" in message
    make_writable()  # type: ignore[operator]
    await settle(app, pilot)
    assert editor.text == "" and not editor.read_only
    assert screen.interview.index == 1
    assert notice(app) == ""


async def test_read_only_file_system_holds_the_answer_in_the_editor_until_writable(
    small_disk: Path, bank_report: LoadReport
) -> None:
    db = small_disk / "sessions.db"
    store = open_store(db, busy_timeout=SHORT_WAIT)
    app = build_app(db, bank_report, store, count=3, seed=4, mode=Mode.MOCK)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(app, pilot)
            # Linux refuses to remount while a file is open for writing: close the log's
            # connections (the store opens new ones when next used, and finds them read-only).
            store.close()
            _remount(small_disk, "ro")
            await _held_in_the_editor_then_stored(
                app, pilot, db, lambda: _remount(small_disk, "rw")
            )
    finally:
        store.close()
    assert answers_in(db) == [("An answer that must not be lost.", True)]


async def test_full_disk_holds_the_answer_in_the_editor_until_space_is_freed(
    small_disk: Path, bank_report: LoadReport
) -> None:
    db = small_disk / "sessions.db"
    store = open_store(db, busy_timeout=SHORT_WAIT)
    app = build_app(db, bank_report, store, count=3, seed=4, mode=Mode.MOCK)
    filler = small_disk / "filler"
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(app, pilot)
            # Fill every byte left; the log's write-ahead file is emptied so it must grow.
            with contextlib.closing(sqlite3.connect(db)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            with contextlib.suppress(OSError):
                while os.write(fd, b"\0" * 512):
                    pass
            os.close(fd)
            await _held_in_the_editor_then_stored(app, pilot, db, filler.unlink)
    finally:
        store.close()
    assert answers_in(db) == [("An answer that must not be lost.", True)]


# --- item 5: Ctrl+Q during a grading that never ends ---------------------------------------

_QUIT_WHILE_GRADING = """
import asyncio, sys, threading
from pathlib import Path

from assistant.app import make_app
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import load_bank
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import open_store
from assistant.widgets.answer_editor import AnswerEditor
from tests.fakes import KeywordGrader

never = threading.Event()


class EndlessGrader(KeywordGrader):
    def grade_question(self, *args, **kwargs):
        print("grading", flush=True)
        never.wait()  # nobody sets it: this grade never finishes
        raise AssertionError("unreachable")


db = Path(sys.argv[1])
app = make_app(
    Settings.from_env(db=db),
    load_bank([shipped_bank_dir()]),
    lambda: open_store(db),
    grader_loader=EndlessGrader,
    interview=InterviewSettings(count=2, seed=4, mode=Mode.PRACTICE),
)


async def main() -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one(AnswerEditor).text = "An answer graded forever."
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")
    print("closed", flush=True)

asyncio.run(main())
print("exited", flush=True)
"""


def test_ctrl_q_during_a_grading_that_never_ends_exits_and_keeps_the_answer(
    tmp_path: Path,
) -> None:
    db = tmp_path / "quit-grading.db"
    child = subprocess.Popen(
        [sys.executable, "-c", _QUIT_WHILE_GRADING, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
    )
    try:
        # The grader never returns: the process can only end if quitting does not wait for it.
        out, _ = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert out.split() == ["grading", "closed", "exited"]
    assert child.returncode == 0
    assert answers_in(db) == [("An answer graded forever.", False)]


async def test_starting_an_interview_on_a_locked_log_says_so_and_stays(
    tmp_path: Path, bank_report: LoadReport, lock_holder: list[Locker]
) -> None:
    db = tmp_path / "start-locked.db"
    store = open_store(db, busy_timeout=SHORT_WAIT)
    app = build_app(db, bank_report, store)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(app, pilot)
            lock_holder.append(Locker(db))
            await pilot.press("ctrl+s")  # Start, on the start screen
            await pilot.pause()
            assert isinstance(app.screen, ErrorDialog)
            text = str(app.screen.query_one(".dialog-text", Static).render())
            assert str(db) in text and "locked" in text
    finally:
        store.close()
    assert app.return_code in (None, 0)


# --- issue 21.2: quitting while an answer is held in memory only ---------------------------


def _fill(disk: Path, db: Path) -> Path:
    """Fill every byte left on `disk`; the log's write-ahead file is emptied so it must grow."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    with contextlib.suppress(OSError):
        while os.write(fd, b"\0" * 512):
            pass
    os.close(fd)
    return filler


async def _held_and_quit(disk: Path, bank_report: LoadReport, answer: str) -> InterviewApp:
    """A mock interview on `disk`, filled once it has started; `answer` held, then quit."""
    db = disk / "sessions.db"
    store = open_store(db, busy_timeout=SHORT_WAIT)
    app = build_app(db, bank_report, store, count=3, seed=4, mode=Mode.MOCK)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await settle(app, pilot)
            _fill(disk, db)
            await _quit_while_held(app, pilot, answer)
    finally:
        store.close()
    return app


async def _quit_while_held(app: InterviewApp, pilot: object, answer: str) -> None:
    """Hold `answer` (the disk is full), Ctrl+Q: asked; Stay keeps it; Ctrl+Q, y: quits."""
    burst(app, answer, "ctrl+s")
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, InterviewScreen)
    assert [h.text for h in screen.held_answers()] == [answer]
    await pilot.press("ctrl+q")  # type: ignore[attr-defined]
    assert isinstance(app.screen, ConfirmDialog) and app.is_running
    await pilot.press("n")  # type: ignore[attr-defined]
    assert app.screen is screen and app.is_running
    assert screen.query_one(AnswerEditor).text == answer
    await pilot.press("ctrl+q")  # type: ignore[attr-defined]
    await pilot.press("y")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_quitting_while_an_answer_is_held_asks_then_writes_it_to_a_recovery_file(
    small_disk: Path,
    bank_report: LoadReport,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl+Q with an answer stored nowhere exited at once (status 0) and the answer was lost."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    answer = "Held answer: «exact» text, kept as typed."
    app = await _held_and_quit(small_disk, bank_report, answer)
    assert app.return_code == 1
    [recovery] = list(home.glob("mock-interview-unsaved-*.txt"))
    assert answer in recovery.read_text(encoding="utf-8")
    said = (
        f"Your unsaved answer(s) were written to {recovery}. They are not in the session log: "
        "copy them from there."
    )
    # Printed once the app has closed (Rich wraps it to the terminal's width).
    assert "".join(capsys.readouterr().err.split()) == "".join(said.split())


async def test_with_no_writable_folder_the_held_answer_is_printed_after_quitting(
    small_disk: Path,
    bank_report: LoadReport,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The recovery places are all on the full disk: the text goes to the terminal instead."""
    import assistant.interview.recovery as recovery

    monkeypatch.setattr(recovery, "recovery_places", lambda: [small_disk])
    answer = "Nothing can be written: print me."
    app = await _held_and_quit(small_disk, bank_report, answer)
    assert app.return_code == 1
    printed = " ".join(capsys.readouterr().err.split())
    assert printed.startswith("No folder could be written") and answer in printed
    assert not list(small_disk.glob("mock-interview-unsaved-*"))


async def test_editing_keys_sent_at_once_keep_their_place(
    tmp_path: Path, bank_report: LoadReport
) -> None:
    """Issue 21.5: "abc", Backspace, Backspace, "q" sent at once gave "ab" (Textual ran the
    Backspace bindings after the "q" behind them); End, Backspace x2, "3" in the start
    screen's number field left it empty."""
    from textual.widgets import Input

    from assistant.screens.start import StartScreen

    app = build_app(tmp_path / "keys.db", bank_report)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, StartScreen)
        count = app.screen.query_one("#count", Input)
        count.focus()
        await pilot.pause()
        send_at_once(app, ["end", "backspace", "backspace", "3"])
        await pilot.pause()
        await pilot.pause()
        assert count.value == "3"
    interview = build_app(tmp_path / "keys2.db", bank_report, count=2, seed=4, mode=Mode.MOCK)
    async with interview.run_test(size=(100, 32)) as pilot:
        await settle(interview, pilot)
        editor = interview.screen.query_one(AnswerEditor)
        send_at_once(interview, ["a", "b", "c", "backspace", "backspace", "q", "left", "x"])
        await pilot.pause()
        await pilot.pause()
        assert editor.text == "axq"
