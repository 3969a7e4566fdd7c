"""Language detection and segmentation, without the model."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.grading.language import detect_language
from assistant.grading.segment import segment_answer, split_clauses, split_sentences


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Model drift is when the data changes over time.", "en"),
        ("La dérive du modèle, c'est quand les données changent avec le temps.", "fr"),
        ("Je ne sais pas.", "fr"),
        ("I don't know.", "en"),
        ("Docker, Kubernetes, MLflow", None),
        ("", None),
        ("Git, DVC, reproductibilité, déploiement", None),
        ("reproductibilité, déploiement, sécurité, données", "fr"),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


def test_split_sentences_keeps_abbreviations_and_merges_fragments() -> None:
    text = "Use tools, e.g. Airflow. Yes.\n- retrain on new data\n- monitor drift in production"
    assert split_sentences(text) == [
        "Use tools, e.g. Airflow. Yes.",
        "retrain on new data",
        "monitor drift in production",
    ]


def word_counter(texts: Sequence[str]) -> list[int]:
    """One token per word: enough to test the window arithmetic."""
    return [len(t.split()) for t in texts]


def test_short_answer_is_one_segment_per_sentence() -> None:
    seg = segment_answer("First point here. Second point there.", word_counter, 256)
    assert seg.segments == ("First point here.", "Second point there.")
    assert not seg.exceeds_model and not seg.windowed


def test_long_sentence_becomes_overlapping_windows_covering_every_word() -> None:
    words = [f"w{i}" for i in range(300)]
    seg = segment_answer(" ".join(words), word_counter, max_seq_length=22)
    assert seg.exceeds_model and seg.windowed
    assert all(len(s.split()) <= 20 for s in seg.segments)
    assert len(seg.segments) > 5
    seen = [w for s in seg.segments for w in s.split()]
    assert set(seen) == set(words)  # nothing dropped
    assert len(seen) > len(words)  # windows overlap
    assert seg.segments[-1].split()[-1] == "w299"


def test_many_short_sentences_exceed_the_model_without_windows() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(30))
    seg = segment_answer(text, word_counter, max_seq_length=50)
    assert seg.exceeds_model and not seg.windowed
    assert len(seg.segments) == 30


def test_long_sentence_is_also_cut_into_clauses() -> None:
    run_on = (
        "I package the model with its dependencies in a container, upload it to SageMaker, "
        "create an endpoint, configure autoscaling, access control and encryption, then monitor it."
    )
    assert split_clauses(run_on) == [
        "I package the model with its dependencies in a container",
        "upload it to SageMaker",
        "create an endpoint configure autoscaling",
        "access control and encryption",
        "then monitor it.",
    ]
    assert split_clauses("Drift, in short, hurts models.") == ["Drift, in short, hurts models."]


def test_clauses_are_pieces_of_their_sentence_with_their_offsets() -> None:
    first = "A short one here."
    second = "We version data with DVC, code with Git, and models in a registry always."
    text = f"{first} {second}"
    seg = segment_answer(text, word_counter, 256)
    assert seg.segments == (first, second)
    assert seg.pieces[0] == first
    assert seg.piece_of == (0, 1, 1, 1)
    assert seg.starts is not None
    assert [text[start:].split()[0] for start in seg.starts] == ["A", "We", "code", "and"]
