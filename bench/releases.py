"""The grader as it was released before the authored corpus, for benches that print before and
after in one run: the previous verifier (a folder, e.g. a copy of the adapter it shipped) read
with the previous parameters (spans as premises, hand-chosen score weights)."""

from __future__ import annotations

from dataclasses import replace

from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters

PREVIOUS_PARAMETERS: ScoringParameters = replace(
    DEFAULT_PARAMETERS,
    verify_premise="spans",
    verified_weight_key_points=0.75,
    entailment_none=0.0,
    entailment_full=0.5,
    contradiction_cost=1.0,
    entailed_at=0.5,
    partly_entailed_at=0.25,
    contradicted_at=0.5,
    contradiction_min_similarity=0.32,
    keyword_item_words=5.0,
)
"""Every parameter the corpus release changed, at its previous value."""
