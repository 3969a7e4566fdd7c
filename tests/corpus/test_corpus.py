"""The authored verifier corpus (`verifier/corpus/`) keeps its promises: format, size, split,
second labels, no shortcut, and nothing of the bank's topics in its general part.

A bad batch fails here instead of quietly training a worse verifier. The similarity check uses
the real bundled model (the session `backend` of tests/conftest.py).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from assistant.grading.backend import SentenceTransformerBackend
from tests.conftest import REPO

BANK_SIMILARITY_LIMIT = 0.75
"""No general question or key point may be this close (cosine, all-MiniLM-L6-v2) to any bank
question or key point. The closest pairs found sit near 0.72 and are false friends (hashing vs
encrypting sensitive data; database normalisation vs feature normalisation); a paraphrase of a
bank key point scores above 0.8."""

REFUSED_TERMS = (
    "MLOps",
    "DevOps",
    "drift",
    "dérive des données",
    "dérive du modèle",
    "dérive conceptuelle",
    "DVC",
    "MLflow",
    "canary",
    "blue-green",
    "retraining",
    "réentraînement",
    "SHAP",
    "LIME",
    "serverless",
    "SageMaker",
    "feature store",
    "model registry",
    "high availability",
    "haute disponibilité",
    "failover",
    "autoscaling",
)
"""The bank's distinctive terms: none may appear in the general part (whole words)."""


def _load(name: str) -> ModuleType:
    """A module of `verifier/` (a tool folder, not a package)."""
    folder = REPO / "verifier"
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


authored = _load("authored")
second_label = _load("second_label")


@pytest.fixture(scope="module")
def items() -> list:
    """Every item of the corpus (reading it checks every line's format)."""
    return authored.read_corpus()


@pytest.fixture(scope="module")
def general(items: list) -> list:
    return [i for i in items if i.part == "general"]


def test_every_batch_line_follows_the_format() -> None:
    batches = sorted((REPO / "verifier" / "corpus").glob("*/*.jsonl"))
    batches = [b for b in batches if b.parent.name in ("general", "bank")]
    assert batches
    for batch in batches:
        _, problems = authored.read_batch(batch)
        assert problems == [], problems[:3]


def test_a_line_that_breaks_the_format_is_named_by_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    line = (
        '{"id": "x-1", "part": "general", "lang": "en", "question": "Q?", "reference": "R.",'
        ' "key_points": [{"id": "k1", "text": "a"}, {"id": "k2", "text": "b"},'
        ' {"id": "k3", "text": "c"}, {"id": "k4", "text": "d"}], "answers": [{"id": "a01",'
        ' "kind": "complete", "text": "t", "labels": {"k1": "stated", "k2": "stated",'
        ' "k3": "stated", "k4": "maybe"}, "score": 90, "verdict": "strong"}]}'
    )
    bad.write_text("\n" + line + "\n", encoding="utf-8")
    _, problems = authored.read_batch(bad)
    assert problems == [
        f"{bad}:2: answer 1: field 'labels': 'maybe' is not one of stated, not-stated, contradicted"
    ]


def test_the_corpus_is_as_large_as_promised(items: list, general: list) -> None:
    pairs = Counter(v for i in items for a in i.answers for v in a.labels.values())
    assert len(general) >= 300
    assert sum(i.lang == "fr" for i in general) / len(general) >= 0.30
    assert sum(pairs.values()) >= 15_000
    assert pairs["contradicted"] >= 2_000
    for item in general:
        assert 4 <= len(item.key_points) <= 6
        assert len(item.answers) >= 9, item.id
    bank = {(i.question_id, i.lang): len(i.answers) for i in items if i.part == "bank"}
    assert len(bank) == 72 and min(bank.values()) >= 12


def test_the_split_is_by_question_with_both_languages_in_validation(general: list) -> None:
    validation = [i for i in general if i.split == "validation"]
    assert len(validation) / len(general) >= 0.20
    assert {i.lang for i in validation} == {"en", "fr"}
    # One question, one side: no question text (nor id) appears twice.
    texts = Counter(" ".join(i.question.lower().split()) for i in general)
    assert max(texts.values()) == 1
    assert len({i.id for i in general}) == len(general)


def test_twins_are_training_pairs_that_differ_only_by_reversed_claims(items: list) -> None:
    pairs = 0
    for item in items:
        twins = [a for a in item.answers if a.kind.startswith("twin")]
        # Written for the training questions only: the validation slice stays as measured.
        assert not twins or item.split == "train", item.id
        assert len(twins) % 2 == 0, item.id
        for right, wrong in zip(twins[::2], twins[1::2], strict=True):
            assert (right.kind, wrong.kind) == ("twin-right", "twin-wrong"), (item.id, right.id)
            changed = [k for k, label in right.labels.items() if wrong.labels[k] != label]
            assert changed, (item.id, right.id)
            assert all(wrong.labels[k] == "contradicted" for k in changed), (item.id, right.id)
            assert wrong.score < right.score and wrong.verdict != "strong", (item.id, wrong.id)
            words = Counter(re.findall(r"\w+", right.text.lower()))
            kept = Counter(re.findall(r"\w+", wrong.text.lower())) & words
            assert kept.total() / words.total() >= 0.75, (item.id, right.id)
            pairs += 1
    assert pairs >= 600


def test_every_label_occurs_at_every_length(items: list) -> None:
    """No shortcut: short, medium and long answers each carry every label, often."""
    found: Counter[tuple[str, str]] = Counter()
    for item in items:
        for answer in item.answers:
            words = len(answer.text.split())
            size = "short" if words <= 25 else "medium" if words <= 100 else "long"
            for label in answer.labels.values():
                found[(size, label)] += 1
    for size in ("short", "medium", "long"):
        for label in authored.LABELS:
            assert found[(size, label)] >= 150, (size, label, found[(size, label)])


def test_length_and_key_point_alone_predict_little_on_validation(items: list) -> None:
    """Gururangan et al. 2018: a label guessable from one side alone is a shortcut."""
    sys.path.insert(0, str(REPO / "bench"))
    from bench.grading_corpus import baselines

    train = [i for i in items if i.split == "train"]
    validation = [i for i in items if i.split == "validation"]
    rates = baselines(train, validation)
    assert rates["length_only"] <= rates["majority"] + 0.06, rates
    assert rates["key_point_only"] <= rates["majority"] + 0.03, rates


def test_every_batch_has_at_least_15_percent_of_its_pairs_labelled_twice(items: list) -> None:
    report = second_label.agreement(items)
    for batch, share in report["labelled_twice"].items():
        twice, total = (int(n) for n in share.split()[0].split("/"))
        assert twice / total >= 0.15, (batch, share)
    for lang in ("en", "fr"):
        assert report[lang]["pairs"] > 0


def test_no_bank_term_in_the_general_part(general: list) -> None:
    for term in REFUSED_TERMS:
        pattern = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", re.IGNORECASE)
        for item in general:
            texts = [item.question, item.reference, *(k.text for k in item.key_points)]
            texts += [a.text for a in item.answers]
            assert not any(pattern.search(t) for t in texts), (term, item.id)


def test_no_general_question_or_key_point_is_close_to_the_bank(
    general: list, backend: SentenceTransformerBackend
) -> None:
    bank = authored._bank_questions()
    bank_texts = [q for q, _, _ in bank.values()] + [
        k.text for _, _, points in bank.values() for k in points
    ]
    ours = [(i.id, i.question) for i in general] + [
        (i.id, k.text) for i in general for k in i.key_points
    ]
    similarity = backend.encode([t for _, t in ours]) @ backend.encode(bank_texts).T
    closest = similarity.max(axis=1)
    worst = int(np.argmax(closest))
    assert closest[worst] < BANK_SIMILARITY_LIMIT, (ours[worst], float(closest[worst]))


def test_no_answer_of_the_held_out_sets_is_in_the_corpus(items: list) -> None:
    """`bench/data/` measures the bank part; none of its answers may be trained on."""
    ours = {" ".join(a.text.lower().split()) for i in items for a in i.answers}
    import json

    for path in sorted((REPO / "bench" / "data").glob("*.jsonl")):
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                answer = " ".join(json.loads(raw)["answer"].lower().split())
                assert answer not in ours, (path.name, answer[:60])
