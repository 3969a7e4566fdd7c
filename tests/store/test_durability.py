"""No submitted answer is lost: not to SIGKILL, nor to a second instance writing at once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from assistant.store import open_store
from tests.conftest import REPO

# A child interview: records turns one by one and prints each id once record_turn has returned.
_INTERVIEW = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from assistant.grading.grade import Grade, Verdict
from assistant.store import open_store

store = open_store(Path(sys.argv[1]))
count = int(sys.argv[2])
session_id = store.start_session(
    mode="practice", lang="en", settings={}, model_id="m", bank_version="1"
)
print("session", session_id, flush=True)
if sys.argv[3] == "wait":
    sys.stdin.readline()
for order in range(1, count + 1):
    now = datetime.now(UTC)
    turn_id = store.record_turn(
        session_id,
        order=order,
        question_id=f"q{order % 5}",
        question_text="Question?",
        reference_answer="Reference.",
        category="fundamentals",
        answer=f"answer {order}",
        grade=Grade(score=order % 101, verdict=Verdict.PARTIAL),
        shown_at=now,
        submitted_at=now,
    )
    print(turn_id, flush=True)
"""


def _interview(db_path: Path, count: int, *, wait: bool) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _INTERVIEW, str(db_path), str(count), "wait" if wait else "go"],
        cwd=REPO,
        stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )


def _session_id(child: subprocess.Popen[str]) -> int:
    assert child.stdout is not None
    word, number = child.stdout.readline().split()
    assert word == "session"
    return int(number)


def test_the_log_is_in_wal_mode(db_path: Path) -> None:
    open_store(db_path).close()

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.close()


def test_sigkill_loses_no_submitted_turn(db_path: Path) -> None:
    with _interview(db_path, 1_000_000, wait=False) as child:
        assert child.stdout is not None
        session_id = _session_id(child)
        printed = [int(child.stdout.readline()) for _ in range(3)]

        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        child.wait()
    # Whole lines only: a line cut by the kill was not a completed print.
    printed += [int(line) for line in rest.splitlines(keepends=True) if line.endswith("\n")]

    assert child.returncode == -signal.SIGKILL  # killed mid-interview, not finished
    with open_store(db_path) as store:
        detail = store.get_session(session_id)
        states = store.learning_states()
    assert detail is not None
    stored = [t.id for t in detail.turns]
    assert set(printed) <= set(stored)
    # Each turn and its learning-state update commit together: they agree after the kill.
    graded = sum(1 for t in detail.turns if t.grade is not None)
    assert sum(s.attempts for s in states.values()) == graded == len(stored)
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_two_instances_writing_at_once_keep_all_their_turns(db_path: Path) -> None:
    open_store(db_path).close()  # created up front so neither child races to migrate
    turns_each = 150
    children = [_interview(db_path, turns_each, wait=True) for _ in range(2)]
    session_ids = [_session_id(child) for child in children]

    # Both are open and waiting: release them together so their writes interleave.
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate()[0] for child in children]

    assert [child.returncode for child in children] == [0, 0]
    printed = [[int(line) for line in output.split()] for output in outputs]
    with open_store(db_path) as store:
        details = [store.get_session(session_id) for session_id in session_ids]
        states = store.learning_states()
    for detail, ids in zip(details, printed, strict=True):
        assert detail is not None
        assert [t.id for t in detail.turns] == ids
        assert len(ids) == turns_each
    assert len(set(printed[0]) | set(printed[1])) == 2 * turns_each
    # The two wrote the same questions' learning state; every review of both is counted.
    assert sum(s.attempts for s in states.values()) == 2 * turns_each
