"""A 1 MB paste, from Ctrl+S to the answer stored and to its grade stored, with the real model.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/paste.py [--chars 1000000] [--runs 3]

The app runs headless (Textual's test driver) on a temporary session log with the bundled
grader loaded first; the paste is put in the editor, Ctrl+S is pressed, and the clock runs until
the turn is in the log, then until its grade is. Prints each run and the median.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.app import make_app  # noqa: E402
from assistant.grading.pipeline import load_grader  # noqa: E402
from assistant.interview.flow import InterviewSettings, Mode  # noqa: E402
from assistant.knowledge.loader import load_bank  # noqa: E402
from assistant.settings import Settings, shipped_bank_dir  # noqa: E402
from assistant.store import open_store  # noqa: E402
from assistant.widgets.answer_editor import AnswerEditor  # noqa: E402


async def one_run(chars: int, grader: object, report: object) -> tuple[float, float]:
    """(seconds to stored, seconds to graded) for one paste of `chars` characters."""
    folder = Path(tempfile.mkdtemp())
    store = open_store(folder / "sessions.db")
    settings = Settings.from_env(db=folder / "sessions.db")
    app = make_app(
        settings,
        report,  # type: ignore[arg-type]
        store,
        grader_loader=lambda: grader,
        interview=InterviewSettings(count=2, seed=1, mode=Mode.MOCK),
    )
    text = ("The live data shifts, so accuracy drops; we compare it with training. " * 20_000)[
        :chars
    ]
    async with app.run_test(size=(100, 32)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.screen.query_one(AnswerEditor).text = text
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("ctrl+s")
        stored = graded = 0.0
        while not graded:
            await asyncio.sleep(0.01)
            sessions = store.list_sessions()
            if not stored and sessions and sessions[0].turn_count:
                stored = time.perf_counter() - started
            if sessions and sessions[0].graded_count:
                graded = time.perf_counter() - started
    store.close()
    return stored, graded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    report = load_bank([shipped_bank_dir()])
    settings = Settings.from_env(db=Path(tempfile.mkdtemp()) / "x.db")
    grader = load_grader(settings, report.bank.version)
    results = [asyncio.run(one_run(args.chars, grader, report)) for _ in range(args.runs)]
    for n, (stored, graded) in enumerate(results, 1):
        print(f"run {n}: stored {stored:.2f} s, graded {graded:.2f} s")
    print(
        f"{args.chars:,}-character paste, median: stored "
        f"{statistics.median(r[0] for r in results):.2f} s (target < 1 s), graded "
        f"{statistics.median(r[1] for r in results):.2f} s (target < 2 s)"
    )


if __name__ == "__main__":
    main()
