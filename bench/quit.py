"""Time from Ctrl+Q to the end of the process, on an idle app, in a real terminal (tmux).

Starts `mock-interview --questions 3` in tmux, waits for the first question, sends Ctrl+Q and
times until the process has exited: one second after the first question (the grading model
is then being loaded) and once the model is loaded (the status line says so). Prints median
and max of each.

    PYTHONPATH=$PWD .venv/bin/python bench/quit.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import app_env

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
LOADED = "Grading model ready"
"""Part of the status line once the model is loaded (English)."""
LOADING_DELAY = 1.0
"""Seconds after the first question before quitting "while loading": the log is open and the
model load has begun by then (it takes 3-5 s)."""


def _screen(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def _wait_for(session: str, text: str, timeout: float) -> None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _screen(session):
            return
        time.sleep(0.02)
    raise TimeoutError(f"{text!r} not seen within {timeout} s:\n{_screen(session)}")


def time_to_quit(env: dict[str, str], *, loaded: bool, timeout: float = 90) -> float:
    """Seconds from sending Ctrl+Q to the app's process having exited."""
    session = f"quit{os.getpid()}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    done = Path(tempfile.mkdtemp()) / "done"
    env_prefix = " ".join(f"{k}={v}" for k, v in env.items())
    # The shell touches `done` the moment the app's process has ended.
    command = f"env {env_prefix} {PYTHON} -m assistant --questions 3 --seed 1; touch {done}"
    tmux_new = ["tmux", "new", "-d", "-s", session, "-x", "100", "-y", "30"]
    subprocess.run([*tmux_new, command], check=True, cwd=ROOT)
    try:
        _wait_for(session, "Question 1 of 3", timeout)
        if loaded:
            _wait_for(session, LOADED, timeout)
        else:
            time.sleep(LOADING_DELAY)
            assert LOADED not in _screen(session), "the model loaded too soon to measure"
        start = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "C-q"], check=True)
        while not done.exists():
            if time.perf_counter() - start > timeout:
                raise TimeoutError(f"still running {timeout} s after Ctrl+Q")
            time.sleep(0.005)
        return time.perf_counter() - start
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
        shutil.rmtree(done.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed: apt-get install tmux")
    env = {
        **app_env(home := Path(tempfile.mkdtemp())),
        "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT)),
    }
    time_to_quit(env, loaded=True)  # warm-up: files in the page cache, the bank cache built
    for loaded, when in ((False, "model loading"), (True, "model loaded")):
        times = [time_to_quit(env, loaded=loaded) for _ in range(args.runs)]
        print(
            f"Ctrl+Q to exit, {when}: median {statistics.median(times):.3f} s, "
            f"max {max(times):.3f} s over {args.runs} runs"
        )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
