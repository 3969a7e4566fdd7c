"""What the summary proposes to practise next, from a real session log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.grading.grade import Grade, Verdict
from assistant.interview.summary import summarize
from assistant.knowledge.loader import load_bank
from assistant.knowledge.models import Question
from assistant.knowledge.scheduler import Need
from assistant.settings import shipped_bank_dir
from assistant.store import SessionStore, open_store

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _answer(
    store: SessionStore, session: int, order: int, q: Question, score: int | None, when: datetime
) -> None:
    """Record a graded answer to `q`, or a skip when `score` is None."""
    store.record_turn(
        session,
        order=order,
        question_id=q.id,
        question_text=q.question.en,
        reference_answer=q.answer.en,
        category=q.category,
        answer="" if score is None else "an answer",
        grade=None if score is None else Grade(score=score, verdict=Verdict.PARTIAL),
        skipped=score is None,
        shown_at=when,
        submitted_at=when,
    )


def _proposals_after(tmp: Path, today: dict[int, int | None]) -> list[str]:
    """Practise next after a week-old session (several overdue answers), then today's answers
    (question index -> score, None for a skip)."""
    questions = sorted(load_bank([shipped_bank_dir()]).bank.questions.values(), key=lambda q: q.id)
    with open_store(tmp / "s.db") as store:
        old = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
        )
        week_ago = NOW - timedelta(days=7)
        for n, score in enumerate((45, 50, 55, 60)):
            _answer(store, old, n + 1, questions[n], score, week_ago)
        sid = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
        )
        for order, (index, score) in enumerate(today.items(), start=1):
            _answer(store, sid, order, questions[index], score, NOW - timedelta(minutes=5))
        detail = store.get_session(sid)
        assert detail is not None
        summary = summarize(detail, store.learning_states(), candidates=questions, now=NOW)
    by_id = {q.id: n for n, q in enumerate(questions)}
    return [f"{by_id[p.question_id]}:{p.need.value}" for p in summary.practise_next]


def test_practise_next_follows_todays_results(tmp_path: Path) -> None:
    """Old overdue answers used to fill the list whatever happened today."""
    missed_ten = _proposals_after(tmp_path / "a", {10: 20, 11: 95})
    missed_eleven = _proposals_after(tmp_path / "b", {10: 95, 11: 20})

    assert missed_ten != missed_eleven
    assert missed_ten[0] == "10:weak" and missed_eleven[0] == "11:weak"
    # A never-asked question is mixed in, then the weakest overdue one.
    assert missed_ten[1].endswith(f":{Need.NEW.value}")
    assert missed_ten[2] == "0:due"


def test_a_question_skipped_today_is_proposed_first(tmp_path: Path) -> None:
    proposals = _proposals_after(tmp_path, {12: None, 13: 90})

    assert proposals[0] == "12:weak"
    assert "13:known" not in proposals


def test_the_preview_is_what_the_next_session_with_the_same_choices_asks(tmp_path: Path) -> None:
    """Issue 21.13: "practise next" named one new question and the next session asked another
    (the preview and the session drew their tie-breaks with different seeds)."""
    from assistant.knowledge.scheduler import draw_seed, pick_questions

    bank = load_bank([shipped_bank_dir()]).bank
    questions = sorted(bank.questions.values(), key=lambda q: q.id)
    with open_store(tmp_path / "s.db") as store:
        sid = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
        )
        for order, n in enumerate((0, 5, 9), start=1):
            _answer(store, sid, order, questions[n], 40 + 20 * order, NOW)
        detail = store.get_session(sid)
        assert detail is not None
        states = store.learning_states()
    for count in (3, 5):
        summary = summarize(detail, states, candidates=questions, now=NOW, limit=3)
        preview = [p.question_id for p in summary.practise_next]
        asked = pick_questions(
            questions, bank.categories, states, count=count, now=NOW, seed=draw_seed(states)
        )
        assert len(preview) == 3 and set(preview) <= {q.id for q in asked}
    # Each new answer moves the draw: the session after next is not a repeat by construction.
    assert draw_seed(states) == 3
