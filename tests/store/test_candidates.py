"""Candidates share one log: each sees their own sessions; a mentor sees the cohort."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from assistant.knowledge.loader import Bank, load_bank
from assistant.settings import shipped_bank_dir
from assistant.store import SessionStore, open_store
from assistant.store.migrations import upgrade
from assistant.store.peek import peek_learning_states
from assistant.store.repository import NotAMentorError
from tests.cohort_log import PLANS, fill_cohort
from tests.store.conftest import T0, make_grade


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank([shipped_bank_dir()]).bank


@pytest.fixture
def stores(db_path: Path) -> Iterator[dict[str, SessionStore]]:
    """One store per candidate on the same file, and a mentor's ("mia", named by config)."""
    opened = {name: open_store(db_path, candidate=name) for name in (*PLANS, "dan")}
    opened["mia"] = open_store(db_path, candidate="mia", mentors=frozenset({"mia"}))
    yield opened
    for store in opened.values():
        store.close()


@pytest.fixture
def cohort(stores: dict[str, SessionStore], bank: Bank) -> dict[str, SessionStore]:
    fill_cohort(stores, bank)
    return stores


def _start(store: SessionStore, days: int = 0) -> int:
    return store.start_session(
        mode="practice",
        lang="en",
        settings={},
        model_id="m",
        bank_version="1",
        started_at=T0 + timedelta(days=days),
    )


def _answer(store: SessionStore, session_id: int, question_id: str, score: int) -> int:
    return store.record_turn(
        session_id,
        order=1,
        question_id=question_id,
        question_text="Q?",
        reference_answer="R.",
        category="fundamentals",
        answer="A.",
        grade=make_grade(score),
        shown_at=T0,
        submitted_at=T0 + timedelta(minutes=1),
    )


def test_each_candidate_lists_resumes_and_charts_only_their_own_sessions(
    cohort: dict[str, SessionStore],
) -> None:
    alice, bob = cohort["alice"], cohort["bob"]
    assert len(alice.list_sessions()) == len(PLANS["alice"])
    assert {s.candidate for s in bob.list_sessions()} == {"bob"}
    assert cohort["dan"].list_sessions() == []
    assert cohort["dan"].category_averages() == []
    assert cohort["dan"].question_history("what-is-mlops") == []
    assert {a.turn.session_id for a in bob.question_history("what-is-mlops")} == {
        s.id for s in bob.list_sessions()
    }
    # Unfinished: dan's interview in progress is offered to dan, not to alice.
    session_id = _start(cohort["dan"])
    _answer(cohort["dan"], session_id, "what-is-mlops", 50)
    assert cohort["dan"].unfinished_session().id == session_id  # type: ignore[union-attr]
    assert alice.unfinished_session() is None


def test_learning_state_and_scheduling_are_each_candidate_s_own(
    stores: dict[str, SessionStore],
) -> None:
    alice, bob = stores["alice"], stores["bob"]
    _answer(alice, _start(alice), "q1", 90)
    _answer(bob, _start(bob, days=1), "q1", 10)
    assert alice.learning_states()["q1"].last_score == 90
    assert bob.learning_states()["q1"].last_score == 10
    assert alice.learning_states()["q1"].attempts == 1
    assert bob.learning_states()["q1"].attempts == 1  # alice's answer is not bob's review
    # The peek before the store opens (first question sooner) reads the same per candidate.
    assert peek_learning_states(alice.path, "alice") == alice.learning_states()
    assert peek_learning_states(alice.path, "bob") == bob.learning_states()


def test_a_late_grade_and_a_deletion_rebuild_only_that_candidate_s_state(
    stores: dict[str, SessionStore],
) -> None:
    alice, bob = stores["alice"], stores["bob"]
    _answer(alice, _start(alice), "q1", 80)
    bob_session = _start(bob, days=1)
    turn = bob.record_turn(
        bob_session,
        order=1,
        question_id="q1",
        question_text="Q?",
        reference_answer="R.",
        category="fundamentals",
        answer="A.",
        shown_at=T0,
        submitted_at=T0,
    )
    assert "q1" not in bob.learning_states()
    bob.set_turn_grade(turn, make_grade(30))
    assert bob.learning_states()["q1"].last_score == 30
    assert alice.learning_states()["q1"].last_score == 80
    assert [t.id for t in bob.ungraded_turns()] == []
    bob.delete_session(bob_session)
    assert "q1" not in bob.learning_states()
    assert alice.learning_states()["q1"].last_score == 80


def _v3_file_with_one_session(path: Path) -> None:
    """A log as release 3 wrote it (before names), through the store of that schema's SQL."""
    conn = sqlite3.connect(path, isolation_level=None)
    upgrade(conn, target=3)
    conn.execute(
        "INSERT INTO interview_session (id, started_at, ended_at, status, mode, lang,"
        " settings_json, model_id, bank_version) VALUES (1, '2025-01-01 08:00:00.000000',"
        " NULL, 'completed', 'practice', 'en', '{}', 'm', '1')"
    )
    conn.execute(
        'INSERT INTO turn (id, session_id, "order", question_id, question_text,'
        " reference_answer, category, answer, score, verdict, grade_json, hints_used, skipped,"
        " follow_up_of, shown_at, submitted_at) VALUES (1, 1, 1, 'q1', 'Q?', 'R.',"
        " 'fundamentals', 'A.', 55, 'partial', NULL, 0, 0, NULL,"
        " '2025-01-01 08:01:00.000000', '2025-01-01 08:03:00.000000')"
    )
    conn.execute(
        "INSERT INTO question_state (question_id, attempts, last_score, best_score,"
        " last_reviewed_at, due_at, card_json) VALUES ('q1', 1, 55, 55,"
        " '2025-01-01 08:03:00.000000', '2025-01-02 08:03:00.000000', '{}')"
    )
    conn.close()


def test_sessions_from_before_names_are_whoever_opens_the_file_then_the_first_to_start(
    db_path: Path,
) -> None:
    db_path.parent.mkdir(parents=True)
    _v3_file_with_one_session(db_path)
    # Read-only (review): the old session is the reader's, whoever they are; nothing changes.
    with open_store(db_path, read_only=True, candidate="zoe") as zoe:
        assert [(s.id, s.candidate) for s in zoe.list_sessions()] == [(1, "")]
        assert zoe.learning_states()["q1"].last_score == 55
    # The first candidate to start a session takes the old ones, with their learning state.
    with open_store(db_path, candidate="zoe") as zoe:
        _start(zoe)
        assert {s.candidate for s in zoe.list_sessions()} == {"zoe"}
        assert zoe.learning_states()["q1"].last_score == 55
    with open_store(db_path, candidate="yann") as yann:
        assert yann.list_sessions() == []
        assert yann.learning_states() == {}
    with sqlite3.connect(db_path) as conn:
        owners = conn.execute("SELECT DISTINCT candidate FROM question_state").fetchall()
    assert owners == [("zoe",)]


def test_the_cohort_is_refused_to_a_candidate_who_is_not_a_mentor(
    cohort: dict[str, SessionStore],
) -> None:
    bob = cohort["bob"]
    assert not bob.is_mentor()
    with pytest.raises(NotAMentorError):
        bob.cohort()
    with pytest.raises(NotAMentorError):
        bob.candidate_sessions("alice")


def test_the_mentor_table_makes_a_mentor_as_the_configuration_does(
    cohort: dict[str, SessionStore],
) -> None:
    bob = cohort["bob"]
    cohort["mia"].add_mentor("bob")
    cohort["mia"].add_mentor("bob")  # kept once
    assert bob.is_mentor()
    assert [c.candidate for c in bob.cohort().candidates] == ["alice", "bob", "chen"]
    assert not cohort["chen"].is_mentor()


def test_the_configured_mentors_follow_the_candidate_named_after_opening(db_path: Path) -> None:
    """A served tab opens the log as the server's user, then names its own candidate: the
    server user's mentor role must not pass to them."""
    with open_store(db_path, candidate="server", mentors=frozenset({"server", "mia"})) as store:
        assert store.is_mentor()
        store.candidate = "bob"
        assert not store.is_mentor()
        store.candidate = "mia"
        assert store.is_mentor()


def test_the_cohort_gives_each_candidate_s_sessions_average_trend_and_weakest_category(
    cohort: dict[str, SessionStore],
) -> None:
    standings = {c.candidate: c for c in cohort["mia"].cohort().candidates}
    assert set(standings) == {"alice", "bob", "chen"}
    alice, bob, chen = standings["alice"], standings["bob"], standings["chen"]
    assert (alice.sessions, alice.answers) == (8, 24)
    assert alice.average_score == pytest.approx(1390 / 24)
    # Last five sessions against the three before: 1015/15 against 375/9.
    assert alice.recent_average == pytest.approx(1015 / 15)
    assert alice.earlier_average == pytest.approx(375 / 9)
    assert alice.trend == pytest.approx(26.0)
    assert bob.trend == pytest.approx(835 / 15 - 230 / 3)
    assert chen.trend is None
    assert [(w.category, w.count) for w in alice.weakest] == [
        ("fundamentals", 16),
        ("technical", 8),
    ]
    assert alice.weakest[0].average_score == pytest.approx(820 / 16)


def test_the_cohort_lists_the_questions_failed_most_with_key_points_missed_or_contradicted(
    cohort: dict[str, SessionStore], bank: Bank
) -> None:
    overview = cohort["mia"].cohort()
    troubles = overview.troubles
    assert [t.question_id for t in troubles] == [
        "model-and-concept-drift",
        "what-is-mlops",
        "ci-cd-for-ml",
    ]
    drift = troubles[0]
    assert (drift.failed, drift.attempts, drift.candidates) == (10, 16, 3)
    assert drift.question_text.startswith("What is model drift")
    question = bank.get("model-and-concept-drift")
    assert question is not None
    last = question.key_points[-1]
    worst = drift.key_points[0]
    # Missed by alice and chen every time, contradicted by bob every time.
    assert (worst.id, worst.missed, worst.contradicted, worst.graded) == (last.id, 10, 6, 16)
    assert worst.text == last.en


def test_a_mentor_opens_another_candidate_s_sessions(cohort: dict[str, SessionStore]) -> None:
    mia = cohort["mia"]
    sessions = mia.candidate_sessions("chen")
    assert [s.candidate for s in sessions] == ["chen", "chen"]
    detail = mia.get_session(sessions[0].id)
    assert detail is not None and detail.turns[0].answer.startswith("chen's answer")


def test_a_candidate_named_after_opening_never_takes_the_owners_old_sessions(
    db_path: Path,
) -> None:
    """Served, a tab names its own candidate on the owner's file: the sessions from before
    names stay the owner's, unseen by the tab and unclaimed by its first session."""
    db_path.parent.mkdir(parents=True)
    _v3_file_with_one_session(db_path)
    with open_store(db_path, candidate="owner") as store:
        store.candidate = "ada"
        assert store.list_sessions() == []
        assert store.learning_states() == {}
        _start(store)
        assert [s.candidate for s in store.list_sessions()] == ["ada"]
        store.candidate = "owner"
        assert [(s.id, s.candidate) for s in store.list_sessions()] == [(1, "")]
        assert store.learning_states()["q1"].last_score == 55
