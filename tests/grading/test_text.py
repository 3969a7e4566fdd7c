"""Language detection, without the model."""

from __future__ import annotations

import pytest

from assistant.grading.language import detect_language


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
