"""Start-up: the first screen is drawn as soon as it is laid out (issue 13, item 14).

Textual mounts the app inside a batch of updates and shows none of the frames computed in it; a
screen pushed from the app's `on_mount` was therefore drawn only at its next layout change (the
footer's keys, the clock), about a third of the time to the first question. Timing belongs in
`bench/startup.py`; these tests pin the cause: no screen is pushed inside that batch.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.app import InterviewApp
from assistant.interview.flow import InterviewSettings
from assistant.screens.interview import InterviewScreen
from assistant.screens.start import StartScreen
from tests.ui.conftest import AppFactory


def record_pushes(app: InterviewApp) -> list[tuple[str, int]]:
    """Each screen pushed, with the depth of Textual's update batch at that moment."""
    pushes: list[tuple[str, int]] = []
    push_screen = app.push_screen

    def recording(screen: Any, *args: Any, **kwargs: Any) -> Any:
        pushes.append((type(screen).__name__, app._batch_count))
        return push_screen(screen, *args, **kwargs)

    app.push_screen = recording  # type: ignore[method-assign]
    return pushes


@pytest.mark.parametrize(
    ("interview", "first_screen"),
    [(InterviewSettings(count=3, seed=1), InterviewScreen), (None, StartScreen)],
    ids=["interview", "start"],
)
async def test_the_first_screen_is_pushed_outside_the_start_up_batch(
    make_test_app: AppFactory, interview: InterviewSettings | None, first_screen: type
) -> None:
    app = make_test_app(interview)
    pushes = record_pushes(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, first_screen)
    assert pushes[0] == (first_screen.__name__, 0)
