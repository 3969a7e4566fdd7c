"""An interview app killed with SIGKILL loses no answer it had accepted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from assistant.store import open_store
from tests.conftest import REPO

# The real app, headless, with its real SQLite file: answers three questions in mock mode,
# printing a line each time the editor has been cleared (the answer accepted), then waits to
# be killed in the middle of the interview.
_CHILD = """
import asyncio, sys
from pathlib import Path

from assistant.app import make_app
from assistant.interview.flow import InterviewSettings, Mode
from assistant.knowledge.loader import load_bank
from assistant.settings import Settings, shipped_bank_dir
from assistant.store import open_store
from assistant.widgets.answer_editor import AnswerEditor
from tests.fakes import KeywordGrader

db = Path(sys.argv[1])
settings = Settings.from_env(db=db)
app = make_app(
    settings,
    load_bank([shipped_bank_dir()]),
    lambda: open_store(db),
    grader_loader=KeywordGrader,
    interview=InterviewSettings(count=5, seed=4, mode=Mode.MOCK),
)

async def main() -> None:
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for n in range(1, 4):
            editor = app.screen.query_one(AnswerEditor)
            editor.text = f"answer number {n} about monitoring and drift"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert editor.text == ""
            print("accepted", n, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

asyncio.run(main())
"""


def test_sigkill_mid_interview_keeps_every_accepted_answer(tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert child.stdout is not None
    accepted = [child.stdout.readline().strip() for _ in range(3)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert accepted == ["accepted 1", "accepted 2", "accepted 3"]
    assert child.returncode == -signal.SIGKILL

    with open_store(db) as store:
        (session,) = store.list_sessions()
        assert session.status.value == "in-progress"  # offered for resumption next time
        detail = store.get_session(session.id)
        assert detail is not None
        assert [t.answer for t in detail.turns] == [
            f"answer number {n} about monitoring and drift" for n in (1, 2, 3)
        ]
