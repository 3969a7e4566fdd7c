"""The `screen` stage, without a model: what is noticed before grading, and the length bound."""

from __future__ import annotations

from assistant.grading.parameters import ScoringParameters
from assistant.grading.screen import bounded_prefix, screen
from assistant.grading.target import GradingTarget

TARGET = GradingTarget(
    question="What is model drift?",
    reference="Model drift is the loss of accuracy of a model in production as the data changes.",
    key_points=[("loss", "The model loses accuracy in production."), ("data", "The data changes.")],
)


def test_empty_and_dont_know_stop_the_pipeline() -> None:
    assert screen(TARGET, "   \n").stops
    assert screen(TARGET, "Honestly, I don't know.").dont_know
    assert screen(TARGET, "Je ne sais pas, désolé.").dont_know
    assert not screen(TARGET, "I don't know the name, but accuracy drops as data shifts.").stops


def test_flags_for_the_score_stage() -> None:
    assert screen(TARGET, "drift, accuracy, production, data, monitoring").keyword_list
    assert screen(TARGET, "Model drift is what model drift is.").echoes_question
    assert screen(TARGET, "Accuracy drops.").too_short
    french = screen(TARGET, "Le modèle perd en précision quand les données changent.")
    assert french.answer_lang == "fr" and french.other_language


def test_a_long_answer_is_graded_on_a_bounded_prefix_and_kept_whole() -> None:
    answer = "The data shifts and accuracy drops in production. " * 2000  # 16,000 words
    result = screen(TARGET, answer, ScoringParameters(max_graded_words=3000))
    assert result.answer == answer
    assert result.truncated
    assert result.words_total == 16000
    assert 2700 <= result.words_graded <= 3000
    assert answer.startswith(result.graded)
    assert result.graded.endswith("production.")  # cut at a sentence end


def test_bounded_prefix_leaves_a_short_answer_alone() -> None:
    assert bounded_prefix("One two three.", 3) == ("One two three.", 3, 3)
    prefix, kept, total = bounded_prefix("a b c d e f", 3)
    assert (prefix, kept, total) == ("a b c", 3, 6)
