"""Grading answers that were saved without a grade (the model was loading or unavailable)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.grading.grade import Grade
from assistant.grading.language import detect_language
from assistant.grading.target import GradingTarget
from assistant.interview.flow import with_hint_penalty
from assistant.knowledge.loader import Bank
from assistant.knowledge.models import Lang
from assistant.store.records import TurnRecord

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader


def grade_stored_turn(grader: Grader, bank: Bank, turn: TurnRecord) -> Grade:
    """Grade a saved turn against the bank question when it is unchanged, else the stored text.

    The stored question and reference are what the candidate saw; the bank's key points are used
    only for a main question whose reference answer is still the one shown.
    """
    question = bank.get(turn.question_id)
    if (
        turn.follow_up_of is None
        and question is not None
        and turn.reference_answer in (question.answer.en, question.answer.fr)
    ):
        asked_in: Lang = "fr" if turn.reference_answer == question.answer.fr else "en"
        grade = grader.grade_question(question, turn.answer, asked_in)
    else:
        lang = detect_language(turn.reference_answer) or "en"
        target = GradingTarget(turn.question_text, turn.reference_answer, [], lang)
        grade = grader.grade(target, turn.answer)
    return with_hint_penalty(grade, turn.hints_used)
