"""The `segment` stage, without the model: spans of the answer, verbatim, in linear time."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.grading.segment import Span, clause_spans, segment_answer, split_sentences


def word_counter(texts: Sequence[str]) -> list[int]:
    """One token per word: enough to test the window arithmetic."""
    return [len(t.split()) for t in texts]


def test_split_sentences_keeps_abbreviations_and_merges_fragments() -> None:
    text = "Use tools, e.g. Airflow. Yes.\n- retrain on new data\n- monitor drift in production"
    assert split_sentences(text) == [
        "Use tools, e.g. Airflow. Yes.",
        "retrain on new data",
        "monitor drift in production",
    ]


def test_every_span_is_the_answer_text_verbatim() -> None:
    text = "  First point here.\n\n* Second point, with a comma and more words to make it long!  "
    seg = segment_answer(text, word_counter, 256)
    assert seg.sentence_texts() == [
        "First point here.",
        "Second point, with a comma and more words to make it long!",
    ]
    for span in (*seg.sentences, *seg.pieces):
        assert span.of(text) == text[span.start : span.end]
        assert span.of(text).strip() == span.of(text)


def test_short_answer_is_one_sentence_each() -> None:
    seg = segment_answer("First point here. Second point there.", word_counter, 256)
    assert seg.sentence_texts() == ["First point here.", "Second point there."]
    assert not seg.exceeds_model and not seg.windowed


def test_long_sentence_becomes_overlapping_windows_covering_every_word() -> None:
    words = [f"w{i}" for i in range(300)]
    seg = segment_answer(" ".join(words), word_counter, max_seq_length=22)
    assert seg.exceeds_model and seg.windowed
    texts = seg.sentence_texts()
    assert all(len(s.split()) <= 20 for s in texts)
    assert len(texts) > 5
    seen = [w for s in texts for w in s.split()]
    assert set(seen) == set(words)  # nothing dropped
    assert len(seen) > len(words)  # windows overlap
    assert texts[-1].split()[-1] == "w299"


def test_many_short_sentences_exceed_the_model_without_windows() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(30))
    seg = segment_answer(text, word_counter, max_seq_length=50)
    assert seg.exceeds_model and not seg.windowed
    assert len(seg.sentences) == 30


def test_long_sentence_is_cut_into_clauses_quoted_verbatim() -> None:
    run_on = (
        "I package the model with its dependencies in a container, upload it to SageMaker, "
        "create an endpoint, configure autoscaling, access control and encryption, then monitor it."
    )
    clauses = [s.of(run_on) for s in clause_spans(run_on, Span(0, len(run_on)))]
    assert clauses == [
        "I package the model with its dependencies in a container",
        "upload it to SageMaker",
        "create an endpoint, configure autoscaling",
        "access control and encryption",
        "then monitor it.",
    ]
    short = "Drift, in short, hurts models."
    assert clause_spans(short, Span(0, len(short))) == [Span(0, len(short))]


def test_clauses_belong_to_their_sentence() -> None:
    first = "A short one here."
    second = "We version data with DVC, code with Git, and models in a registry always."
    text = f"{first} {second}"
    seg = segment_answer(text, word_counter, 256)
    assert seg.sentence_texts() == [first, second]
    assert seg.piece_texts() == [
        first,
        "We version data with DVC",
        "code with Git",
        "and models in a registry always.",
    ]
    assert seg.piece_of == (0, 1, 1, 1)
    assert seg.split_sentences() == [1, 2, 3]


def test_a_huge_answer_is_segmented_linearly() -> None:
    """200,000 sentences: a quadratic step (list.count per piece) would not finish."""
    text = "We monitor drift in production daily. " * 200_000
    seg = segment_answer(text, word_counter, 256)
    assert len(seg.sentences) == 200_000
    assert seg.split_sentences() == []
