"""Memory per browser tab of `mock-interview serve`, with one shared grading model and with a
model per tab.

For each mode, serves the coach from this checkout, opens TABS tabs in Debian's chromium
(headless, Playwright), starts an interview in each and waits until each says its grading model
is ready; then prints the resident (RSS) and unique (USS: freed if the process ended) memory of
every tab process and of the grading service.

    .venv/bin/python bench/serve_memory.py [--tabs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The browser driving of the served tests, shared rather than copied.
from tests.serve.browser import (  # noqa: E402
    launch_chromium,
    open_coach,
    served_coach,
    tab_processes,
    type_keys,
    wait_for_text,
)

MB = 1024 * 1024


def measure(mode: str, tabs: int) -> None:
    """Open `tabs` tabs in `mode` and print the memory of each process."""
    with (
        tempfile.TemporaryDirectory() as home,
        served_coach(Path(home), ["--grading", mode]) as coach,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        pages = []
        for n in range(tabs):
            page = open_coach(browser, coach.url)
            wait_for_text(page, "Your name", timeout_ms=300_000)
            type_keys(page, f"Candidate {n}")
            wait_for_text(page, f"Candidate {n}")
            page.keyboard.press("Control+s")
            pages.append(page)
        for page in pages:
            wait_for_text(page, "Grading model ready", timeout_ms=600_000)
        tab_memory = [
            psutil.Process(pid).memory_full_info() for pid in tab_processes(coach.process.pid)
        ]
        services = [
            p
            for p in psutil.Process(coach.process.pid).children()
            if "assistant.serve.grading_service" in " ".join(p.cmdline())
        ]
        rss = [m.rss / MB for m in tab_memory]
        uss = [m.uss / MB for m in tab_memory]
        print(
            f"{mode}: {len(rss)} tabs; per tab RSS median {statistics.median(rss):.0f} MB "
            f"(each: {', '.join(f'{r:.0f}' for r in rss)}), "
            f"USS median {statistics.median(uss):.0f} MB"
        )
        for service in services:
            memory = service.memory_full_info()
            print(
                f"{mode}: grading service (once per server) RSS {memory.rss / MB:.0f} MB, "
                f"USS {memory.uss / MB:.0f} MB"
            )
        serve_rss = psutil.Process(coach.process.pid).memory_info().rss / MB
        print(f"{mode}: serve process RSS {serve_rss:.0f} MB")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tabs", type=int, default=3)
    args = parser.parse_args()
    for mode in ("shared", "per-tab"):
        measure(mode, args.tabs)


if __name__ == "__main__":
    main()
