"""Driving the served coach in Debian's chromium with Playwright (no browser download).

xterm.js draws the terminal on a canvas, so the page holds no text to wait on: an init script
keeps every byte the app sends over the websocket, and waits look for words in it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright, Route

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's chromium; Playwright's own browser download is never used."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]

SCREEN_CAPTURE = """
(() => {
  window.__screen = "";
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.WebSocket = function (url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__screen += decoder.decode(new Uint8Array(event.data), { stream: true });
      }
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})();
"""
"""Keeps what the app draws (ANSI text) in `window.__screen`."""


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's chromium, headless; a clear failure when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run the README's test command (`make test`), which "
            "installs Debian's chromium, or `apt-get install -y chromium`."
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def open_coach(browser: Browser, url: str, elsewhere: list[str] | None = None) -> Page:
    """A page on the coach, recording what the app draws. Every request to another origin is
    refused (the machine is offline) and, when `elsewhere` is given, recorded there."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    own = urlsplit(url)

    def only_own_origin(route: Route) -> None:
        asked = urlsplit(route.request.url)
        if asked.netloc == own.netloc or asked.scheme in ("data", "blob"):
            route.continue_()
            return
        if elsewhere is not None:
            elsewhere.append(route.request.url)
        route.abort()

    page.route("**/*", only_own_origin)
    page.add_init_script(SCREEN_CAPTURE)
    page.goto(url)
    return page


def wait_for_text(page: Page, text: str, timeout_ms: float = 120_000) -> None:
    """Wait until the app has drawn `text`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("t => window.__screen.includes(t)", arg=text, timeout=timeout_ms)
    except PlaywrightTimeout:
        drawn = page.evaluate("window.__screen")
        plain = re.sub(r"\x1b(\[[0-9;?$<>]*[A-Za-z]|\][^\x07]*\x07)", "", drawn)
        pytest.fail(f"{text!r} never drawn; the app drew (last 2000 chars): {plain[-2000:]!r}")


def type_keys(page: Page, text: str) -> None:
    """Type into the app (the terminal's own input, not a click that would move the focus)."""
    page.focus(".xterm-helper-textarea")
    page.keyboard.type(text)


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServedCoach:
    """A running `mock-interview serve`."""

    process: subprocess.Popen[str]
    url: str
    """The URL it printed (with the token when it has one)."""
    port: int
    db: Path


@contextmanager
def served_coach(home: Path, options: Sequence[str] = ()) -> Iterator[ServedCoach]:
    """Run `mock-interview serve` on a free port with its own database and user directories;
    stopped (Ctrl+C) on the way out."""
    port = free_port()
    db = home / "sessions.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "HF_HUB_OFFLINE": "1",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port), "--db", str(db)]
    process = subprocess.Popen(
        [*command, *options], stdout=subprocess.PIPE, text=True, env=env, cwd=home
    )
    try:
        assert process.stdout is not None
        url = ""
        for printed in process.stdout:  # ends if the server stops before it serves
            found = re.search(r"Serving the mock-interview coach on (\S+)", printed)
            if found:
                url = found.group(1)
                break
        assert url, f"serve ended before serving (exit status {process.wait()})"
        yield ServedCoach(process, url, port, db)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tab_processes(serve_pid: int) -> list[int]:
    """The app processes textual-serve started for browser tabs (children of `serve`)."""
    import psutil

    tabs = []
    for child in psutil.Process(serve_pid).children(recursive=True):
        try:
            if "--served" in child.cmdline():
                tabs.append(child.pid)
        except psutil.NoSuchProcess:
            continue
    return tabs


def poll(condition: object, *, timeout: float, what: str) -> None:
    """Call `condition` until it returns true, or fail after `timeout` seconds saying `what`."""
    assert callable(condition)
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what} after {timeout:.0f} s")
        time.sleep(0.1)
