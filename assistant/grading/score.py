"""Stage 5, `score`: from alignment and verification to a status per key point and a score.

With a verifier, a key point is **contradicted** when an on-topic span says its opposite more
surely than any span states it (and that span is more like this key point than any other: one
statement cannot contradict several points at once), **covered** when a span entails it,
**partly covered** when the entailment is weak or only the similarity is high, else
**missed**. Its credit is its entailment probability (full from `entailment_full`) less
`contradiction_cost` times its contradiction probability, so a confidently wrong answer loses
points instead of earning them for its vocabulary. Without a verifier, the similarity of the
best span decides alone, as before verification existed.

The score mixes the key points' credit with whole-answer similarity and content-word overlap;
the screen's flags then multiply it down (restated question, keyword list, other language).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.grading.align import Alignment, Candidate
from assistant.grading.grade import Coverage
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters
from assistant.grading.screen import Screening, content_overlap
from assistant.grading.segment import Span
from assistant.grading.verify import Judgement, Verification


@dataclass(frozen=True)
class PointScore:
    """One key point's status, credit and the span that decided it."""

    status: Coverage
    credit: float
    """From -contradiction_cost (surely contradicted) to 1 (surely stated)."""
    similarity: float
    """Similarity of the best-matching span."""
    evidence: Candidate | None = None
    judgement: Judgement | None = None


@dataclass(frozen=True)
class Scoring:
    """The stage's output."""

    score: int
    """0-100, before any hint penalty."""
    points: tuple[PointScore, ...]
    restated: bool = False
    """The answer restates the question (screen's lexical test confirmed by similarity)."""
    verified: bool = False

    @property
    def contradicted(self) -> int:
        """How many key points the answer contradicts."""
        return sum(p.status is Coverage.CONTRADICTED for p in self.points)


def _ramp(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0))


def _verified_point(
    candidates: tuple[Candidate, ...],
    judgements: tuple[Judgement, ...],
    mine: set[Span],
    p: ScoringParameters,
) -> PointScore:
    best_sim = candidates[0].similarity if candidates else 0.0
    pairs = list(zip(candidates, judgements, strict=True))
    # A statement is about one key point: it can contradict only the one it is most like.
    on_topic = [
        (c, j)
        for c, j in pairs
        if c.similarity >= p.contradiction_min_similarity and c.span in mine
    ]
    entailing = max(pairs, key=lambda cj: cj[1].entailment, default=None)
    contradicting = max(on_topic, key=lambda cj: cj[1].contradiction, default=None)
    entail = entailing[1].entailment if entailing else 0.0
    contra = contradicting[1].contradiction if contradicting else 0.0
    credit = _ramp(entail, p.entailment_none, p.entailment_full) - p.contradiction_cost * contra
    if contradicting and contra >= p.contradicted_at and contra > entail:
        return PointScore(Coverage.CONTRADICTED, credit, best_sim, *contradicting)
    if entailing and entail >= p.entailed_at:
        return PointScore(Coverage.COVERED, credit, best_sim, *entailing)
    if entailing and (entail >= p.partly_entailed_at or best_sim >= p.covered_at):
        return PointScore(Coverage.PARTIAL, credit, best_sim, *entailing)
    return PointScore(Coverage.MISSED, credit, best_sim)


def _answer_point(
    candidates: tuple[Candidate, ...],
    judgement: Judgement,
    mine: set[Span],
    p: ScoringParameters,
) -> PointScore:
    """A key point judged against the answer itself: the verifier's reading decides the status;
    the evidence shown is the span most like the key point (the one about it, for a
    contradiction, when one is)."""
    best_sim = candidates[0].similarity if candidates else 0.0
    entail, contra = judgement.entailment, judgement.contradiction
    credit = _ramp(entail, p.entailment_none, p.entailment_full) - p.contradiction_cost * contra
    about = [c for c in candidates if c.span in mine] or list(candidates)
    if contra >= p.contradicted_at and contra > entail:
        evidence = about[0] if about else None
        return PointScore(Coverage.CONTRADICTED, credit, best_sim, evidence, judgement)
    evidence = candidates[0] if candidates else None
    if entail >= p.entailed_at:
        return PointScore(Coverage.COVERED, credit, best_sim, evidence, judgement)
    if entail >= p.partly_entailed_at:
        return PointScore(Coverage.PARTIAL, credit, best_sim, evidence, judgement)
    return PointScore(Coverage.MISSED, credit, best_sim)


def _similarity_point(candidates: tuple[Candidate, ...], p: ScoringParameters) -> PointScore:
    best = candidates[0] if candidates else None
    sim = best.similarity if best else 0.0
    credit = _ramp(sim, p.coverage_low, p.coverage_high)
    if best and sim >= p.covered_at:
        return PointScore(Coverage.COVERED, credit, sim, best)
    if best and sim >= p.partial_at:
        return PointScore(Coverage.PARTIAL, credit, sim, best)
    return PointScore(Coverage.MISSED, credit, sim)


def _closest_point(alignment: Alignment) -> dict[Span, int]:
    """For each candidate span, the key point it is most similar to."""
    best: dict[Span, tuple[float, int]] = {}
    for point, candidates in enumerate(alignment.candidates):
        for candidate in candidates:
            if candidate.span not in best or candidate.similarity > best[candidate.span][0]:
                best[candidate.span] = (candidate.similarity, point)
    return {span: point for span, (_, point) in best.items()}


def score(
    screening: Screening,
    alignment: Alignment,
    verification: Verification,
    params: ScoringParameters = DEFAULT_PARAMETERS,
) -> Scoring:
    """Score one answer from the outputs of the earlier stages."""
    p = params
    if verification.verified:
        owners = _closest_point(alignment)
        mine = [
            {span for span, o in owners.items() if o == i} for i in range(len(alignment.candidates))
        ]
        if verification.answer:
            points = tuple(
                _answer_point(c, j, mine[i], p)
                for i, (c, j) in enumerate(
                    zip(alignment.candidates, verification.answer, strict=True)
                )
            )
        else:
            points = tuple(
                _verified_point(c, j, mine[i], p)
                for i, (c, j) in enumerate(
                    zip(alignment.candidates, verification.judgements, strict=True)
                )
            )
        w_points = p.verified_weight_key_points
        rest = (1 - w_points) / (p.weight_whole + p.weight_lexical)
        w_whole, w_lexical = p.weight_whole * rest, p.weight_lexical * rest
    else:
        points = tuple(_similarity_point(c, p) for c in alignment.candidates)
        w_points, w_whole, w_lexical = p.weight_key_points, p.weight_whole, p.weight_lexical
    if screening.stops:
        return Scoring(0, points, verified=verification.verified)
    target = screening.target
    lexical = content_overlap(screening.graded, [t for _, t in target.points()], target.question)
    # A keyword list matches content words by construction: that overlap shows no understanding.
    if screening.keyword_list:
        w_lexical = 0.0
    credit = float(np.mean([pt.credit for pt in points])) if points else 0.0
    raw = (
        w_points * credit
        + w_whole * _ramp(alignment.whole_similarity, p.whole_low, p.whole_high)
        + w_lexical * min(1.0, lexical / p.lexical_high)
    ) / (w_points + w_whole + w_lexical)
    restated = (
        screening.echoes_question
        and alignment.question_similarity >= p.restated_question_similarity
    )
    if restated:
        raw *= p.restated_factor
    if screening.keyword_list:
        raw *= p.keyword_factor
    if screening.other_language:
        raw *= p.other_language_factor
    return Scoring(round(100 * min(1.0, max(0.0, raw))), points, restated, verification.verified)
