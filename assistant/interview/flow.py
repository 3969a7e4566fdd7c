"""The flow of one interview: which question is asked now, hints, follow-ups, and the end."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from assistant.grading.grade import Coverage, Grade, Note, NoteCode, Verdict
from assistant.knowledge.models import FollowUp, Lang, Pitfall, Question

if TYPE_CHECKING:
    from assistant.grading.target import GradingTarget

HINT_PENALTY = 5
"""Points taken off an answer's score for each hint the candidate asked for."""

FOLLOW_UP_BELOW = 70
"""A follow-up is asked only when the answer's score is below this (the answer left gaps)."""


class Mode(StrEnum):
    """How the interviewer behaves."""

    PRACTICE = "practice"
    """Feedback after every answer, hints allowed, follow-ups on missed points."""
    MOCK = "mock"
    """No feedback until the end, a timer per question, like the real thing."""


@dataclass(frozen=True)
class InterviewSettings:
    """The choices that shape a session (start screen or command-line flags)."""

    count: int = 6
    """Number of main questions."""
    categories: tuple[str, ...] = ()
    """Only these categories (empty: all)."""
    difficulty: int | None = None
    """Only this difficulty (None: all)."""
    lang: Lang = "en"
    """Language of questions, reference answers and every label."""
    mode: Mode = Mode.PRACTICE
    """Practice or mock."""
    seed: int | None = None
    """Makes the choice of questions reproducible."""
    subject: str | None = None
    """Only packs of this subject (None: every loaded pack)."""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, for the session log and remembered choices."""
        return {
            "count": self.count,
            "categories": list(self.categories),
            "difficulty": self.difficulty,
            "lang": self.lang,
            "mode": self.mode.value,
            "seed": self.seed,
            "subject": self.subject,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> InterviewSettings:
        """Inverse of `to_dict`; unknown or malformed values fall back to defaults."""
        base = cls()
        count = data.get("count")
        difficulty = data.get("difficulty")
        lang = data.get("lang")
        mode = data.get("mode")
        seed = data.get("seed")
        cats = data.get("categories")
        subject = data.get("subject")
        return cls(
            count=count if isinstance(count, int) and 1 <= count <= 50 else base.count,
            categories=tuple(str(c) for c in cats) if isinstance(cats, list) else (),
            difficulty=difficulty if difficulty in (1, 2, 3) else None,  # type: ignore[arg-type]
            lang="fr" if lang == "fr" else "en",
            mode=Mode(mode) if mode in ("practice", "mock") else base.mode,
            seed=seed if isinstance(seed, int) else None,
            subject=subject if isinstance(subject, str) else None,
        )


@dataclass(frozen=True)
class Step:
    """What the interviewer is asking now."""

    question: Question
    """The bank question (for a follow-up: the question it follows)."""
    number: int
    """1-based number of the main question."""
    follow_up: FollowUp | None = None
    """Set when this step is a follow-up about one missed key point."""
    parent_turn_id: int | None = None
    """The turn this follow-up follows."""

    @property
    def is_follow_up(self) -> bool:
        """True for a follow-up step."""
        return self.follow_up is not None

    def text(self, lang: Lang) -> str:
        """What the interviewer asks, in `lang`."""
        if self.follow_up is not None:
            return self.follow_up.question.get(lang)
        return self.question.question.get(lang)

    def reference(self, lang: Lang) -> str:
        """The reference the answer is graded against."""
        if self.follow_up is not None:
            return self.question.key_point(self.follow_up.key_point).text(lang)
        return self.question.answer.get(lang)

    def pitfalls(self) -> list[Pitfall]:
        """The common mistakes worth showing with the reference (a follow-up's: its key point's)."""
        if self.follow_up is not None:
            return [p for p in self.question.pitfalls if p.key_point == self.follow_up.key_point]
        return list(self.question.pitfalls)


@dataclass
class Interview:
    """The plan of questions and where the candidate is in it."""

    questions: list[Question]
    settings: InterviewSettings
    index: int = 0
    follow_up: FollowUp | None = None
    parent_turn_id: int | None = None
    hints_used: int = 0
    asked_follow_ups: set[str] = field(default_factory=set)
    skipped_once: set[str] = field(default_factory=set)
    """Main questions skipped and put back at the end of the plan (each comes back once)."""

    @property
    def total(self) -> int:
        """Number of main questions."""
        return len(self.questions)

    @property
    def finished(self) -> bool:
        """True when every main question has been asked and answered or skipped."""
        return self.index >= len(self.questions)

    @property
    def step(self) -> Step:
        """The current step; only valid while not finished."""
        return Step(
            question=self.questions[self.index],
            number=self.index + 1,
            follow_up=self.follow_up,
            parent_turn_id=self.parent_turn_id,
        )

    def next_hint(self) -> str | None:
        """The next progressive hint for the current question, or None when none are left."""
        if self.follow_up is not None:
            return None
        hints = self.step.question.hints
        if self.hints_used >= len(hints):
            return None
        hint = hints[self.hints_used].get(self.settings.lang)
        self.hints_used += 1
        return hint

    def follow_up_after(self, grade: Grade | None) -> FollowUp | None:
        """The follow-up to ask after this main answer: practice mode, a gap, a tied question;
        a contradicted key point comes first."""
        if (
            grade is None
            or self.follow_up is not None
            or self.settings.mode is not Mode.PRACTICE
            or grade.score >= FOLLOW_UP_BELOW
            or grade.verdict is Verdict.NO_ANSWER
        ):
            return None
        question = self.step.question
        # A point the candidate got wrong is worth asking about before one they left out.
        ordered = sorted(grade.key_points, key=lambda r: r.status is not Coverage.CONTRADICTED)
        for result in ordered:
            if result.status is Coverage.COVERED:
                continue
            candidate = question.follow_up_for(result.id)
            if candidate is not None and result.id not in self.asked_follow_ups:
                return candidate
        return None

    def ask_follow_up(self, follow_up: FollowUp, parent_turn_id: int) -> None:
        """Make the follow-up the current step."""
        self.follow_up = follow_up
        self.parent_turn_id = parent_turn_id
        self.hints_used = 0  # hints given were for the main question, already charged to it
        self.asked_follow_ups.add(follow_up.key_point)

    def skip(self) -> bool:
        """Move on from a skipped step; a main question comes back after the others, once.

        Returns True when the skipped question comes back later in this interview.
        """
        question = self.questions[self.index]
        later = self.index + 1 < len(self.questions)
        if self.follow_up is None and later and question.id not in self.skipped_once:
            self.skipped_once.add(question.id)
            # The next question takes its number; the skipped one is asked last.
            self.questions.append(self.questions.pop(self.index))
            self.hints_used = 0
            return True
        self.advance()
        return False

    def advance(self) -> None:
        """Move to the next main question."""
        self.follow_up = None
        self.parent_turn_id = None
        self.hints_used = 0
        self.index += 1


def with_hint_penalty(grade: Grade, hints_used: int) -> Grade:
    """The grade after taking HINT_PENALTY points per hint, with a note saying so.

    The verdict is the band of the score shown (a 62 after hints is not "strong"), and an answer
    that contradicts a key point is still never strong; "no answer" stays what it is.
    """
    from assistant.grading.explain import verdict_for  # numpy: not needed for the first question

    if hints_used <= 0:
        return grade
    score = max(0, grade.score - HINT_PENALTY * hints_used)
    notes = [*grade.notes, Note(NoteCode.HINTS_USED, str(hints_used))]
    verdict = grade.verdict
    if verdict is not Verdict.NO_ANSWER:
        verdict = verdict_for(score)
        contradicted = any(r.status is Coverage.CONTRADICTED for r in grade.key_points)
        if contradicted and verdict is Verdict.STRONG:
            verdict = Verdict.ADEQUATE
    return replace(grade, score=score, verdict=verdict, notes=notes)


def follow_up_target(step: Step, lang: Lang) -> GradingTarget:
    """What a follow-up answer is graded against: the one key point it probes."""
    from assistant.grading.target import GradingTarget  # numpy: not needed for the first question

    assert step.follow_up is not None
    key_point = step.question.key_point(step.follow_up.key_point)
    return GradingTarget(
        question=step.follow_up.question.get(lang),
        reference=key_point.text(lang),
        key_points=[(key_point.id, key_point.text(lang))],
        lang=lang,
    )
