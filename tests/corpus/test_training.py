"""The verifier's training reads the corpus the way the grader does (`verifier/train.py`,
`verifier/spans.py`): bags of candidate spans with one label, a loss that takes the surest span
for a stated or contradicted key point and every span for a not-stated one, and validation
that reads a bag by the grader's own rule.

The span bags come from the product's `align` stage on the real bundled model (the session
`backend` of tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.parameters import DEFAULT_PARAMETERS
from assistant.grading.pipeline import Grader
from tests.corpus.test_corpus import _load, authored

torch = pytest.importorskip("torch")
functional = torch.nn.functional

train = _load("train")
spans = _load("spans")


def test_a_bag_of_one_premise_is_plain_cross_entropy() -> None:
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-1.0, 0.0, 2.0]])
    labels = torch.tensor([0, 1, 2])
    index = torch.tensor([[0], [1], [2]])
    assert torch.isclose(
        train.loss_of(logits, labels, index), functional.cross_entropy(logits, labels)
    )


def test_a_stated_or_contradicted_bag_takes_its_surest_span_a_not_stated_one_every_span() -> None:
    stating, silent, opposing = [3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 3.0]
    logits = torch.tensor([stating, silent, opposing])
    log_probs = torch.log_softmax(logits, dim=-1)
    both = torch.tensor([[0, 1]])

    stated = train.loss_of(logits, torch.tensor([0]), both)
    assert torch.isclose(stated, -log_probs[0, 0])
    contradicted = train.loss_of(logits, torch.tensor([2]), torch.tensor([[1, 2]]))
    assert torch.isclose(contradicted, -log_probs[2, 2])
    not_stated = train.loss_of(logits, torch.tensor([1]), both)
    assert torch.isclose(not_stated, -(log_probs[0, 1] + log_probs[1, 1]) / 2)
    # A bag with fewer premises than the widest is padded with -1, which counts for nothing.
    padded = train.loss_of(logits, torch.tensor([1, 1]), torch.tensor([[1, -1], [0, 1]]))
    assert torch.isclose(padded, (-log_probs[1, 1] + not_stated) / 2)


def test_a_bag_is_read_as_the_grader_reads_its_spans() -> None:
    entails, contradicts = [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]
    assert train.read_bag([entails, contradicts]) == contradicts
    assert train.read_bag([[0.8, 0.1, 0.1], contradicts]) == [0.8, 0.1, 0.1]
    assert train.read_bag([entails]) == entails


@pytest.fixture(scope="module")
def item() -> authored.Item:
    """A training question of the corpus's general part, with an "I don't know" answer added."""
    found = next(i for i in authored.read_corpus() if i.part == "general" and i.split == "train")
    first = found.answers[0]
    unknown = replace(first, id=first.id + "-idk", kind="vague", text="I don't know.")
    unknown = replace(unknown, labels={k: "not-stated" for k in first.labels})
    return replace(found, answers=(*found.answers[:3], unknown))


def test_span_bags_hold_the_spans_align_proposes_with_the_answers_label(
    backend: SentenceTransformerBackend, item: authored.Item
) -> None:
    grader = Grader(backend, EmbeddingCache(None), "test", DEFAULT_PARAMETERS)
    bags = spans.span_bags([item], "train", grader)

    texts = {k.id: k.text for k in item.key_points}
    expected = [
        (answer, texts[point], label)
        for answer in item.answers
        for point, label in answer.labels.items()
    ]
    assert [(b.hypothesis, b.label) for b in bags] == [
        (hypothesis, {"stated": 0, "not-stated": 1, "contradicted": 2}[label])
        for _, hypothesis, label in expected
    ]
    for bag, (answer, _, _) in zip(bags, expected, strict=True):
        assert bag.source == "authored-general" and bag.lang == item.lang
        if answer.text == "I don't know.":
            assert bag.premises == (answer.text,)  # the screen stops it: read whole
            continue
        assert 1 <= len(bag.premises) <= DEFAULT_PARAMETERS.candidates_per_point
        assert all(premise.strip() and premise in answer.text for premise in bag.premises)
    # The spans differ from key point to key point: each bag is what the grader shows for it.
    first = [b.premises for b in bags[: len(item.key_points)]]
    assert len(set(first)) > 1
    assert spans.span_bags([item], "validation", grader) == []


def test_a_contradiction_weight_counts_contradicted_bags_more_as_a_weighted_mean() -> None:
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [-1.0, 0.0, 2.0]])
    labels = torch.tensor([0, 1, 2])
    index = torch.tensor([[0], [1], [2]])
    weighted = train.loss_of(logits, labels, index, contradiction_weight=3.0)
    expected = functional.cross_entropy(logits, labels, weight=torch.tensor([1.0, 1.0, 3.0]))
    assert torch.isclose(weighted, expected)
    assert not torch.isclose(weighted, train.loss_of(logits, labels, index))


def test_the_replayed_public_sample_leaves_out_the_excluded_sources_and_repeats_french() -> None:
    import random

    from data import Pair

    pairs = [
        Pair(f"p{n}", "h", n % 3, source, lang)
        for n, (source, lang) in enumerate(
            [("snli", "en")] * 50 + [("mnli", "en")] * 30 + [("daccord", "fr")] * 10
        )
    ]
    kept = train.replayed(pairs, ["snli"], 20, 3, random.Random(1))
    assert not [p for p in kept if p.source == "snli"]
    english = [p for p in kept if p.lang == "en"]
    french = [p for p in kept if p.lang == "fr"]
    assert len(english) + len(french) // 3 == 20
    assert len(french) % 3 == 0
    assert len(train.replayed(pairs, [], 0, 1, random.Random(1))) == len(pairs)
