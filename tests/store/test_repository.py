"""The repository methods, each on a temporary SQLite file and on a PostgreSQL database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from assistant.grading.grade import Grade, Verdict
from assistant.knowledge.scheduler import review
from assistant.settings import DatabaseTarget
from assistant.store import SessionStatus, SessionStore, open_store
from tests.store.conftest import T0, NewSession, RecordTurn, make_grade


def test_a_new_session_is_in_progress_with_its_settings(
    store: SessionStore, new_session: NewSession
) -> None:
    session_id = new_session(mode="mock", lang="fr", settings={"count": 4, "seed": 7})

    detail = store.get_session(session_id)

    assert detail is not None
    summary = detail.session
    assert summary.status is SessionStatus.IN_PROGRESS
    assert (summary.mode, summary.lang) == ("mock", "fr")
    assert summary.settings == {"count": 4, "seed": 7}
    assert (summary.model_id, summary.bank_version) == ("all-MiniLM-L6-v2", "1.0.0")
    assert summary.started_at == T0
    assert summary.ended_at is None
    assert (summary.turn_count, summary.average_score, summary.duration) == (0, None, None)
    assert detail.turns == []


def test_a_turn_comes_back_exactly_as_recorded(
    store: SessionStore, new_session: NewSession
) -> None:
    session_id = new_session()
    grade = make_grade(64)
    typed = "[bold]Drift[/bold] is 🙂 — مرحبا\n" + "x" * 5000
    shown = T0 + timedelta(seconds=10)
    submitted = shown + timedelta(seconds=95)

    turn_id = store.record_turn(
        session_id,
        order=1,
        question_id="what-is-drift",
        question_text="What is data drift?",
        reference_answer="A change in the input distribution.",
        category="fundamentals",
        answer=typed,
        grade=grade,
        hints_used=2,
        skipped=False,
        follow_up_of=None,
        shown_at=shown,
        submitted_at=submitted,
    )

    detail = store.get_session(session_id)
    assert detail is not None
    [turn] = detail.turns
    assert turn.id == turn_id
    assert turn.session_id == session_id
    assert turn.order == 1
    assert turn.question_id == "what-is-drift"
    assert turn.question_text == "What is data drift?"
    assert turn.reference_answer == "A change in the input distribution."
    assert turn.category == "fundamentals"
    assert turn.answer == typed
    assert turn.grade == grade
    assert (turn.score, turn.verdict) == (64, Verdict.PARTIAL)
    assert turn.hints_used == 2
    assert turn.skipped is False
    assert turn.follow_up_of is None
    assert (turn.shown_at, turn.submitted_at) == (shown, submitted)


def test_a_turn_is_committed_before_record_turn_returns(
    store: SessionStore, target: DatabaseTarget, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    turn_id = record(session_id, "q1")

    with open_store(target) as other:
        detail = other.get_session(session_id)

    assert detail is not None
    assert [t.id for t in detail.turns] == [turn_id]


def test_local_times_are_kept_as_the_same_instant(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    local = datetime(2025, 3, 10, 11, 30)  # naive: local time, as Python reads it
    record(session_id, "q1", shown_at=local, submitted_at=local)

    detail = store.get_session(session_id)

    assert detail is not None
    assert detail.turns[0].shown_at == local.astimezone(UTC)


def test_recording_into_a_missing_session_or_follow_up_is_refused(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    with pytest.raises(ValueError, match="no interview session 99"):
        record(99, "q1", order=1)
    session_id = new_session()
    with pytest.raises(ValueError, match="turn 42"):
        record(session_id, "q1", follow_up_of=42)
    assert store.get_session(session_id).turns == []  # type: ignore[union-attr]


def test_turns_come_back_in_order(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    record(session_id, "third", order=3)
    record(session_id, "first", order=1)
    record(session_id, "second", order=2)

    detail = store.get_session(session_id)

    assert detail is not None
    assert [t.question_id for t in detail.turns] == ["first", "second", "third"]


def test_get_session_of_an_unknown_id_is_none(store: SessionStore) -> None:
    assert store.get_session(12345) is None


def test_a_later_grade_is_attached_and_feeds_the_learning_state(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    turn_id = record(session_id, "q1", grade=None)
    assert store.get_session(session_id).turns[0].grade is None  # type: ignore[union-attr]
    assert "q1" not in store.learning_states()

    store.set_turn_grade(turn_id, make_grade(90))

    detail = store.get_session(session_id)
    assert detail is not None
    assert detail.turns[0].grade == make_grade(90)
    state = store.learning_states()["q1"]
    assert (state.attempts, state.last_score, state.best_score) == (1, 90, 90)


def test_regrading_a_turn_replaces_its_review_instead_of_adding_one(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    turn_id = record(session_id, "q1", grade=make_grade(30))

    store.set_turn_grade(turn_id, make_grade(80))

    state = store.learning_states()["q1"]
    assert (state.attempts, state.last_score, state.best_score) == (1, 80, 80)


def test_set_turn_grade_of_an_unknown_turn_is_refused(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="no turn 7"):
        store.set_turn_grade(7, make_grade(50))


def test_learning_state_follows_the_scheduler_over_sessions(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    first, second = new_session(days=0), new_session(days=3)
    record(first, "q1", grade=make_grade(35))
    record(second, "q1", grade=make_grade(88))

    state = store.learning_states()["q1"]

    turns = [a.turn for a in store.question_history("q1")]
    expected = None
    for turn in turns:
        assert turn.grade is not None
        expected = review(expected, turn.grade.score, turn.submitted_at)
    assert state == expected
    assert (state.attempts, state.last_score, state.best_score) == (2, 88, 88)
    assert state.due > turns[-1].submitted_at


def test_a_skip_counts_as_a_failed_review_and_a_follow_up_not_at_all(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    record(session_id, "skipped-q", grade=None, skipped=True, answer="")
    parent = record(session_id, "q1", grade=make_grade(70))
    record(session_id, "q1", grade=make_grade(10), follow_up_of=parent)
    record(session_id, "pending-q", grade=None)

    states = store.learning_states()

    assert set(states) == {"skipped-q", "q1"}
    assert (states["skipped-q"].attempts, states["skipped-q"].last_score) == (1, 0)
    assert (states["q1"].attempts, states["q1"].last_score) == (1, 70)


def test_finish_session_sets_status_and_end(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    record(session_id, "q1")
    ended = T0 + timedelta(minutes=42)

    store.finish_session(session_id, "completed", ended_at=ended)

    detail = store.get_session(session_id)
    assert detail is not None
    assert detail.session.status is SessionStatus.COMPLETED
    assert detail.session.ended_at == ended
    assert detail.session.duration == timedelta(minutes=42)


def test_finish_session_refuses_in_progress_and_unknown_sessions(
    store: SessionStore, new_session: NewSession
) -> None:
    session_id = new_session()
    with pytest.raises(ValueError):
        store.finish_session(session_id, SessionStatus.IN_PROGRESS)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no interview session 404"):
        store.finish_session(404, "abandoned")


def test_unfinished_session_is_the_newest_in_progress_one_with_turns(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    assert store.unfinished_session() is None
    older, newer, finished = new_session(days=0), new_session(days=1), new_session(days=2)
    new_session(days=3)  # no turn yet: nothing to resume
    for session_id in (older, newer, finished):
        record(session_id, "q1")
    store.finish_session(finished, "abandoned")

    unfinished = store.unfinished_session()
    assert unfinished is not None
    assert unfinished.id == newer
    assert unfinished.settings == {"count": 6, "categories": ["fundamentals"]}

    store.finish_session(newer, "completed")
    assert store.unfinished_session().id == older  # type: ignore[union-attr]


def test_list_sessions_is_newest_first_with_totals(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    old, new, empty = new_session(days=0), new_session(days=5), new_session(days=2)
    record(old, "q1", grade=make_grade(40))
    parent = record(old, "q2", grade=make_grade(80))
    record(old, "q2", grade=make_grade(0), follow_up_of=parent)  # not in the average
    record(old, "q3", grade=None, skipped=True, answer="")
    record(new, "q4", grade=None)
    store.finish_session(old, "completed", ended_at=T0 + timedelta(minutes=30))

    sessions = store.list_sessions()

    assert [s.id for s in sessions] == [new, empty, old]
    by_id = {s.id: s for s in sessions}
    assert (by_id[old].turn_count, by_id[old].answered_count, by_id[old].graded_count) == (4, 3, 3)
    assert by_id[old].average_score == pytest.approx((40 + 80 + 0) / 3)  # the skip counts 0
    assert by_id[old].duration == timedelta(minutes=30)
    assert (by_id[new].turn_count, by_id[new].graded_count, by_id[new].average_score) == (
        1,
        0,
        None,
    )
    # In progress: the duration runs to the last submitted answer (5 + 2 minutes in).
    assert by_id[new].duration == timedelta(minutes=7)
    assert (by_id[empty].turn_count, by_id[empty].duration) == (0, None)


def test_category_averages_per_day_and_category(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    day1a, day1b, day2 = new_session(days=0), new_session(days=0), new_session(days=1)
    record(day1a, "q1", category="fundamentals", grade=make_grade(40))
    record(day1b, "q2", category="fundamentals", grade=make_grade(80))
    parent = record(day1b, "q3", category="cloud", grade=make_grade(50))
    record(day1b, "q3", category="cloud", grade=make_grade(100), follow_up_of=parent)
    record(day2, "q4", category="fundamentals", grade=make_grade(90))
    record(day2, "q5", category="cloud", grade=None)  # not graded yet: left out
    record(day2, "q6", category="fundamentals", grade=None, skipped=True)  # a skip counts 0

    points = store.category_averages()

    day1 = T0.astimezone().date()
    day2_date = (T0 + timedelta(days=1)).astimezone().date()
    assert [(p.day, p.category, p.average_score, p.count) for p in points] == [
        (day1, "cloud", 50.0, 1),
        (day1, "fundamentals", 60.0, 2),
        (day2_date, "fundamentals", 45.0, 2),
    ]


def test_question_history_spans_sessions_oldest_first(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    first = new_session(days=0, mode="practice")
    second = new_session(days=4, mode="mock", lang="fr")
    record(second, "q1", grade=make_grade(85), question_text="Qu'est-ce que la dérive ?")
    record(first, "q1", grade=make_grade(45), question_text="What is drift?")
    record(first, "other", grade=make_grade(99))

    history = store.question_history("q1")

    assert [a.turn.score for a in history] == [45, 85]
    assert [a.turn.question_text for a in history] == [
        "What is drift?",
        "Qu'est-ce que la dérive ?",
    ]
    assert [a.session_started_at for a in history] == [T0, T0 + timedelta(days=4)]
    assert [(a.session_mode, a.session_lang) for a in history] == [
        ("practice", "en"),
        ("mock", "fr"),
    ]
    assert store.question_history("never-asked") == []


def test_delete_session_removes_its_turns_and_their_reviews(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    kept, doomed = new_session(days=0), new_session(days=1)
    record(kept, "shared", grade=make_grade(90))
    record(doomed, "shared", grade=make_grade(20))
    parent = record(doomed, "only-doomed", grade=make_grade(50))
    record(doomed, "only-doomed", grade=make_grade(50), follow_up_of=parent)

    assert store.delete_session(doomed) is True

    assert store.get_session(doomed) is None
    assert [s.id for s in store.list_sessions()] == [kept]
    assert store.question_history("only-doomed") == []
    states = store.learning_states()
    assert "only-doomed" not in states
    assert (states["shared"].attempts, states["shared"].last_score) == (1, 90)
    assert store.delete_session(doomed) is False


def test_learning_states_is_empty_for_a_new_log(store: SessionStore) -> None:
    assert store.learning_states() == {}


def test_the_store_can_be_used_from_a_worker_thread(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    ids: list[int] = []
    worker = threading.Thread(target=lambda: ids.append(record(session_id, "q1")))
    worker.start()
    worker.join()

    detail = store.get_session(session_id)
    assert detail is not None
    assert [t.id for t in detail.turns] == ids


def test_grades_rebuild_from_the_stored_json(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    session_id = new_session()
    grade = Grade(score=0, verdict=Verdict.NO_ANSWER)
    record(session_id, "q1", grade=grade)

    detail = store.get_session(session_id)

    assert detail is not None
    assert detail.turns[0].grade == grade
    assert detail.turns[0].grade.key_points == []  # type: ignore[union-attr]


def test_ungraded_turns_lists_answers_waiting_for_a_grade(store: SessionStore) -> None:
    """Answers saved while the model was unavailable are found later, and only those."""
    from datetime import UTC, datetime

    from assistant.grading.grade import Grade, Verdict

    when = datetime(2026, 1, 2, tzinfo=UTC)
    sid = store.start_session(
        mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
    )
    common = dict(
        question_text="Q?", reference_answer="R.", category="c", shown_at=when, submitted_at=when
    )
    waiting = store.record_turn(sid, order=1, question_id="a", answer="x", **common)  # type: ignore[arg-type]
    store.record_turn(sid, order=2, question_id="b", answer="", skipped=True, **common)  # type: ignore[arg-type]
    store.record_turn(
        sid,
        order=3,
        question_id="c",
        answer="y",  # type: ignore[arg-type]
        grade=Grade(50, Verdict.PARTIAL),
        **common,
    )
    assert [t.id for t in store.ungraded_turns()] == [waiting]
    store.set_turn_grade(waiting, Grade(70, Verdict.ADEQUATE))
    assert store.ungraded_turns() == []


def test_a_question_skipped_then_answered_counts_once_by_its_answer_everywhere(
    store: SessionStore, new_session: NewSession, record: RecordTurn
) -> None:
    """Issue 21.8: the summary said 31/100 and 0 skipped, the review and exports 23/100 and
    1 skipped: the skip was averaged in as 0 beside the answer that replaced it."""
    from assistant.interview.summary import summarize

    sid = new_session()
    record(sid, "q1", grade=make_grade(60))
    record(sid, "q2", skipped=True, grade=None, answer="")
    record(sid, "q3", grade=make_grade(40))
    record(sid, "q2", grade=make_grade(35))
    (listed,) = store.list_sessions()
    detail = store.get_session(sid)
    assert detail is not None
    assert listed.average_score == pytest.approx(45.0)
    assert summarize(detail, {}).overall == pytest.approx(45.0)
    assert (listed.counts.questions, listed.counts.answered, listed.counts.skipped) == (3, 3, 0)
    assert [p.average_score for p in store.category_averages()] == [pytest.approx(45.0)]
    # A skip left as it is still counts 0.
    other = new_session(days=1)
    record(other, "q1", grade=make_grade(80))
    record(other, "q2", skipped=True, grade=None, answer="")
    assert store.get_session(other) is not None
    assert {s.id: s.average_score for s in store.list_sessions()}[other] == pytest.approx(40.0)
