"""A mentor settles disputed grades on the Cohort tab, driven by a Pilot on a real SQLite log:
alice disputed her grade of the drift question, and mia (a mentor) accepts or rejects it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from assistant.grading.grade import Coverage
from assistant.knowledge.loader import Bank, LoadReport
from assistant.screens.cohort import CohortView
from assistant.screens.settle import SettleDialog
from assistant.store import SessionStore, open_store
from assistant.store.records import DisputeStatus
from tests.cohort_log import PLANS, fill_cohort
from tests.ui.conftest import send_at_once
from tests.ui.test_cohort_tab import review_app, review_screen, rows, settled

DRIFT = "model-and-concept-drift"
DISPUTED_AT = datetime(2025, 4, 20, 10, 0, tzinfo=UTC)
REASON = "I named the causes [bold]and[/bold] said we monitor it"
"""alice's reason, with what would be markup if it were read as markup."""
MARKS = {"model-drift-causes": Coverage.COVERED, "drift-needs-monitoring": Coverage.COVERED}
"""alice's marks: two key points the grader marked missed (1 of 5 covered: 20; 3 of 5: 60)."""


@pytest.fixture(autouse=True)
def utc_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so dates on screen are the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def dispute_drift(alice: SessionStore) -> tuple[int, int]:
    """alice disputes her first answer to the drift question (scored 20): (turn id, dispute id)."""
    first = alice.list_sessions()[-1]
    detail = alice.get_session(first.id)
    assert detail is not None
    [turn] = [t for t in detail.turns if t.question_id == DRIFT]
    assert turn.grade is not None and turn.grade.score == 20
    dispute = alice.dispute_turn(turn.id, MARKS, REASON, now=DISPUTED_AT)
    assert dispute is not None and dispute.grade.score == 60
    return turn.id, dispute.id


def cohort_with_a_dispute(path: Path, bank: Bank) -> tuple[int, int]:
    """The three candidates' log (tests/cohort_log.py) at `path`, and alice's dispute."""
    stores = {name: open_store(path, candidate=name) for name in PLANS}
    try:
        fill_cohort(stores, bank)
        return dispute_drift(stores["alice"])
    finally:
        for store in stores.values():
            store.close()


@pytest.fixture
def disputed(tmp_path: Path, bank_report: LoadReport) -> tuple[Path, int, int]:
    """(the log, alice's disputed turn, her dispute)."""
    path = tmp_path / "cohort.db"
    return (path, *cohort_with_a_dispute(path, bank_report.bank))


def mentor_store(path: Path, name: str) -> SessionStore:
    return open_store(path, candidate=name, mentors=frozenset({name}))


def shown(static: Static) -> str:
    """What a Static reads as, plain: no style, no highlighting, on a wide console."""
    content = static.content
    if isinstance(content, str):
        return content
    console = Console(width=200, color_system=None)
    with console.capture() as captured:
        console.print(content)
    return captured.get()


async def open_cohort(pilot: Pilot[Any]) -> CohortView:
    """The review screen's Cohort tab, read."""
    await settled(pilot)
    await pilot.press("c")
    await settled(pilot)
    return review_screen(pilot.app).query_one(CohortView)


async def test_a_mentor_accepts_a_dispute_with_a_note(
    disputed: tuple[Path, int, int], bank_report: LoadReport
) -> None:
    db, turn_id, dispute_id = disputed
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        view = await open_cohort(pilot)
        title = shown(view.query_one("#cohort-disputes-title", Static))
        assert "waiting for a mentor: 1" in title
        [row] = rows(view.disputes_table)
        assert row[:4] == [
            "alice",
            "What is model drift, and what is concept drift?",
            "2025-04-20",
            "20 → 60",
        ]
        assert row[4] == REASON  # literally, brackets and all
        assert app.focused is view.disputes_table  # a dispute waits: the list comes first

        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SettleDialog)
        assert shown(dialog.query_one("#settle-title", Static)).startswith(
            "alice's grade, disputed: the grader gave 20, the candidate 60"
        )
        answer = shown(dialog.query_one("#settle-answer", Static))
        assert "alice's answer to model-and-concept-drift" in answer
        assert REASON in answer
        points = shown(dialog.query_one("#settle-points", Static)).splitlines()
        assert points[-1].strip() == "» the candidate changed this mark"  # the legend
        changed = [line for line in points[:-1] if line.startswith("»")]
        # The two marks alice changed stand out; the three she kept do not.
        assert len(changed) == 2
        assert all("✘ missed" in line and "✔ covered" in line for line in changed)
        assert any("Drift is caused by" in line for line in changed)
        assert sum("✘ missed   ✘ missed" in line for line in points) == 2

        await pilot.press("n")
        assert isinstance(app.focused, Input)
        await pilot.press("a")  # in the note, a letter is the note's, not a ruling
        assert app.screen is dialog
        await pilot.press("space", *"fair", "space", *"point")
        await pilot.press("enter", "a")  # Enter ends the note; a accepts
        await settled(pilot)
        assert review_screen(app) is app.screen
        assert view.disputes_table.row_count == 0 and not view.disputes_table.display
        assert "No disputed grade" in shown(view.query_one("#cohort-disputes-title", Static))
        ruling = shown(view.ruling_line)
        assert "You accepted alice's grade (20 → 60)." in ruling

        await pilot.press("v")  # settled ones too, with their outcome
        await settled(pilot)
        [row] = rows(view.disputes_table)
        assert row[0] == "alice" and row[4] == "accepted · mia"

    with mentor_store(db, "max") as store:
        [record] = store.dispute_history(turn_id)
    assert record.id == dispute_id
    assert (record.status, record.settled_by, record.note) == (
        DisputeStatus.ACCEPTED,
        "mia",
        "a fair point",
    )


async def test_another_mentor_settled_it_first_and_the_screen_says_so(
    disputed: tuple[Path, int, int], bank_report: LoadReport
) -> None:
    db, turn_id, dispute_id = disputed
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        view = await open_cohort(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettleDialog)
        # max accepts it while mia reads it.
        with mentor_store(db, "max") as store:
            store.settle_dispute(dispute_id, accept=True, note="ok")
        await pilot.press("r")
        await settled(pilot)
        assert review_screen(app) is app.screen
        ruling = shown(view.ruling_line)
        assert "max already accepted this dispute" in ruling
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("max already accepted this dispute") for m in messages)
        # The list is read again: the dispute no longer waits.
        assert view.disputes_table.row_count == 0
    with mentor_store(db, "mia") as store:
        [record] = store.dispute_history(turn_id)
    assert (record.status, record.settled_by, record.note) == (DisputeStatus.ACCEPTED, "max", "ok")


async def test_the_overrule_table_names_the_question_and_the_key_points_disputed(
    disputed: tuple[Path, int, int], bank_report: LoadReport
) -> None:
    db, _, _ = disputed
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        view = await open_cohort(pilot)
        table = shown(view.query_one("#cohort-overrules", Static))
    lines = [line.split() for line in table.splitlines() if line.strip()]
    assert "where the bank or the grader needs work" in table
    assert lines[1][:6] == ["Rate", "Disp.", "Acc.", "Rej.", "Graded", "Question"]
    # The question first (1 of its 16 graded answers disputed, still open), then its key
    # points alice changed.
    assert lines[2][:5] == ["6%", "1", "0", "0", "16"]
    assert " ".join(lines[2][5:]) == "What is model drift, and what is concept drift?"
    points = {" ".join(line[6:9]) for line in lines[3:5]}
    assert [line[:6] for line in lines[3:5]] == [["6%", "1", "0", "0", "16", "·"]] * 2
    assert points == {"Drift is caused", "Because of drift,"}
    assert len(lines) == 5


async def test_a_settled_dispute_opens_to_read_only(
    disputed: tuple[Path, int, int], bank_report: LoadReport
) -> None:
    db, turn_id, dispute_id = disputed
    with mentor_store(db, "max") as store:
        store.settle_dispute(dispute_id, accept=False, note="monitoring is not [i]named[/i]")
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        view = await open_cohort(pilot)
        assert not view.disputes_table.display
        await pilot.press("v")
        await settled(pilot)
        [row] = rows(view.disputes_table)
        assert row[4] == "rejected · max"
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SettleDialog)
        outcome = shown(dialog.query_one("#settle-outcome", Static))
        assert "max rejected this dispute" in outcome
        assert "monitoring is not [i]named[/i]" in outcome
        assert not dialog.query(Input)
        await pilot.press("a")  # nothing to rule
        assert app.screen is dialog
        await pilot.press("escape")
        await pilot.pause()
        assert review_screen(app) is app.screen
    with mentor_store(db, "mia") as store:
        [record] = store.dispute_history(turn_id)
    assert record.settled_by == "max" and record.status is DisputeStatus.REJECTED


async def test_a_note_typed_at_once_after_n_is_the_notes(
    disputed: tuple[Path, int, int], bank_report: LoadReport
) -> None:
    """Tried in tmux: `n` then "fair…" sent in one burst accepted the dispute on the "a" of
    "fair", with an empty note (the focus moved to the note after the queued keys)."""
    db, turn_id, _ = disputed
    app = review_app(db, bank_report, "mia", mentor=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_cohort(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SettleDialog)
        send_at_once(app, ["n", *"a fair one", "enter", "r"])
        await settled(pilot)
    with mentor_store(db, "max") as store:
        [record] = store.dispute_history(turn_id)
    assert (record.status, record.note) == (DisputeStatus.REJECTED, "a fair one")
