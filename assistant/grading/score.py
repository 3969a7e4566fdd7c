"""Stage 5, `score`: from alignment and verification to a status per key point and a score.

With a verifier, a key point is **contradicted** when an on-topic span says its opposite more
surely than any span states it (and that span is more like this key point than any other: one
statement cannot contradict several points at once), **covered** when a span entails it,
**partly covered** when the entailment is weak or only the similarity is high, else
**missed**. Its credit is its entailment probability (full from `entailment_full`) less
`contradiction_cost` times its contradiction probability, so a confidently wrong answer loses
points instead of earning them for its vocabulary. Without a verifier, the similarity of the
best span decides alone, as before verification existed.

With `status_weights` (the release's setting, for a verifier reading spans), the marks come
instead from a fitted step: a logistic regression from what the verifier read of the key point
(`STATUS_FEATURES`) to the probabilities that it is stated, not stated or contradicted, fitted
on the authored corpus by `bench/fit_status.py`; ≠ is shown only from a probability chosen for
precision. The credit, and so the score, stays the thresholds' unless `score_weights` is set.

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


STATUS_FEATURES = (
    "entailment",
    "contradiction on topic",
    "contradiction",
    "similarity",
    "entailment x similarity",
    "contradiction on topic x similarity",
    "whole-answer similarity",
    "word overlap",
    "bias",
)
"""What the fitted status step reads of one key point (`ScoringParameters.status_weights` has
one row per feature, in this order): the verifier's strongest entailment over the key point's
candidate spans, its strongest contradiction by a span about this key point and by any span,
the best span's similarity, two products, and the answer's whole similarity and word overlap
(as `score` ramps them)."""


@dataclass(frozen=True)
class PointReading:
    """The verifier's reading of one key point's candidate spans, before any status."""

    entailing: tuple[Candidate, Judgement] | None
    """The span that entails the key point most surely, with its judgement."""
    contradicting: tuple[Candidate, Judgement] | None
    """The span about this key point that contradicts it most surely, with its judgement."""
    any_contradiction: float
    """The strongest contradiction by any candidate span (on topic or not)."""
    similarity: float
    """The best span's similarity."""

    @property
    def entail(self) -> float:
        """The strongest entailment."""
        return self.entailing[1].entailment if self.entailing else 0.0

    @property
    def contra(self) -> float:
        """The strongest contradiction on topic."""
        return self.contradicting[1].contradiction if self.contradicting else 0.0

    def features(self, whole: float, lexical: float) -> list[float]:
        """The fitted step's inputs (`STATUS_FEATURES`), given the answer's whole similarity
        and word overlap, both ramped to 0-1."""
        e, c, sim = self.entail, self.contra, self.similarity
        return [e, c, self.any_contradiction, sim, e * sim, c * sim, whole, lexical, 1.0]


def read_point(
    candidates: tuple[Candidate, ...],
    judgements: tuple[Judgement, ...],
    mine: set[Span],
    p: ScoringParameters,
) -> PointReading:
    """What the verifier says of one key point's candidates (`mine`: the spans most like it)."""
    pairs = list(zip(candidates, judgements, strict=True))
    # A statement is about one key point: it can contradict only the one it is most like.
    on_topic = [
        (c, j)
        for c, j in pairs
        if c.similarity >= p.contradiction_min_similarity and c.span in mine
    ]
    return PointReading(
        entailing=max(pairs, key=lambda cj: cj[1].entailment, default=None),
        contradicting=max(on_topic, key=lambda cj: cj[1].contradiction, default=None),
        any_contradiction=max((j.contradiction for j in judgements), default=0.0),
        similarity=candidates[0].similarity if candidates else 0.0,
    )


def status_probabilities(features: list[float], p: ScoringParameters) -> np.ndarray:
    """The fitted step's probabilities that a key point is stated, not stated, contradicted."""
    logits: np.ndarray = np.asarray(features) @ np.asarray(p.status_weights)
    odds: np.ndarray = np.exp(logits - logits.max())
    found: np.ndarray = odds / odds.sum()
    return found


def _fitted_point(
    reading: PointReading, probabilities: np.ndarray, p: ScoringParameters
) -> PointScore:
    """A key point's status from the fitted step: contradicted when its probability reaches
    `fitted_contradicted_at` (chosen for precision) and beats being stated, covered when being
    stated is likelier than either other reading, partly covered from `partly_entailed_at`
    when stated is likelier than contradicted (a similar span alone does not make it partly
    covered: a contradiction below the mark's threshold must not be shown as half right)."""
    stated, not_stated, contradicted = (float(x) for x in probabilities)
    sim = reading.similarity
    # The credit the score reads: the probability of being stated for the fitted score, else
    # the thresholds' credit (the marks are fitted, the score is not).
    credit = stated if p.score_weights else _credit(reading, p)
    if reading.contradicting and contradicted >= p.fitted_contradicted_at and contradicted > stated:
        return PointScore(Coverage.CONTRADICTED, credit, sim, *reading.contradicting)
    if reading.entailing and stated >= max(not_stated, contradicted):
        return PointScore(Coverage.COVERED, credit, sim, *reading.entailing)
    if reading.entailing and stated >= p.partly_entailed_at and stated > contradicted:
        return PointScore(Coverage.PARTIAL, credit, sim, *reading.entailing)
    return PointScore(Coverage.MISSED, credit, sim)


def _credit(reading: PointReading, p: ScoringParameters) -> float:
    """A key point's credit from the verifier's probabilities: entailment ramped to full credit
    at `entailment_full`, less `contradiction_cost` times the contradiction on topic."""
    ramped = _ramp(reading.entail, p.entailment_none, p.entailment_full)
    return ramped - p.contradiction_cost * reading.contra


def _verified_point(reading: PointReading, p: ScoringParameters) -> PointScore:
    best_sim = reading.similarity
    entailing, contradicting = reading.entailing, reading.contradicting
    entail, contra = reading.entail, reading.contra
    credit = _credit(reading, p)
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


def _fitted_score(probabilities: list[np.ndarray], p: ScoringParameters) -> float:
    """The fitted score, 0-1 before the screen's factors: a linear step from the mean
    probability that a key point is stated and the mean that it is contradicted
    (`score_weights`, fitted on the examiners' scores)."""
    if not probabilities:
        return 0.0
    found = np.array(probabilities)
    stated, contradicted = found[:, 0].mean(), found[:, 2].mean()
    a, b, c = p.score_weights
    return float(a * stated + b * contradicted + c) / 100


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


def _mine(alignment: Alignment) -> list[set[Span]]:
    """For each key point, the candidate spans more like it than like any other key point."""
    owners = _closest_point(alignment)
    return [
        {span for span, o in owners.items() if o == i} for i in range(len(alignment.candidates))
    ]


def _span_readings(
    alignment: Alignment, verification: Verification, p: ScoringParameters
) -> list[PointReading]:
    """The verifier's reading of each key point's candidate spans."""
    mine = _mine(alignment)
    return [
        read_point(c, j, mine[i], p)
        for i, (c, j) in enumerate(zip(alignment.candidates, verification.judgements, strict=True))
    ]


def _ramps(screening: Screening, alignment: Alignment, p: ScoringParameters) -> tuple[float, float]:
    """The whole answer's similarity and its content-word overlap with the key points, each
    ramped to 0-1 (no overlap for a keyword list: it matches content words by construction,
    which shows no understanding)."""
    target = screening.target
    lexical = content_overlap(screening.graded, [t for _, t in target.points()], target.question)
    lexical_ramp = 0.0 if screening.keyword_list else min(1.0, lexical / p.lexical_high)
    return _ramp(alignment.whole_similarity, p.whole_low, p.whole_high), lexical_ramp


def status_inputs(
    screening: Screening,
    alignment: Alignment,
    verification: Verification,
    params: ScoringParameters = DEFAULT_PARAMETERS,
) -> list[list[float]]:
    """What the fitted status step reads of each key point (`STATUS_FEATURES`), for a
    verification of spans: what `bench/fit_status.py` fits it on."""
    whole, lexical = _ramps(screening, alignment, params)
    return [r.features(whole, lexical) for r in _span_readings(alignment, verification, params)]


def score(
    screening: Screening,
    alignment: Alignment,
    verification: Verification,
    params: ScoringParameters = DEFAULT_PARAMETERS,
) -> Scoring:
    """Score one answer from the outputs of the earlier stages."""
    p = params
    whole_ramp, lexical_ramp = _ramps(screening, alignment, p)
    fitted_score = False
    raw = 0.0
    if verification.verified:
        if verification.answer:
            mine = _mine(alignment)
            points = tuple(
                _answer_point(c, j, mine[i], p)
                for i, (c, j) in enumerate(
                    zip(alignment.candidates, verification.answer, strict=True)
                )
            )
        else:
            readings = _span_readings(alignment, verification, p)
            if p.status_weights:
                probabilities = [
                    status_probabilities(r.features(whole_ramp, lexical_ramp), p) for r in readings
                ]
                points = tuple(
                    _fitted_point(r, pr, p) for r, pr in zip(readings, probabilities, strict=True)
                )
                fitted_score = bool(p.score_weights)
                if fitted_score:
                    raw = _fitted_score(probabilities, p)
            else:
                points = tuple(_verified_point(r, p) for r in readings)
        w_points = p.verified_weight_key_points
        rest = (1 - w_points) / (p.weight_whole + p.weight_lexical)
        w_whole, w_lexical = p.weight_whole * rest, p.weight_lexical * rest
    else:
        points = tuple(_similarity_point(c, p) for c in alignment.candidates)
        w_points, w_whole, w_lexical = p.weight_key_points, p.weight_whole, p.weight_lexical
    if screening.stops:
        return Scoring(0, points, verified=verification.verified)
    if screening.keyword_list:  # its overlap counts for nothing, and weighs nothing
        w_lexical = 0.0
    if not fitted_score:  # the key points' credit mixed with the answer's similarity and overlap
        credit = float(np.mean([pt.credit for pt in points])) if points else 0.0
        raw = (w_points * credit + w_whole * whole_ramp + w_lexical * lexical_ramp) / (
            w_points + w_whole + w_lexical
        )
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
