"""Choosing the next questions: FSRS spaced repetition driven by grades, in an interview's shape."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from assistant.knowledge.models import Category

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

AGAIN_BELOW = 40
"""Scores under this are rated Again: the answer missed most of what matters."""
HARD_BELOW = 65
"""Scores from AGAIN_BELOW to under this are rated Hard: partly right."""
EASY_FROM = 85
"""Scores from this up are rated Easy; from HARD_BELOW to under this, Good."""
WEAK_BELOW = HARD_BELOW
"""A question whose last score is under this is weak: asked again before well-known ones."""
DEFAULT_STAGE = 5
"""Stage of a question whose category is not declared (the middle of an interview)."""


@cache
def _fsrs() -> Scheduler:
    """The FSRS scheduler, made at the first review: choosing questions at start-up does not
    need fsrs, whose import took about 4 ms before the first question."""
    from fsrs import Scheduler

    # No learning steps: a question comes back in a later session, days apart, not 1 and 10
    # minutes later as flashcard learning steps would schedule it. No fuzzing: the same grades
    # give the same due dates, so a seed reproduces a selection.
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class LearningState:
    """What the candidate's past answers say about one question, for choosing it again."""

    attempts: int
    """Reviews so far (graded or skipped answers to the main question)."""
    last_score: int
    """Score of the latest review."""
    best_score: int
    """Best score so far."""
    last_reviewed: datetime
    """When the latest review happened (timezone-aware, UTC)."""
    due: datetime
    """When FSRS wants the question asked again (timezone-aware, UTC)."""
    card_json: str
    """The FSRS card (fsrs.Card.to_json), the memory model behind `due`."""

    def card(self) -> Card:
        """The FSRS card, rebuilt."""
        from fsrs import Card

        return Card.from_json(self.card_json)

    def is_due(self, now: datetime) -> bool:
        """Whether the question should be asked again by `now`."""
        return self.due <= as_utc(now)


def as_utc(when: datetime) -> datetime:
    """`when` as an aware UTC datetime; a naive one is taken as local time, as Python does."""
    return when.astimezone(UTC)


def rating_for(score: int) -> Rating:
    """The FSRS rating of a 0-100 score (thresholds: AGAIN_BELOW, HARD_BELOW, EASY_FROM)."""
    if not 0 <= score <= 100:
        raise ValueError(f"a score is between 0 and 100, got {score}")
    from fsrs import Rating

    if score < AGAIN_BELOW:
        return Rating.Again
    if score < HARD_BELOW:
        return Rating.Hard
    if score < EASY_FROM:
        return Rating.Good
    return Rating.Easy


def review(state: LearningState | None, score: int, when: datetime) -> LearningState:
    """The learning state after one more answer scored `score` at `when`."""
    from fsrs import Card

    rating = rating_for(score)
    when = as_utc(when)
    if state is None:
        # An explicit card id: fsrs otherwise derives one from the clock and sleeps 1 ms to keep it
        # unique, and the id means nothing here (the question id is the key).
        card = Card(card_id=1, due=when)
        attempts, best = 0, score
    else:
        card = state.card()
        attempts, best = state.attempts, max(state.best_score, score)
        # FSRS assumes reviews in time order; an answer graded late must not go back in time.
        if card.last_review is not None and when < card.last_review:
            when = card.last_review
    card, _log = _fsrs().review_card(card, rating, when)
    return LearningState(
        attempts=attempts + 1,
        last_score=score,
        best_score=best,
        last_reviewed=when,
        due=as_utc(card.due),
        card_json=card.to_json(),
    )


class Choosable(Protocol):
    """What choosing needs of a question: a `Question`, or its index entry in the bank."""

    @property
    def id(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def difficulty(self) -> int: ...


_Q = TypeVar("_Q", bound=Choosable)


class Need(StrEnum):
    """Why a question is worth asking next."""

    DUE = "due"
    """FSRS says it is time to ask it again."""
    WEAK = "weak"
    """Not due yet, but its last answer scored under WEAK_BELOW (a skip counts as 0)."""
    NEW = "new"
    """Never answered."""
    KNOWN = "known"
    """Answered well and not due: asked only when nothing else is left."""


def need_of(state: LearningState | None, now: datetime) -> Need:
    """Why the question with this state would be asked next."""
    if state is None:
        return Need.NEW
    if state.due <= as_utc(now):
        return Need.DUE
    if state.last_score < WEAK_BELOW:
        return Need.WEAK
    return Need.KNOWN


@dataclass(frozen=True)
class Proposal(Generic[_Q]):
    """A question chosen to be asked next, and why."""

    question: _Q
    need: Need
    state: LearningState | None
    """Its learning state (None when never answered)."""


def rank_questions(
    questions: Sequence[_Q],
    states: Mapping[str, LearningState],
    *,
    count: int,
    now: datetime,
    seed: int | None = None,
    categories: Mapping[str, Category] | None = None,
) -> list[Proposal[_Q]]:
    """Up to `count` distinct questions, the most useful first, with why each was chosen.

    FSRS and the last score decide which questions are reviews (due, or weak: last score under
    WEAK_BELOW, a skip counting as 0); among them the weakest last answer comes first, then the
    earliest due, so what the candidate just missed is proposed before what is merely old.
    Reviews and questions never seen take turns, a review first: what was missed comes back
    soon, and new material keeps coming in. When one kind runs out the other fills the session;
    questions known well and not due come last (the same order). Within a kind the
    categories are balanced, so a short session still covers the interview's stages; remaining
    ties are broken at random, reproducibly for a given `seed`. Questions of a category that is
    not technical (`Category.technical`, from `categories`) make at most one in three of any
    first n questions while a technical one of the same kind remains, so a preview of the first
    few is what a longer session starts with.
    """
    now = as_utc(now)
    rng = random.Random(seed)
    by_id: dict[str, _Q] = {}
    for q in questions:
        by_id.setdefault(q.id, q)
    # Sorted before drawing tie-breaks so the seed, not the bank's file order, decides.
    pool = sorted(by_id.values(), key=lambda q: q.id)
    needs = {q.id: need_of(states.get(q.id), now) for q in pool}
    keys: dict[str, tuple[float, float, float]] = {}
    for q in pool:
        state = states.get(q.id)
        weakness = state.last_score if state is not None else 0
        due = state.due.timestamp() if state is not None else 0.0
        keys[q.id] = (weakness, due, rng.random())
    kinds = {
        "review": [q for q in pool if needs[q.id] in (Need.DUE, Need.WEAK)],
        "new": [q for q in pool if needs[q.id] is Need.NEW],
        "known": [q for q in pool if needs[q.id] is Need.KNOWN],
    }
    soft = {c.id for c in (categories or {}).values() if not c.technical}
    taken: Counter[str] = Counter()
    per_category: Counter[str] = Counter()
    chosen: list[Proposal[_Q]] = []
    soft_taken = 0
    while len(chosen) < count and any(kinds.values()):
        if kinds["review"] and (not kinds["new"] or taken["review"] <= taken["new"]):
            kind = "review"
        else:
            kind = "new" if kinds["new"] else "known"
        candidates = kinds[kind]
        soft_full = soft_taken >= (len(chosen) + 1) // 3
        best = min(
            candidates,
            key=lambda q: (
                soft_full and q.category in soft,
                per_category[q.category],
                keys[q.id],
            ),
        )
        candidates.remove(best)
        soft_taken += best.category in soft
        taken[kind] += 1
        per_category[best.category] += 1
        chosen.append(Proposal(best, needs[best.id], states.get(best.id)))
    return chosen


def draw_seed(states: Mapping[str, LearningState]) -> int:
    """The tie-break seed of a session started without `--seed`: drawn from the learning state
    itself (how many answers it holds), so the summary's "practise next", computed from the
    same state, is what the next session with the same choices asks; each new answer moves it."""
    return sum(state.attempts for state in states.values())


def pick_questions(
    questions: Sequence[_Q],
    categories: Mapping[str, Category],
    states: Mapping[str, LearningState],
    *,
    count: int,
    now: datetime,
    seed: int | None = None,
    category_filter: set[str] | None = None,
    difficulty: int | None = None,
) -> list[_Q]:
    """Up to `count` distinct questions chosen by `rank_questions`, ordered like an interview.

    `category_filter` and `difficulty` (exact level) narrow the candidates, so fewer than
    `count` may come back. The result is ordered by category stage (fundamentals first,
    behavioural last), then category, then ascending difficulty.
    """
    candidates = [
        q
        for q in questions
        if (category_filter is None or q.category in category_filter)
        and (difficulty is None or q.difficulty == difficulty)
    ]
    picked = [
        p.question
        for p in rank_questions(
            candidates, states, count=count, now=now, seed=seed, categories=categories
        )
    ]

    def stage(q: _Q) -> int:
        category = categories.get(q.category)
        return category.stage if category is not None else DEFAULT_STAGE

    rank = {q.id: i for i, q in enumerate(picked)}
    return sorted(picked, key=lambda q: (stage(q), q.category, q.difficulty, rank[q.id]))
