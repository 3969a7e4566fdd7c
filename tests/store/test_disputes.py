"""Disputes: a candidate overrules a grade, the log keeps both, and a mentor settles it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.grading.grade import Coverage
from assistant.settings import DatabaseTarget
from assistant.store import SessionStore, open_store
from assistant.store.migrations import SCHEMA_VERSION, upgrade
from assistant.store.records import DisputeStatus, TurnRecord
from assistant.store.repository import DisputeError, DisputeSettledError, NotAMentorError
from tests.store.conftest import T0, graded_answer

COVERED_BOTH = {"drift": Coverage.COVERED, "monitor": Coverage.COVERED}
"""The candidate's marks: both key points covered (the machine missed "monitor")."""


@pytest.fixture
def people(target: DatabaseTarget) -> Iterator[dict[str, SessionStore]]:
    """ada (a candidate), and two mentors, mia and max, on one log."""
    mentors = frozenset({"mia", "max"})
    opened = {
        name: open_store(target, candidate=name, mentors=mentors) for name in ("ada", "mia", "max")
    }
    yield opened
    for store in opened.values():
        store.close()


def _answer(store: SessionStore, score: int = 50, question_id: str = "q1", days: int = 0) -> int:
    return graded_answer(store, score=score, question_id=question_id, days=days)


def _turn(store: SessionStore, turn_id: int) -> TurnRecord:
    """The candidate's turn `turn_id`, as the review screen reads it."""
    for summary in store.list_sessions():
        detail = store.get_session(summary.id)
        assert detail is not None
        for turn in detail.turns:
            if turn.id == turn_id:
                return turn
    raise AssertionError(f"no turn {turn_id}")


def test_the_candidates_grade_counts_and_the_machines_is_kept(
    people: dict[str, SessionStore],
) -> None:
    ada = people["ada"]
    turn_id = _answer(ada, 50)
    due_before = ada.learning_states()["q1"].due

    dispute = ada.dispute_turn(turn_id, COVERED_BOTH, "  I did say  we monitor it ")

    assert dispute is not None and dispute.status is DisputeStatus.OPEN
    assert (dispute.grade.score, dispute.reason) == (100, "I did say we monitor it")
    turn = _turn(ada, turn_id)
    assert turn.grade is not None and turn.grade.score == 50  # the machine's, untouched
    assert [p.status for p in turn.grade.key_points] == [Coverage.COVERED, Coverage.MISSED]
    assert (turn.score, turn.own_grade is not None) == (100, True)
    [summary] = ada.list_sessions()
    assert summary.average_score == 100.0
    assert ada.own_grade_count() == 1 and people["mia"].own_grade_count() == 0
    state = ada.learning_states()["q1"]
    assert (state.last_score, state.best_score) == (100, 100)
    assert state.due > due_before  # a better grade pushes the next review out


def test_the_machines_marks_withdraw_and_new_marks_replace_keeping_the_history(
    people: dict[str, SessionStore], target: DatabaseTarget
) -> None:
    ada = people["ada"]
    turn_id = _answer(ada, 50)
    first = ada.dispute_turn(turn_id, COVERED_BOTH)
    second = ada.dispute_turn(turn_id, {"monitor": Coverage.PARTIAL})
    assert first is not None and second is not None
    assert second.grade.score == 75 and _turn(ada, turn_id).score == 75

    assert ada.dispute_turn(turn_id, {"monitor": Coverage.MISSED}) is None
    assert ada.own_grade_count() == 0

    assert _turn(ada, turn_id).score == 50
    assert ada.list_sessions()[0].average_score == 50.0
    assert ada.learning_states()["q1"].last_score == 50
    everything = people["mia"].disputed_answers(list(DisputeStatus))
    # Only the newest dispute of an answer is listed: the withdrawn one.
    assert [a.dispute.status for a in everything] == [DisputeStatus.WITHDRAWN]
    history = people["mia"].dispute_history(turn_id)
    assert [d.status for d in history] == [
        DisputeStatus.REPLACED,
        DisputeStatus.WITHDRAWN,
    ]
    assert [d.grade.score for d in history] == [100, 75]


def test_a_mentor_rejecting_puts_the_machines_grade_back_in_the_schedule(
    people: dict[str, SessionStore],
) -> None:
    ada, mia = people["ada"], people["mia"]
    turn_id = _answer(ada, 50)
    due_machine = ada.learning_states()["q1"].due
    dispute = ada.dispute_turn(turn_id, COVERED_BOTH)
    assert dispute is not None
    [listed] = mia.disputed_answers()
    assert (listed.candidate, listed.turn.id, listed.dispute.id) == ("ada", turn_id, dispute.id)

    ruled = mia.settle_dispute(dispute.id, accept=False, note="monitoring is  not named")

    assert (ruled.status, ruled.settled_by, ruled.note) == (
        DisputeStatus.REJECTED,
        "mia",
        "monitoring is not named",
    )
    turn = _turn(ada, turn_id)
    assert turn.score == 50 and turn.dispute is not None
    assert turn.dispute.status is DisputeStatus.REJECTED  # the candidate sees the outcome
    assert ada.learning_states()["q1"].due == due_machine
    assert mia.disputed_answers() == []
    with pytest.raises(DisputeSettledError, match="mia already rejected"):
        ada.dispute_turn(turn_id, {"monitor": Coverage.PARTIAL})


def test_an_accepted_dispute_keeps_the_candidates_grade(people: dict[str, SessionStore]) -> None:
    ada, max_ = people["ada"], people["max"]
    turn_id = _answer(ada, 50)
    dispute = ada.dispute_turn(turn_id, COVERED_BOTH)
    assert dispute is not None
    max_.settle_dispute(dispute.id, accept=True)
    assert _turn(ada, turn_id).score == 100
    assert ada.learning_states()["q1"].last_score == 100


def test_only_another_mentor_settles(people: dict[str, SessionStore]) -> None:
    ada, mia = people["ada"], people["mia"]
    turn_id = _answer(ada, 50)
    dispute = ada.dispute_turn(turn_id, COVERED_BOTH)
    assert dispute is not None
    with pytest.raises(NotAMentorError):
        ada.settle_dispute(dispute.id, accept=True)
    own = _answer(mia, 40, days=1)
    mine = mia.dispute_turn(own, COVERED_BOTH)
    assert mine is not None
    with pytest.raises(DisputeError, match="does not settle their own"):
        mia.settle_dispute(mine.id, accept=True)
    with pytest.raises(DisputeError, match="no answer"):
        ada.dispute_turn(own, COVERED_BOTH)  # not ada's answer


def test_an_answer_without_a_grade_or_with_an_unknown_key_point_is_refused(
    people: dict[str, SessionStore],
) -> None:
    ada = people["ada"]
    turn_id = _answer(ada)
    with pytest.raises(DisputeError, match="no key point 'nope'"):
        ada.dispute_turn(turn_id, {"nope": Coverage.COVERED})
    sid = ada.start_session(mode="mock", lang="en", settings={}, model_id="m", bank_version="1")
    ungraded = ada.record_turn(
        sid,
        order=1,
        question_id="q2",
        question_text="Q?",
        reference_answer="R.",
        category="c",
        answer="later",
        shown_at=T0,
        submitted_at=T0,
    )
    with pytest.raises(DisputeError, match="no grade yet"):
        ada.dispute_turn(ungraded, COVERED_BOTH)


def test_two_mentors_settling_at_once_one_wins_and_the_other_is_told(
    people: dict[str, SessionStore], target: DatabaseTarget
) -> None:
    ada = people["ada"]
    turn_id = _answer(ada, 50)
    dispute = ada.dispute_turn(turn_id, COVERED_BOTH)
    assert dispute is not None
    mentors = {
        name: open_store(target, candidate=name, mentors=frozenset({name}))
        for name in ("mia", "max")
    }
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def settle(name: str, accept: bool) -> None:
        start.wait()
        try:
            ruled = mentors[name].settle_dispute(dispute.id, accept=accept)
            outcomes[name] = f"won:{ruled.status}"
        except DisputeSettledError as told:
            outcomes[name] = str(told)

    threads = [
        threading.Thread(target=settle, args=("mia", True)),
        threading.Thread(target=settle, args=("max", False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in mentors.values():
        store.close()
    winners = [name for name, said in outcomes.items() if said.startswith("won:")]
    assert len(winners) == 1, outcomes
    [loser] = {"mia", "max"} - set(winners)
    assert outcomes[loser].startswith(f"{winners[0]} already ")
    final = _turn(ada, turn_id)
    assert final.dispute is not None and final.dispute.settled_by == winners[0]
    assert final.score == (100 if winners[0] == "mia" else 50)


def test_overrule_rates_name_the_questions_and_key_points_disputed(
    people: dict[str, SessionStore],
) -> None:
    ada, mia = people["ada"], people["mia"]
    first = _answer(ada, 50, "q1")
    _answer(ada, 60, "q1", days=1)
    _answer(ada, 60, "q2", days=2)
    dispute = ada.dispute_turn(first, {"monitor": Coverage.COVERED})
    assert dispute is not None
    mia.settle_dispute(dispute.id, accept=True)

    rates = {(r.question_id, r.key_point_id): r for r in mia.overrule_rates()}

    assert set(rates) == {("q1", None), ("q1", "monitor")}
    whole = rates[("q1", None)]
    assert (whole.graded, whole.disputed, whole.accepted, whole.rejected) == (2, 1, 1, 0)
    assert rates[("q1", "monitor")].key_point_text == "Monitor the live model"
    assert whole.rate == 0.5
    with pytest.raises(NotAMentorError):
        ada.overrule_rates()


def test_a_file_from_before_disputes_is_upgraded_and_its_answers_can_be_disputed(
    db_path: Path,
) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path, isolation_level=None)
    upgrade(conn, target=SCHEMA_VERSION - 1)
    conn.close()
    with open_store(db_path, candidate="ada") as store:
        turn_id = _answer(store, 50)
    conn = sqlite3.connect(db_path, isolation_level=None)
    # Back to the release before: drop what step 6 added, as that release's file had it.
    conn.execute("DROP TABLE dispute")
    conn.execute("ALTER TABLE turn DROP COLUMN own_score")
    conn.execute("DELETE FROM schema_version WHERE version = ?", (SCHEMA_VERSION,))
    conn.close()

    with open_store(db_path, candidate="ada") as store:
        assert _turn(store, turn_id).score == 50
        dispute = store.dispute_turn(turn_id, COVERED_BOTH)
        assert dispute is not None and _turn(store, turn_id).score == 100
    with sqlite3.connect(db_path) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_version")]
    assert max(versions) == SCHEMA_VERSION


def test_two_windows_changing_the_marks_at_once_leave_one_standing_grade(
    people: dict[str, SessionStore], target: DatabaseTarget
) -> None:
    """The same candidate in two windows: each change either lands or is told it came second;
    the grade that counts is always the newest dispute's."""
    turn_id = _answer(people["ada"], 50)  # not disputed yet: both windows would add one
    windows = [open_store(target, candidate="ada") for _ in range(2)]
    start = threading.Barrier(2)
    told: list[str] = []

    def change(window: SessionStore, mark: Coverage) -> None:
        start.wait()
        try:
            window.dispute_turn(turn_id, {"monitor": mark, "drift": Coverage.MISSED})
        except DisputeError as error:
            told.append(str(error))

    threads = [
        threading.Thread(target=change, args=(w, m))
        for w, m in zip(windows, (Coverage.COVERED, Coverage.CONTRADICTED), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for window in windows:
        window.close()
    assert all("changed in another window" in said for said in told), told
    turn = _turn(people["ada"], turn_id)
    assert turn.dispute is not None and turn.dispute.status is DisputeStatus.OPEN
    assert turn.score == turn.dispute.grade.score
    history = people["ada"].dispute_history(turn_id)
    assert [d.status for d in history].count(DisputeStatus.OPEN) == 1
