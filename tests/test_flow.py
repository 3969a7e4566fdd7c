"""The interview flow, headless: order, hints, follow-ups, settings round trip."""

from __future__ import annotations

from assistant.grading.grade import Coverage, Grade, KeyPointResult, NoteCode, Verdict
from assistant.interview.flow import (
    HINT_PENALTY,
    Interview,
    InterviewSettings,
    Mode,
    follow_up_target,
    with_hint_penalty,
)
from assistant.knowledge.loader import load_bank
from assistant.knowledge.models import Question
from assistant.settings import shipped_bank_dir


def bank_questions() -> list[Question]:
    return list(load_bank([shipped_bank_dir()]).bank.questions.values())


def with_follow_up(questions: list[Question]) -> Question:
    return next(q for q in questions if q.follow_ups and q.hints)


def grade_missing(question: Question, missed_id: str, score: int = 40) -> Grade:
    return Grade(
        score=score,
        verdict=Verdict.PARTIAL,
        key_points=[
            KeyPointResult(
                kp.id,
                kp.en,
                Coverage.MISSED if kp.id == missed_id else Coverage.COVERED,
                0.2 if kp.id == missed_id else 0.8,
            )
            for kp in question.key_points
        ],
    )


def test_hints_come_in_order_then_run_out() -> None:
    q = with_follow_up(bank_questions())
    interview = Interview([q], InterviewSettings(lang="fr"))
    given = [interview.next_hint() for _ in q.hints]
    assert given == [h.fr for h in q.hints]
    assert interview.next_hint() is None
    assert interview.hints_used == len(q.hints)


def test_hint_penalty_lowers_score_and_says_so() -> None:
    grade = Grade(score=72, verdict=Verdict.ADEQUATE)
    after = with_hint_penalty(grade, 2)
    assert after.score == 72 - 2 * HINT_PENALTY
    assert after.notes[-1].code is NoteCode.HINTS_USED
    assert with_hint_penalty(Grade(score=3, verdict=Verdict.PARTIAL), 1).score == 0
    assert with_hint_penalty(grade, 0) is grade


def test_follow_up_asked_about_a_missed_key_point_in_practice_mode() -> None:
    q = with_follow_up(bank_questions())
    target = q.follow_ups[0].key_point
    interview = Interview([q], InterviewSettings(mode=Mode.PRACTICE))
    follow_up = interview.follow_up_after(grade_missing(q, target))
    assert follow_up is not None and follow_up.key_point == target
    interview.ask_follow_up(follow_up, parent_turn_id=7)
    step = interview.step
    assert step.is_follow_up and step.parent_turn_id == 7
    assert step.text("en") == follow_up.question.en
    assert step.reference("en") == q.key_point(target).en
    graded_against = follow_up_target(step, "en")
    assert graded_against.key_points == [(target, q.key_point(target).en)]
    # No follow-up of a follow-up, and the next question clears it.
    assert interview.follow_up_after(grade_missing(q, target)) is None
    interview.advance()
    assert interview.finished


def test_no_follow_up_in_mock_mode_or_for_a_good_answer() -> None:
    q = with_follow_up(bank_questions())
    target = q.follow_ups[0].key_point
    mock = Interview([q], InterviewSettings(mode=Mode.MOCK))
    assert mock.follow_up_after(grade_missing(q, target)) is None
    practice = Interview([q], InterviewSettings())
    assert practice.follow_up_after(grade_missing(q, target, score=85)) is None
    assert practice.follow_up_after(None) is None


def test_no_follow_up_when_the_missed_point_has_none() -> None:
    q = with_follow_up(bank_questions())
    tied = {f.key_point for f in q.follow_ups}
    untied = [kp.id for kp in q.key_points if kp.id not in tied]
    interview = Interview([q], InterviewSettings())
    assert interview.follow_up_after(grade_missing(q, untied[0])) is None


def test_settings_round_trip_and_bad_values_fall_back() -> None:
    settings = InterviewSettings(
        count=4, categories=("technical",), difficulty=2, lang="fr", mode=Mode.MOCK, seed=9
    )
    assert InterviewSettings.from_dict(settings.to_dict()) == settings
    odd = InterviewSettings.from_dict({"count": 0, "lang": "de", "mode": "exam", "difficulty": 7})
    assert odd == InterviewSettings()


def test_a_skipped_question_comes_back_after_the_others_once() -> None:
    questions = bank_questions()[:3]
    interview = Interview(list(questions), InterviewSettings(count=3))

    assert interview.skip()  # the first question goes to the end; the second takes its number
    assert interview.step.question.id == questions[1].id and interview.step.number == 1
    interview.advance()
    interview.advance()
    assert interview.step.question.id == questions[0].id and interview.step.number == 3
    assert not interview.skip()  # skipped again, nothing after it: the interview ends
    assert interview.finished and interview.total == 3


def test_skipping_the_last_question_or_a_follow_up_moves_on() -> None:
    questions = bank_questions()
    question = with_follow_up(questions)
    interview = Interview([question, questions[0]], InterviewSettings(count=2))
    follow_up = question.follow_ups[0]

    interview.ask_follow_up(follow_up, parent_turn_id=1)
    interview.skip()
    assert interview.step.question.id == questions[0].id and not interview.step.is_follow_up
    interview.skip()
    assert interview.finished


def test_a_contradicted_key_point_gets_the_follow_up_before_a_missed_one() -> None:
    q = next(question for question in bank_questions() if len(question.follow_ups) >= 2)
    order = [kp.id for kp in q.key_points]
    # The missed point comes first in the answer's key points, the contradicted one later.
    first, second = sorted((f.key_point for f in q.follow_ups[:2]), key=order.index)
    grade = Grade(
        score=40,
        verdict=Verdict.PARTIAL,
        key_points=[
            KeyPointResult(
                kp.id,
                kp.en,
                Coverage.MISSED
                if kp.id == first
                else Coverage.CONTRADICTED
                if kp.id == second
                else Coverage.COVERED,
                0.5,
            )
            for kp in q.key_points
        ],
    )
    interview = Interview([q], InterviewSettings(mode=Mode.PRACTICE))
    follow_up = interview.follow_up_after(grade)
    assert follow_up is not None and follow_up.key_point == second


def test_the_verdict_follows_the_score_after_hints() -> None:
    """Issue 13, item 4: 72 "strong" less two hints is 62, and 62 is not strong."""
    strong = Grade(score=72, verdict=Verdict.STRONG)
    after = with_hint_penalty(strong, 2)
    assert (after.score, after.verdict) == (72 - 2 * HINT_PENALTY, Verdict.ADEQUATE)
    assert with_hint_penalty(Grade(score=52, verdict=Verdict.ADEQUATE), 1).verdict is (
        Verdict.PARTIAL
    )
    # "No answer" is what the answer was, whatever the hints.
    nothing = with_hint_penalty(Grade(score=0, verdict=Verdict.NO_ANSWER), 1)
    assert nothing.verdict is Verdict.NO_ANSWER


def test_a_contradicted_answer_is_never_strong_after_hints() -> None:
    contradicted = KeyPointResult("kp", "a key point", Coverage.CONTRADICTED, 0.9)
    grade = Grade(score=95, verdict=Verdict.ADEQUATE, key_points=[contradicted])
    after = with_hint_penalty(grade, 1)
    assert (after.score, after.verdict) == (95 - HINT_PENALTY, Verdict.ADEQUATE)
    assert with_hint_penalty(grade, 10).verdict is Verdict.PARTIAL  # 45: the band, lower
