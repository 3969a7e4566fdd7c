"""What an earlier run left: answers saved without a grade, and an interview to resume.

Answers are saved at once and graded when the model is ready; one that was loading or
unavailable leaves ungraded turns, graded here later. An interview left mid-way is rebuilt from
its turns: where it stopped, the skips it made, the time it had taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant.grading.grade import Grade
from assistant.grading.language import detect_language
from assistant.grading.target import GradingTarget
from assistant.interview.flow import Interview, InterviewSettings, Step, with_hint_penalty
from assistant.knowledge.loader import Bank
from assistant.knowledge.models import Lang, Question
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


def resumed_interview(
    questions: list[Question], settings: InterviewSettings, turns: Sequence[TurnRecord]
) -> Interview:
    """The interview where its log stopped: the main turns replayed in order, each answer
    moving on and each skip putting its question back at the end as it did the first time."""
    interview = Interview(list(questions), settings)
    for turn in turns:
        if turn.follow_up_of is not None or interview.finished:
            continue
        if interview.step.question.id != turn.question_id:
            continue  # a question no longer in the bank: already left out of `questions`
        if turn.skipped:
            interview.skip()
        else:
            interview.advance()
    return interview


def answered_questions(turns: Sequence[TurnRecord]) -> int:
    """How many main questions have an answer (follow-ups and skips are not counted)."""
    return len({t.question_id for t in turns if t.follow_up_of is None and not t.skipped})


def time_taken(turns: Sequence[TurnRecord]) -> float:
    """Seconds spent answering so far: from each question shown to its answer sent."""
    return sum(max((t.submitted_at - t.shown_at).total_seconds(), 0.0) for t in turns)


def ungraded_steps(turns: Sequence[TurnRecord], bank: Bank) -> list[tuple[TurnRecord, Step]]:
    """The answers still without a grade, each with the step it answered (from the bank).

    A follow-up is found by its question text in either language; an answer whose question
    is no longer in the bank is left to the next start's backlog.
    """
    found: list[tuple[TurnRecord, Step]] = []
    number = 0
    for turn in turns:
        if turn.follow_up_of is None:
            number += 1
        question = bank.get(turn.question_id)
        if turn.skipped or turn.grade is not None or question is None:
            continue
        if turn.follow_up_of is None:
            found.append((turn, Step(question, number)))
            continue
        follow_up = next(
            (
                f
                for f in question.follow_ups
                if turn.question_text in (f.question.en, f.question.fr)
            ),
            None,
        )
        if follow_up is not None:
            found.append((turn, Step(question, number, follow_up, turn.follow_up_of)))
    return found
