"""What an answer is graded against: a question, its reference answer and key points."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.grading.segment import split_sentences
from assistant.knowledge.models import Lang, Question


@dataclass(frozen=True)
class GradingTarget:
    """What an answer is graded against, in one language."""

    question: str
    """The question as asked."""
    reference: str
    """The reference answer."""
    key_points: list[tuple[str, str]] = field(default_factory=list)
    """(id, statement) pairs; when empty, the reference's sentences serve as key points."""
    lang: str = "en"
    """Language of question, reference and key points."""

    def points(self) -> list[tuple[str, str]]:
        """The key points, or the reference's sentences numbered when the target has none."""
        if self.key_points:
            return list(self.key_points)
        sentences = split_sentences(self.reference) or [self.reference]
        return [(f"reference-{i}", sentence) for i, sentence in enumerate(sentences, start=1)]

    @classmethod
    def from_question(cls, question: Question, lang: Lang) -> GradingTarget:
        """The bank question's texts in `lang`."""
        return cls(
            question=question.question.get(lang),
            reference=question.answer.get(lang),
            key_points=[(kp.id, kp.text(lang)) for kp in question.key_points],
            lang=lang,
        )
