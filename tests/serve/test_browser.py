"""The coach served to a real browser: Debian's chromium, headless, driven by Playwright.

Each test runs `mock-interview serve` as a user would, on a free port, with its own database
and user directories in a temporary folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from pathlib import Path

import aiohttp
from playwright.sync_api import sync_playwright

from tests.serve.browser import (
    launch_chromium,
    open_coach,
    poll,
    served_coach,
    tab_processes,
    type_keys,
    wait_for_text,
)

TOKEN = "test-token-0123456789abcdef"
NAME = "Ada [b]Lovelace[/b]"
"""Markup-looking on purpose: it must be recorded (and shown) as typed."""
ANSWER = (
    "MLOps applies DevOps practices to machine learning: it automates training, deployment "
    "and monitoring of models so they stay reliable in production."
)
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screens" / "served-interview.png"


def _graded_turns(db: Path) -> list[tuple[str | None, str, bool]]:
    """(candidate, answer, graded) of every turn in the log, read by SQL: the candidate column
    is what the mentor's view and each candidate's review read."""
    if not db.exists():
        return []
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        try:
            rows = conn.execute(
                "SELECT s.candidate, t.answer, t.grade_json IS NOT NULL FROM turn t "
                "JOIN interview_session s ON s.id = t.session_id ORDER BY t.id"
            ).fetchall()
        except sqlite3.OperationalError as error:
            # The file exists before the served app has created its tables: nothing yet.
            if "no such table" in str(error):
                return []
            raise
    return [(candidate, answer, bool(graded)) for candidate, answer, graded in rows]


def _loads_torch(pid: int) -> bool:
    """True when the process has torch's library mapped (it loaded a model)."""
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def test_a_candidate_answers_in_the_browser_and_the_turn_is_stored(tmp_path: Path) -> None:
    """Open the page with the token, give a name, answer the first question, send it with
    Ctrl+S: the turn is in the database, graded by the server's one model, under that name;
    the tab's own process never loaded the model; the page asked nothing of any other host."""
    with served_coach(tmp_path, ["--token", TOKEN]) as coach, sync_playwright() as playwright:
        assert coach.url.endswith(f"/?token={TOKEN}")
        browser = launch_chromium(playwright)
        elsewhere: list[str] = []
        page = open_coach(browser, coach.url, elsewhere)
        wait_for_text(page, "Your name")
        type_keys(page, NAME)
        wait_for_text(page, NAME)  # in the field, shown as typed; only then send Ctrl+S
        page.keyboard.press("Control+s")
        wait_for_text(page, "thanks for coming")
        type_keys(page, ANSWER)
        wait_for_text(page, ANSWER[:40])
        page.keyboard.press("Control+s")
        poll(
            lambda: (NAME, ANSWER, True) in _graded_turns(coach.db),
            timeout=180,
            what="the graded turn in the database",
        )
        wait_for_text(page, "Score ")
        if os.environ.get("SERVE_SCREENSHOT"):  # docs/screens/served-interview.png
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        [tab] = tab_processes(coach.process.pid)
        assert not _loads_torch(tab), "the tab loaded its own model"
        # Nothing left the server's own origin (the page loaded its font from a font CDN).
        assert elsewhere == []
        browser.close()


async def _websocket_status(url: str) -> int:
    """The status of a websocket handshake on `url` (101 when it is accepted)."""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url):
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def _statuses(base: str, paths: list[str]) -> list[int]:
    async with aiohttp.ClientSession() as session:
        statuses = []
        for path in paths:
            async with session.get(base + path) as response:
                statuses.append(response.status)
        return statuses


async def _tab_started_by(url: str, serve_pid: int) -> None:
    """Open the websocket at `url` and hold it until a tab process is running."""
    async with aiohttp.ClientSession() as session, session.ws_connect(url):
        poll(lambda: tab_processes(serve_pid), timeout=60, what="a tab process")


def test_a_request_without_the_token_is_refused_before_any_app_starts(tmp_path: Path) -> None:
    """Without the token, or with a wrong one, the page and the websocket get 403 and no app
    process is started; with it, the websocket starts one (so the check is what stopped it)."""
    with served_coach(tmp_path, ["--token", TOKEN, "--grading", "per-tab"]) as coach:
        base = f"http://127.0.0.1:{coach.port}"
        paths = ["/", "/?token=wrong-token-0123456789", "/static/js/textual.js"]
        assert asyncio.run(_statuses(base, paths)) == [403, 403, 403]
        ws = f"ws://127.0.0.1:{coach.port}/ws"
        assert asyncio.run(_websocket_status(ws)) == 403
        assert asyncio.run(_websocket_status(f"{ws}?token=wrong-token-0123456789")) == 403
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            response = browser.new_page().goto(f"{base}/")
            assert response is not None and response.status == 403
            browser.close()
        assert tab_processes(coach.process.pid) == []

        # The same websocket with the token starts the tab's app.
        asyncio.run(_tab_started_by(f"{ws}?token={TOKEN}", coach.process.pid))


def test_serving_beyond_loopback_prints_a_generated_token(tmp_path: Path) -> None:
    """Bound to every address without --token: a token is generated and is in the URL."""
    with served_coach(tmp_path, ["--host", "0.0.0.0", "--grading", "per-tab"]) as coach:
        assert "?token=" in coach.url
        token = coach.url.split("?token=", 1)[1]
        assert len(token) >= 16
