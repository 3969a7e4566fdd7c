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


def test_encoded_data_and_unbroken_tokens_are_not_language_and_stop_the_pipeline() -> None:
    """A 2,000-character base64 string scored 60 "Adequate", its key point covered."""
    import base64

    blob = base64.b64encode(bytes(range(256)) * 6).decode()  # 2,048 characters
    for answer in (blob, f"Here is my answer: {blob}", "x" * 5000, "0101 1100 " * 40):
        result = screen(TARGET, answer)
        assert result.not_language and result.stops, answer[:30]


def test_code_without_prose_is_not_language_but_code_inside_prose_is_graded() -> None:
    code = "def f(x):\n    y = x * 2\n    return y\nprint(f(3))"
    assert screen(TARGET, code).not_language
    explained = (
        "I would compare the live inputs with the training data:\n"
        "score = psi(train, live)\n"
        "and alert when the score goes above a threshold, because accuracy drops as data changes."
    )
    assert not screen(TARGET, explained).not_language
    assert not screen(
        TARGET, "Accuracy drops: see https://example.org/a/very/long/path/to/a/page/on/drift.html"
    ).not_language


def test_characters_are_bounded_as_well_as_words() -> None:
    """A 1 MB token is one "word": it was graded whole and echoed as evidence."""
    answer = "y" * 1_000_000
    prefix, graded_words, total_words = bounded_prefix(answer, 3000, 30_000)
    assert len(prefix) == 30_000 and (graded_words, total_words) == (1, 1)
    spaced = "word " * 20_000  # 100,000 characters, 20,000 words
    result = screen(TARGET, spaced, ScoringParameters(max_graded_words=50_000))
    assert result.truncated and len(result.graded) <= 30_000 and result.answer == spaced


def test_no_answer_written_for_the_corpus_or_the_labelled_sets_is_called_not_language() -> None:
    import json
    import sys

    from tests.conftest import REPO

    sys.path.insert(0, str(REPO / "verifier"))
    from authored import read_corpus

    answers = [a.text for item in read_corpus() for a in item.answers]
    for path in sorted((REPO / "bench" / "data").glob("*.jsonl")):
        answers += [json.loads(r)["answer"] for r in path.read_text("utf-8").splitlines() if r]
    flagged = [a for a in answers if screen(TARGET, a).not_language]
    assert len(answers) > 5000 and flagged == []


def test_a_terse_answer_of_qualified_items_is_not_a_keyword_list() -> None:
    """Terse right answers in list form were multiplied by the keyword factor (0.15)."""
    terse = "Git + DVC, pinned Docker env, fixed seeds, log every run's params"
    salad = "Git, DVC, Docker, seeds, MLflow, params"
    assert not screen(TARGET, terse).keyword_list
    assert screen(TARGET, salad).keyword_list
