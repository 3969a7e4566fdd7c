"""Grading fixtures: a grader on the real model (the session `backend` of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.grading.backend import EmbeddingBackend, SentenceTransformerBackend, Vectors
from assistant.grading.cache import EmbeddingCache
from assistant.grading.pipeline import Grader
from assistant.grading.target import GradingTarget
from assistant.knowledge.models import Question, parse


class CountingBackend:
    """Wraps a backend and records every text it is asked to encode."""

    def __init__(self, inner: EmbeddingBackend) -> None:
        self.inner = inner
        self.encoded: list[str] = []

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    @property
    def cache_key(self) -> str:
        return self.inner.cache_key

    @property
    def max_seq_length(self) -> int:
        return self.inner.max_seq_length

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.encoded.extend(texts)
        return self.inner.encode(texts)

    def encode_pieces(self, texts: Sequence[str], starts: Sequence[Sequence[int]]) -> list[Vectors]:
        self.encoded.extend(texts)
        return self.inner.encode_pieces(texts, starts)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)


@pytest.fixture
def grader(backend: SentenceTransformerBackend) -> Grader:
    """A grader on the real model with a memory-only cache."""
    return Grader(backend, EmbeddingCache(None), bank_version="test-bank@1")


DRIFT = parse(
    Question,
    {
        "id": "model-drift",
        "category": "fundamentals",
        "difficulty": 1,
        "question": {
            "en": "What is model drift, and what is concept drift?",
            "fr": "Qu'est-ce que la dérive du modèle et la dérive conceptuelle ?",
        },
        "answer": {
            "en": (
                "Model drift is the loss of performance of a model over time because the data "
                "it sees in production moves away from the data it was trained on. Concept drift "
                "is a kind of model drift where the relationship between the inputs and the "
                "target changes, so the model's assumptions stop holding. Models in production "
                "must therefore be monitored and retrained regularly."
            ),
            "fr": (
                "La dérive du modèle est la perte de performance d'un modèle au fil du temps, "
                "parce que les données vues en production s'éloignent des données "
                "d'entraînement. La dérive conceptuelle est un type de dérive où la relation "
                "entre les entrées et la cible change, si bien que les hypothèses du modèle ne "
                "tiennent plus. Il faut donc surveiller les modèles en production et les "
                "réentraîner régulièrement."
            ),
        },
        "key_points": [
            {
                "id": "data-moves-away",
                "en": "Model drift happens when production data moves away from the training data.",
                "fr": "La dérive du modèle survient quand les données de production s'éloignent "
                "des données d'entraînement.",
            },
            {
                "id": "relationship-changes",
                "en": "Concept drift is when the relationship between inputs and target changes.",
                "fr": "La dérive conceptuelle, c'est quand la relation entre les entrées et la "
                "cible change.",
            },
            {
                "id": "monitor-and-retrain",
                "en": "Models in production must be monitored and retrained regularly.",
                "fr": "Les modèles en production doivent être surveillés et réentraînés "
                "régulièrement.",
            },
        ],
    },
)
"""A small bank question written for these tests, independent of the shipped bank."""


@pytest.fixture
def drift_en() -> GradingTarget:
    """The drift question in English."""
    return GradingTarget.from_question(DRIFT, "en")


GOOD_EN = (
    "Model drift is when the model gets worse because live data no longer looks like the data "
    "it was trained on. Concept drift is when the link between the features and the target "
    "itself changes. So you have to monitor production models and retrain them."
)
GOOD_FR = (
    "La dérive du modèle, c'est quand le modèle se dégrade parce que les données réelles ne "
    "ressemblent plus aux données d'entraînement. La dérive conceptuelle, c'est quand le lien "
    "entre les variables et la cible change. Il faut donc surveiller les modèles et les "
    "réentraîner."
)
VAGUE_EN = "It is when the model does not work as well as before after some time."
