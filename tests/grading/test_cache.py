"""The embedding cache: a second start encodes no bank text; keys separate models and texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.pipeline import Grader
from assistant.grading.target import GradingTarget
from tests.grading.conftest import DRIFT, GOOD_EN, CountingBackend


def test_second_start_encodes_no_reference_text(
    backend: SentenceTransformerBackend, tmp_path: Path
) -> None:
    target = GradingTarget.from_question(DRIFT, "en")
    bank_texts = {target.question, target.reference, *(t for _, t in target.key_points)}

    first = CountingBackend(backend)
    Grader(first, EmbeddingCache(tmp_path / "cache")).grade(target, GOOD_EN)
    assert bank_texts <= set(first.encoded)

    second = CountingBackend(backend)
    grade = Grader(second, EmbeddingCache(tmp_path / "cache")).grade(target, GOOD_EN)
    assert second.encoded, "the answer itself is always encoded"
    assert not bank_texts & set(second.encoded)
    assert grade.score > 0
    assert (tmp_path / "cache" / "embeddings.sqlite3").is_file()


def test_warm_up_encodes_each_bank_text_once(
    backend: SentenceTransformerBackend, tmp_path: Path
) -> None:
    targets = [GradingTarget.from_question(DRIFT, lang) for lang in ("en", "fr")]
    counting = CountingBackend(backend)
    grader = Grader(counting, EmbeddingCache(tmp_path))
    assert grader.warm_up(targets) == 10  # question, reference, 3 key points, in 2 languages
    assert grader.warm_up(targets) == 0
    assert len(counting.encoded) == 10


def test_vectors_are_keyed_by_model_and_text(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    vector = np.arange(4, dtype=np.float32)
    cache.put_many("model-a", {"some text": vector})
    reopened = EmbeddingCache(tmp_path)
    assert np.array_equal(reopened.get_many("model-a", ["some text"])["some text"], vector)
    assert reopened.get_many("model-b", ["some text"]) == {}
    assert reopened.get_many("model-a", ["some text."]) == {}


def test_unwritable_cache_directory_degrades_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = EmbeddingCache(blocker / "cache")
    cache.put_many("m", {"t": np.ones(3, dtype=np.float32)})
    assert "t" in cache.get_many("m", ["t"])


def test_nothing_is_created_before_first_use(tmp_path: Path) -> None:
    EmbeddingCache(tmp_path / "cache")
    assert not (tmp_path / "cache").exists()
