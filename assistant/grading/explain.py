"""Stage 6, `explain`: the `Grade` the candidate sees, with notes and verbatim evidence.

The verdict follows the score's band, except that an answer contradicting a key point is never
"strong": a confident mistake must not be praised. Evidence is the span of the answer that
decided each key point, quoted exactly as typed, with its character offsets.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.grading.grade import Grade, KeyPointResult, Note, NoteCode, Verdict
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters
from assistant.grading.score import Scoring
from assistant.grading.screen import Screening
from assistant.grading.segment import Segmentation


def verdict_for(score: int, params: ScoringParameters = DEFAULT_PARAMETERS) -> Verdict:
    """The band of a score (no-answer is given only for empty and "I don't know" answers)."""
    if score >= params.strong_at:
        return Verdict.STRONG
    if score >= params.adequate_at:
        return Verdict.ADEQUATE
    if score >= params.partial_band_at:
        return Verdict.PARTIAL
    return Verdict.OFF_TARGET


def explain(
    screening: Screening,
    segmentation: Segmentation,
    scoring: Scoring,
    *,
    model_id: str = "",
    verifier_id: str = "",
    bank_version: str = "",
    verifier_problem: str | None = None,
    params: ScoringParameters = DEFAULT_PARAMETERS,
) -> Grade:
    """Build the grade of one answer."""
    target = screening.target
    results = []
    for (pid, text), point in zip(target.points(), scoring.points, strict=True):
        span = point.evidence.span if point.evidence else None
        judgement = point.judgement
        results.append(
            KeyPointResult(
                pid,
                text,
                point.status,
                round(point.similarity, 4),
                evidence=span.of(screening.answer) if span else None,
                span=(span.start, span.end) if span else None,
                entailment=round(judgement.entailment, 4) if judgement else None,
                contradiction=round(judgement.contradiction, 4) if judgement else None,
            )
        )
    notes: list[Note] = []
    if verifier_problem:
        notes.append(Note(NoteCode.NOT_VERIFIED, verifier_problem))
    base = Grade(
        score=0,
        verdict=Verdict.NO_ANSWER,
        key_points=results,
        notes=notes,
        answer_lang=screening.answer_lang or target.lang,
        reference_lang=target.lang,
        model_id=model_id,
        bank_version=bank_version,
        verifier_id=verifier_id if scoring.verified else "",
    )
    if screening.empty:
        return replace(base, notes=[*notes, Note(NoteCode.EMPTY)])
    if screening.dont_know:
        return replace(base, notes=[*notes, Note(NoteCode.DONT_KNOW)])
    if screening.not_language:
        return replace(
            base, verdict=Verdict.OFF_TARGET, notes=[*notes, Note(NoteCode.NOT_LANGUAGE)]
        )
    if screening.truncated:
        notes.append(
            Note(
                NoteCode.TRUNCATED,
                f"graded the first {screening.words_graded} of {screening.words_total} words",
            )
        )
    if segmentation.exceeds_model:
        notes.append(
            Note(
                NoteCode.SPLIT_LONG,
                f"{segmentation.total_tokens} tokens, model reads {segmentation.max_tokens}; "
                f"graded in {len(segmentation.sentences)} parts",
            )
        )
    if scoring.restated:
        notes.append(Note(NoteCode.RESTATES_QUESTION))
    if screening.keyword_list:
        notes.append(Note(NoteCode.KEYWORD_LIST))
    if screening.other_language:
        notes.append(Note(NoteCode.OTHER_LANGUAGE, f"{screening.answer_lang} vs {target.lang}"))
    score = scoring.score
    if scoring.contradicted:
        notes.append(Note(NoteCode.CONTRADICTIONS, str(scoring.contradicted)))
        score = min(score, params.strong_at - 1)
    if screening.too_short:
        # Only a note: a two-word answer can be right (name the stack operations), but a score
        # from so little text is fragile and the candidate should say more.
        notes.append(Note(NoteCode.TOO_SHORT))
    return replace(base, score=score, verdict=verdict_for(score, params), notes=notes)
