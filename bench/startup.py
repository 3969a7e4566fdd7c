"""Time from process start to the first question on screen, in a real terminal (tmux).

Runs, in the same session, a minimal one-line Textual app and `mock-interview --questions 3`
(which skips the start screen), each several times, polling `tmux capture-pane` until the
expected text is on screen. Prints the medians and their ratio (target: <= 1.5).

The app is run as `python -m assistant` from this checkout (PYTHONPATH set to it), so the code
measured is the code beside this script, not whichever copy the virtualenv has installed.

    .venv/bin/python bench/startup.py [--runs 11]
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

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def time_to_text(command: str, expected: str, env: dict[str, str], timeout: float = 60) -> float:
    """Seconds from starting `command` in a fresh tmux session until `expected` is on screen."""
    session = f"bench{os.getpid()}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    # Bytecode is cached as an installed package's is (a PYTHONDONTWRITEBYTECODE inherited
    # from the tmux server would recompile this checkout's modules on every start).
    env_prefix = "-u PYTHONDONTWRITEBYTECODE " + " ".join(f"{k}={v}" for k, v in env.items())
    tmux_new = ["tmux", "new", "-d", "-s", session, "-x", "100", "-y", "30"]
    for attempt in range(5):
        start = time.perf_counter()
        started = subprocess.run([*tmux_new, f"env {env_prefix} {command}"], capture_output=True)
        if started.returncode == 0:
            break
        # The tmux server left with the last session killed, and may still be going away:
        # "server exited unexpectedly". A new one is started on the next try.
        time.sleep(0.1 * (attempt + 1))
    else:
        raise RuntimeError(f"tmux could not start: {started.stderr.decode().strip()}")
    try:
        while time.perf_counter() - start < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if expected in screen:
                return time.perf_counter() - start
            time.sleep(0.01)
        raise TimeoutError(f"{expected!r} not seen within {timeout} s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def app_env(home: Path) -> dict[str, str]:
    """The environment the app is timed in: its own user folders under `home`, offline, this
    checkout's code."""
    return {
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "HF_HUB_OFFLINE": "1",
        "TERM": "xterm-256color",
        "PYTHONPATH": str(ROOT),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed: apt-get install tmux")
    home = Path(tempfile.mkdtemp())
    env = app_env(home)
    minimal = f"{BIN / 'python'} {ROOT / 'bench' / 'minimal_app.py'}"
    app = f"{BIN / 'python'} -m assistant --questions 3 --seed 1"
    # One warm-up of each, so both read their files from the page cache.
    time_to_text(minimal, "minimal app ready", env)
    time_to_text(app, "Question 1 of 3", env)
    base, ours = [], []
    for _ in range(args.runs):
        base.append(time_to_text(minimal, "minimal app ready", env))
        ours.append(time_to_text(app, "Question 1 of 3", env))
    b, o = statistics.median(base), statistics.median(ours)
    print(f"minimal Textual app, first line on screen: median {b:.3f} s over {args.runs} runs")
    print(f"mock-interview, first question on screen:  median {o:.3f} s over {args.runs} runs")
    print(f"ratio: {o / b:.2f} (target <= 1.5)")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
