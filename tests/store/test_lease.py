"""One session, one window: the lease that stops a session open in one window being resumed in
another (issue 21.3), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from assistant.settings import DatabaseTarget
from assistant.store import SessionStore, open_store
from assistant.store.lease import LEASE
from tests.store.conftest import NewSession, RecordTurn


@pytest.fixture
def other_window(target: DatabaseTarget) -> Iterator[SessionStore]:
    """A second window on the same log, as the same candidate."""
    with open_store(target) as opened:
        yield opened


def test_a_session_held_by_one_window_is_not_offered_to_another(
    store: SessionStore, other_window: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    sid = new_session()
    record(sid, "q1")
    assert store.hold_session(sid)
    offered = other_window.unfinished_session()
    assert offered is not None and offered.id == sid and offered.open_elsewhere
    assert not other_window.hold_session(sid)
    # The holder itself sees it as its own, and renews it.
    mine = store.unfinished_session()
    assert mine is not None and not mine.open_elsewhere
    assert store.hold_session(sid)


def test_a_released_session_can_be_resumed_elsewhere_at_once(
    store: SessionStore, other_window: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    sid = new_session()
    record(sid, "q1")
    assert store.hold_session(sid)
    store.release_session(sid)
    offered = other_window.unfinished_session()
    assert offered is not None and not offered.open_elsewhere
    assert other_window.hold_session(sid)
    # The first window now finds it taken.
    assert not store.hold_session(sid)


def test_a_holder_that_died_frees_the_session_when_its_lease_runs_out(
    store: SessionStore, other_window: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    sid = new_session()
    record(sid, "q1")
    long_ago = datetime.now(UTC) - LEASE * 2
    assert store.hold_session(sid, now=long_ago)  # its last renewal; then it died
    offered = other_window.unfinished_session()
    assert offered is not None and not offered.open_elsewhere
    assert other_window.hold_session(sid)
    # Had it only been asleep, its next renewal learns the session is elsewhere now.
    assert not store.hold_session(sid)


def test_a_session_started_held_is_held_and_a_finished_one_is_released(
    store: SessionStore, other_window: SessionStore, record: RecordTurn
) -> None:
    sid = store.start_session(
        mode="mock", lang="fr", settings={}, model_id="m", bank_version="b", hold=True
    )
    record(sid, "q1")
    assert not other_window.hold_session(sid)
    store.finish_session(sid, "abandoned")
    # Finished: nothing to hold, by anyone.
    assert not other_window.hold_session(sid) and not store.hold_session(sid)
    assert other_window.unfinished_session() is None


def test_two_windows_asking_at_once_get_one_holder(
    target: DatabaseTarget, new_session: NewSession, record: RecordTurn
) -> None:
    sid = new_session()
    record(sid, "q1")
    windows = [open_store(target) for _ in range(6)]
    won: list[bool] = []
    start = threading.Barrier(len(windows))

    def ask(window: SessionStore) -> None:
        start.wait()
        won.append(window.hold_session(sid))

    threads = [threading.Thread(target=ask, args=(w,)) for w in windows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for window in windows:
        window.close()
    assert sorted(won) == [False] * 5 + [True]
