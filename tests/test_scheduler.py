"""Choosing questions: FSRS reviews from scores, and selections shaped like an interview."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from assistant.knowledge.models import Category, KeyPoint, Localized, Question
from assistant.knowledge.scheduler import (
    AGAIN_BELOW,
    EASY_FROM,
    HARD_BELOW,
    WEAK_BELOW,
    LearningState,
    Need,
    need_of,
    pick_questions,
    rank_questions,
    rating_for,
    review,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _text(words: str) -> Localized:
    return Localized(en=words, fr=words)


def _question(qid: str, category: str = "fundamentals", difficulty: int = 1) -> Question:
    return Question(
        id=qid,
        category=category,
        difficulty=difficulty,
        question=_text(f"Question {qid}?"),
        answer=_text(f"Answer {qid}."),
        key_points=[
            KeyPoint(id=f"kp-{n}", en=f"Point number {n} matters", fr=f"Le point {n} compte")
            for n in range(3)
        ],
    )


CATEGORIES = {
    "fundamentals": Category(id="fundamentals", title=_text("Fundamentals"), stage=1),
    "technical": Category(id="technical", title=_text("Technical"), stage=3),
    "cloud": Category(id="cloud", title=_text("Cloud"), stage=4),
    "behavioural": Category(id="behavioural", title=_text("Behavioural"), stage=9),
}


def _state(*, due_in_days: float, last_score: int) -> LearningState:
    """A state reviewed once, then moved so it falls due at NOW + due_in_days."""
    reviewed = review(None, last_score, NOW - timedelta(days=30))
    due = NOW + timedelta(days=due_in_days)
    return LearningState(
        attempts=1,
        last_score=last_score,
        best_score=last_score,
        last_reviewed=reviewed.last_reviewed,
        due=due,
        card_json=reviewed.card_json,
    )


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (0, Rating.Again),
        (AGAIN_BELOW - 1, Rating.Again),
        (AGAIN_BELOW, Rating.Hard),
        (HARD_BELOW - 1, Rating.Hard),
        (HARD_BELOW, Rating.Good),
        (EASY_FROM - 1, Rating.Good),
        (EASY_FROM, Rating.Easy),
        (100, Rating.Easy),
    ],
)
def test_scores_map_to_ratings_at_the_documented_thresholds(score: int, rating: Rating) -> None:
    assert rating_for(score) is rating


@pytest.mark.parametrize("score", [-1, 101])
def test_a_score_outside_0_to_100_is_refused(score: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        rating_for(score)


def test_a_first_review_starts_the_state() -> None:
    state = review(None, 72, NOW)

    assert (state.attempts, state.last_score, state.best_score) == (1, 72, 72)
    assert state.last_reviewed == NOW
    assert state.due > NOW
    assert state.card().due == state.due


def test_better_answers_come_back_later() -> None:
    states = [review(None, score, NOW) for score in (10, 50, 75, 95)]

    dues = [s.due for s in states]
    # Again and Hard both bring a new question back the next day (FSRS's shortest interval).
    assert dues[0] == dues[1] == NOW + timedelta(days=1)
    assert dues[1] < dues[2] < dues[3]
    stabilities = [s.card().stability or 0.0 for s in states]
    assert stabilities[0] < stabilities[1] < stabilities[2] < stabilities[3]


def test_a_weak_answer_after_a_strong_one_brings_the_question_back_sooner() -> None:
    strong = review(None, 95, NOW)
    later = strong.due
    again_strong = review(strong, 95, later)
    then_weak = review(strong, 10, later)

    assert then_weak.due < again_strong.due
    assert (then_weak.attempts, then_weak.last_score, then_weak.best_score) == (2, 10, 95)


def test_reviews_are_reproducible() -> None:
    first = review(review(None, 80, NOW), 90, NOW + timedelta(days=3))
    second = review(review(None, 80, NOW), 90, NOW + timedelta(days=3))

    assert first == second


def test_a_late_grade_does_not_go_back_in_time() -> None:
    state = review(None, 80, NOW)

    late = review(state, 80, NOW - timedelta(days=2))

    assert late.last_reviewed == NOW
    assert late.due >= state.due


def test_a_naive_time_is_read_as_local_time() -> None:
    local = datetime(2025, 6, 1, 14, 0)

    state = review(None, 50, local)

    assert state.last_reviewed == local.astimezone(UTC)
    assert state.last_reviewed.tzinfo is UTC


def test_is_due() -> None:
    state = _state(due_in_days=1, last_score=80)

    assert not state.is_due(NOW)
    assert state.is_due(NOW + timedelta(days=1))


def test_reviews_and_never_seen_questions_take_turns_a_review_first() -> None:
    questions = [_question(f"q{n}") for n in range(8)]
    states = {f"q{n}": _state(due_in_days=-5 + n, last_score=10) for n in range(4)}

    ranked = rank_questions(questions, states, count=5, now=NOW, seed=1)

    assert [p.need for p in ranked] == [Need.DUE, Need.NEW, Need.DUE, Need.NEW, Need.DUE]
    # The reviews in urgency order: the earliest due first.
    assert [p.question.id for p in ranked if p.need is Need.DUE] == ["q0", "q1", "q2"]


def test_a_skipped_question_comes_back_in_the_next_session() -> None:
    """A skip counts as 0: the question is weak at once and due the next day, while a bank
    full of never-seen questions no longer keeps it out."""
    questions = [_question(f"q{n:02d}") for n in range(20)]
    yesterday = NOW - timedelta(days=1)
    states = {"q03": review(None, 0, yesterday)}
    states |= {f"q0{n}": review(None, 90, yesterday) for n in (4, 5, 6)}

    for seed in range(5):
        picked = pick_questions(questions, CATEGORIES, states, count=3, now=NOW, seed=seed)
        assert "q03" in {q.id for q in picked}
        # Questions answered well yesterday are not asked again while new ones remain.
        assert not {"q04", "q05", "q06"} & {q.id for q in picked}


def test_different_grades_give_different_proposals() -> None:
    questions = [_question(f"q{n}") for n in range(6)]
    before = NOW - timedelta(hours=1)
    first = {"q0": review(None, 20, before), "q1": review(None, 95, before)}
    second = {"q0": review(None, 95, before), "q1": review(None, 20, before)}

    proposals = [
        [p.question.id for p in rank_questions(questions, states, count=3, now=NOW, seed=0)]
        for states in (first, second)
    ]

    assert proposals[0][0] == "q0" and "q1" not in proposals[0]
    assert proposals[1][0] == "q1" and "q0" not in proposals[1]


def test_need_of_a_question() -> None:
    assert need_of(None, NOW) is Need.NEW
    assert need_of(_state(due_in_days=-1, last_score=90), NOW) is Need.DUE
    assert need_of(_state(due_in_days=3, last_score=WEAK_BELOW - 1), NOW) is Need.WEAK
    assert need_of(_state(due_in_days=3, last_score=WEAK_BELOW), NOW) is Need.KNOWN


def test_reviews_weakest_first_then_earliest_due_then_the_rest() -> None:
    questions = [_question(q) for q in ("fine", "weak-bad", "weak-ok", "due-late", "due-early")]
    states = {
        "fine": _state(due_in_days=10, last_score=90),
        "weak-bad": _state(due_in_days=2, last_score=20),
        "weak-ok": _state(due_in_days=2, last_score=50),
        "due-late": _state(due_in_days=-1, last_score=90),
        "due-early": _state(due_in_days=-9, last_score=90),
    }

    order = [
        pick_questions(questions, CATEGORIES, states, count=n, now=NOW, seed=0) for n in range(1, 6)
    ]

    # Each larger count adds the next most useful question.
    added = [
        next(q.id for q in picked if q.id not in {p.id for p in prev})
        for prev, picked in zip([[], *order], order, strict=False)
    ]
    assert added == ["weak-bad", "weak-ok", "due-early", "due-late", "fine"]


def test_never_repeats_a_question() -> None:
    question = _question("only")
    questions = [question, question, _question("other")]

    picked = pick_questions(questions, CATEGORIES, {}, count=5, now=NOW, seed=3)

    assert sorted(q.id for q in picked) == ["only", "other"]


def test_ordered_like_an_interview_fundamentals_first_behavioural_last() -> None:
    questions = [
        _question("b1", "behavioural"),
        _question("c1", "cloud"),
        _question("t1", "technical", difficulty=3),
        _question("t2", "technical", difficulty=1),
        _question("f1", "fundamentals"),
    ]

    picked = pick_questions(questions, CATEGORIES, {}, count=5, now=NOW, seed=9)

    assert [q.id for q in picked] == ["f1", "t2", "t1", "c1", "b1"]


def test_a_short_session_spreads_over_the_categories() -> None:
    questions = [_question(f"{c}-{n}", c) for c in CATEGORIES for n in range(5)]

    for seed in range(10):
        picked = pick_questions(questions, CATEGORIES, {}, count=4, now=NOW, seed=seed)
        assert [q.category for q in picked] == [
            "fundamentals",
            "technical",
            "cloud",
            "behavioural",
        ]


def test_a_seed_reproduces_the_choice_whatever_the_bank_order() -> None:
    questions = [_question(f"q{n:02d}") for n in range(30)]

    first = pick_questions(questions, CATEGORIES, {}, count=6, now=NOW, seed=42)
    again = pick_questions(list(reversed(questions)), CATEGORIES, {}, count=6, now=NOW, seed=42)
    others = {
        tuple(q.id for q in pick_questions(questions, CATEGORIES, {}, count=6, now=NOW, seed=s))
        for s in range(5)
    }

    assert [q.id for q in first] == [q.id for q in again]
    assert len(others) > 1  # the seed does decide


def test_category_and_difficulty_filters() -> None:
    questions = [
        _question("f-easy", "fundamentals", 1),
        _question("f-hard", "fundamentals", 3),
        _question("c-hard", "cloud", 3),
        _question("t-hard", "technical", 3),
    ]

    picked = pick_questions(
        questions,
        CATEGORIES,
        {},
        count=6,
        now=NOW,
        seed=0,
        category_filter={"fundamentals", "cloud"},
        difficulty=3,
    )

    assert [q.id for q in picked] == ["f-hard", "c-hard"]


def test_count_bounds() -> None:
    questions = [_question(f"q{n}") for n in range(3)]

    assert pick_questions(questions, CATEGORIES, {}, count=0, now=NOW) == []
    assert len(pick_questions(questions, CATEGORIES, {}, count=2, now=NOW)) == 2
    assert len(pick_questions(questions, CATEGORIES, {}, count=10, now=NOW)) == 3


def test_an_undeclared_category_sits_in_the_middle() -> None:
    questions = [
        _question("b", "behavioural"),
        _question("x", "mystery"),
        _question("f", "fundamentals"),
    ]

    picked = pick_questions(questions, CATEGORIES, {}, count=3, now=NOW, seed=0)

    assert [q.id for q in picked] == ["f", "x", "b"]


SOFT_CATEGORIES = CATEGORIES | {
    "behavioural": Category(id="behavioural", title=_text("Behavioural"), stage=5, technical=False),
    "career": Category(id="career", title=_text("Career"), stage=6, technical=False),
}


def test_a_short_session_is_mostly_technical() -> None:
    """Issue 21.17: a 3-question session once held two behavioural or career questions."""
    questions = [_question(f"{c}-{n}", c) for c in SOFT_CATEGORIES for n in range(5)]
    for seed in range(30):
        for count in (2, 3, 5, 6, 9):
            picked = pick_questions(questions, SOFT_CATEGORIES, {}, count=count, now=NOW, seed=seed)
            soft = [q for q in picked if not SOFT_CATEGORIES[q.category].technical]
            assert len(picked) == count
            assert len(soft) <= count // 3, (seed, count, [q.category for q in picked])


def test_the_first_questions_of_a_longer_session_are_those_of_a_shorter_one() -> None:
    """The summary previews three questions; the next session of six starts with them."""
    questions = [_question(f"{c}-{n}", c) for c in SOFT_CATEGORIES for n in range(5)]
    for seed in range(20):
        three = rank_questions(
            questions, {}, count=3, now=NOW, seed=seed, categories=SOFT_CATEGORIES
        )
        six = rank_questions(questions, {}, count=6, now=NOW, seed=seed, categories=SOFT_CATEGORIES)
        assert [p.question.id for p in six[:3]] == [p.question.id for p in three]


def test_a_session_of_soft_categories_alone_still_fills() -> None:
    questions = [_question(f"{c}-{n}", c) for c in ("behavioural", "career") for n in range(3)]
    picked = pick_questions(questions, SOFT_CATEGORIES, {}, count=4, now=NOW, seed=1)
    assert len(picked) == 4


def test_the_shipped_bank_marks_behavioural_and_career_as_not_technical() -> None:
    from assistant.knowledge.loader import load_bank
    from assistant.settings import shipped_bank_dir

    bank = load_bank([shipped_bank_dir()]).bank
    assert {c.id for c in bank.categories.values() if not c.technical} == {"behavioural", "career"}
