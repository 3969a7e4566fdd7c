"""Blocking work the app awaits but never waits for when it exits.

Textual's thread workers run on asyncio's default executor, and both `asyncio.run` and the
interpreter join that executor's threads at exit: quitting during a long grading would hang
until the grade is done. A thread cannot be killed, so such work runs here instead, in a daemon
thread whose result is handed back to the event loop, and dropped if the awaiting task was
cancelled or the loop is gone. The work itself must therefore never write anything the app owns
(the session log is written by the awaiting task, on the UI thread, after the result is back).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def detached(work: Callable[[], T], *, name: str = "detached") -> T:
    """Run `work` in a daemon thread and return (or raise) its outcome.

    Cancelling the awaiting task returns at once; the thread runs on and its outcome is dropped.
    """
    loop = asyncio.get_running_loop()
    outcome: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if outcome.done():  # cancelled: nobody wants it any more
            return
        if error is not None:
            outcome.set_exception(error)
        else:
            outcome.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = work()
        except BaseException as exc:  # handed to the awaiting task, which decides
            error = exc
        # A closed loop raises: the app has exited and the outcome is not wanted.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(settle, result, error)

    threading.Thread(target=run, name=name, daemon=True).start()
    return await outcome
