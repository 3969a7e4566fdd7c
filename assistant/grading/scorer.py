"""The grader: scores an answer by meaning, key point by key point, and says what it noticed.

How a score is made (all parameters are global, see `ScoringParameters`):

1. The answer is cut into sentences. When it fits what the model reads, one pass over the whole
   answer gives every sentence its vector (its tokens' mean), as cheap as a bare encode; a longer
   answer has its sentences (and windows of over-long ones) encoded one by one, so nothing is
   ever truncated. The whole answer is the normalised mean of its sentence vectors. Bank texts
   (question, reference, key points) come from the embedding cache.
2. Every vector loses part of its component along the question's embedding ("question demotion"):
   words that merely echo the question then stop counting as knowledge, which is what separates a
   restated question from an answer.
3. Each key point takes its best-matching answer piece; that similarity goes through a global
   ramp from "unrelated" to "paraphrase" levels of this model and gives the key point's coverage.
4. The score mixes mean key-point coverage, whole answer vs reference similarity and the share of
   the key points' own content words the answer uses. Notes then apply their penalties: a
   restated question and a keyword list (whose word overlap is discounted) are multiplied down,
   an answer in another language a little; empty and "I don't know" answers get 0; "too short"
   is only a note. Bands: strong >= 70, adequate >= 50, partial >= 25, else off-target.

What it cannot do: a confidently wrong answer that reuses the right words (swapped definitions,
negated facts) stays close to the key points for a bi-encoder, and scores like a good answer.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from assistant.grading.backend import EmbeddingBackend, Vectors
from assistant.grading.cache import EmbeddingCache
from assistant.grading.grade import Coverage, Grade, KeyPointResult, Note, NoteCode, Verdict
from assistant.grading.language import (
    FUNCTION_WORDS,
    detect_language,
    function_word_ratio,
    words,
)
from assistant.grading.segment import Segmentation, segment_answer, split_sentences
from assistant.knowledge.models import Lang, Question

if TYPE_CHECKING:
    from assistant.settings import Settings


@dataclass(frozen=True)
class ScoringParameters:
    """Every number the score depends on; global, never fitted per question.

    Chosen by small grid searches on the labelled MLOps answers of bench/data (ordering between
    quality levels, adversarial answers below vague ones) and on assignments 1-6 of the Mohler
    data; assignments 7-12 give the same Pearson r (bench/grading_mohler.py prints both).
    """

    match_clauses: bool = True
    """Match key points with the clauses of long sentences too, not only whole sentences."""
    question_demotion: float = 0.6
    """Share of each vector's component along the question that is removed before comparing."""
    coverage_low: float = 0.10
    """Key-point similarity (after demotion) of unrelated text: coverage 0 at or below."""
    coverage_high: float = 0.55
    """Similarity of a close paraphrase: coverage 1 at or above."""
    covered_at: float = 0.42
    """Similarity from which a key point counts as covered."""
    partial_at: float = 0.32
    """Similarity from which a key point counts as partially covered."""
    whole_low: float = 0.10
    """Whole answer vs reference similarity (after demotion) that maps to 0."""
    whole_high: float = 0.70
    """Whole answer vs reference similarity that maps to 1."""
    lexical_high: float = 0.6
    """Share of the key points' content words used by the answer that maps to 1."""
    weight_key_points: float = 0.30
    """Weight of mean key-point coverage."""
    weight_whole: float = 0.30
    """Weight of whole-answer similarity."""
    weight_lexical: float = 0.40
    """Weight of content-word overlap with the key points."""
    restated_question_similarity: float = 0.75
    """Answer vs question similarity (raw) from which a restatement is suspected."""
    restated_novelty: float = 0.5
    """...and at most this share of the answer's content words is new to the question..."""
    restated_useful: float = 0.0
    """...and at most this share is new and found in the reference or key points."""
    restated_factor: float = 0.1
    """Multiplier applied to a restated question."""
    keyword_function_ratio: float = 0.20
    """At most this share of function words (and short items) marks a keyword list."""
    keyword_item_words: float = 5.0
    """Mean words per comma- or line-separated item in a keyword list."""
    statement_function_ratio: float = 0.35
    """A reference with at least this share of function words is prose, not a list."""
    keyword_factor: float = 0.15
    """Multiplier applied to a keyword list."""
    other_language_factor: float = 0.8
    """Multiplier applied when the answer is not in the reference's language."""
    too_short_words: int = 4
    """Answers with fewer words than this are too short to judge."""
    dont_know_content_words: int = 3
    """An "I don't know" with at most this many other content words is no answer."""
    strong_at: int = 70
    """Lowest score of the "strong" band."""
    adequate_at: int = 50
    """Lowest score of the "adequate" band."""
    partial_band_at: int = 25
    """Lowest score of the "partial" band; below is off-target."""


DEFAULT_PARAMETERS = ScoringParameters()
"""The parameters every grade uses unless a benchmark asks otherwise."""


@dataclass(frozen=True)
class GradingTarget:
    """What an answer is graded against, in one language."""

    question: str
    """The question as asked."""
    reference: str
    """The reference answer."""
    key_points: list[tuple[str, str]] = field(default_factory=list)
    """(id, statement) pairs; when empty, the reference's sentences serve as key points."""
    lang: str = "en"
    """Language of question, reference and key points."""

    def points(self) -> list[tuple[str, str]]:
        """The key points, or the reference's sentences numbered when the target has none."""
        if self.key_points:
            return list(self.key_points)
        sentences = split_sentences(self.reference) or [self.reference]
        return [(f"reference-{i}", sentence) for i, sentence in enumerate(sentences, start=1)]

    @classmethod
    def from_question(cls, question: Question, lang: Lang) -> GradingTarget:
        """The bank question's texts in `lang`."""
        return cls(
            question=question.question.get(lang),
            reference=question.answer.get(lang),
            key_points=[(kp.id, kp.text(lang)) for kp in question.key_points],
            lang=lang,
        )


@dataclass(frozen=True)
class Evidence:
    """The texts and embeddings one grade is computed from (no parameters applied yet)."""

    target: GradingTarget
    answer: str
    answer_lang: str | None
    segmentation: Segmentation
    piece_vectors: Vectors
    """One unit vector per piece of the segmentation (clauses of long sentences)."""
    segment_vectors: Vectors
    """One unit vector per segment (sentence or window), pooled from its pieces."""
    question_vector: Vectors
    reference_vector: Vectors
    point_vectors: Vectors


_NO_VECTORS: Vectors = np.zeros((0, 1), dtype=np.float32)


class Grader:
    """Grades answers with one loaded embedding model; safe to call from a worker thread."""

    def __init__(
        self,
        backend: EmbeddingBackend,
        cache: EmbeddingCache | None = None,
        bank_version: str = "",
        params: ScoringParameters = DEFAULT_PARAMETERS,
    ) -> None:
        self.backend = backend
        self.cache = cache if cache is not None else EmbeddingCache(None)
        self.bank_version = bank_version
        self.params = params
        self._lock = threading.Lock()
        self._reference_split: dict[str, list[str]] = {}
        """Each reference's pieces, once: splitting it means tokenizing it again."""

    @property
    def model_id(self) -> str:
        """The model every grade of this grader names."""
        return self.backend.model_id

    def grade(self, target: GradingTarget, answer: str) -> Grade:
        """Grade `answer` against `target`."""
        return score_evidence(
            self.collect(target, answer), self.params, self.model_id, self.bank_version
        )

    def grade_question(self, question: Question, answer: str, lang: Lang) -> Grade:
        """Grade against the bank question in the answer's language when it can be told.

        `lang` is the language the question was asked in; it is used when the answer's own
        language cannot be detected (a keyword list, a few words).
        """
        detected = detect_language(answer)
        return self.grade(GradingTarget.from_question(question, detected or lang), answer)

    def warm_up(self, targets: Iterable[GradingTarget]) -> int:
        """Embed every bank text of `targets` not cached yet, in one batch; returns how many."""
        texts: list[str] = []
        for target in targets:
            texts.extend(self._bank_texts(target))
        return len(self._bank_vectors(texts, count_only=True))

    def grade_many(self, items: Sequence[tuple[GradingTarget, str]]) -> list[Grade]:
        """Grade many answers with one encoding pass: much faster than one `grade` per answer."""
        return [
            score_evidence(evidence, self.params, self.model_id, self.bank_version)
            for evidence in self.collect_many(items)
        ]

    def collect(self, target: GradingTarget, answer: str) -> Evidence:
        """Segment and embed `answer`, and fetch the target's embeddings."""
        return self.collect_many([(target, answer)])[0]

    def collect_many(self, items: Sequence[tuple[GradingTarget, str]]) -> list[Evidence]:
        """Segment all answers, embed every piece in one call, fetch the targets' embeddings."""
        texts = [answer.strip() for _, answer in items]
        segmentations = [
            segment_answer(text, self.backend.count_tokens, self.backend.max_seq_length)
            for text in texts
        ]
        bank_texts: list[str] = []
        for target, _ in items:
            bank_texts.extend(self._bank_texts(target))
        bank = self._bank_vectors(bank_texts)
        # An answer the model reads in one pass gets all its piece vectors from that pass;
        # a longer one has its pieces encoded one by one (in one batch).
        pooled = [
            i
            for i, seg in enumerate(segmentations)
            if seg.pieces and seg.starts is not None and not seg.exceeds_model
        ]
        pooled_vectors = dict(
            zip(
                pooled,
                self.backend.encode_pieces(
                    [texts[i] for i in pooled],
                    [segmentations[i].starts or () for i in pooled],
                ),
                strict=True,
            )
        )
        separate = [
            i for i, seg in enumerate(segmentations) if seg.pieces and i not in pooled_vectors
        ]
        pieces = [piece for i in separate for piece in segmentations[i].pieces]
        encoded = self.backend.encode(pieces) if pieces else _NO_VECTORS
        separate_vectors: dict[int, Vectors] = {}
        start = 0
        for i in separate:
            end = start + len(segmentations[i].pieces)
            separate_vectors[i] = encoded[start:end]
            start = end
        out: list[Evidence] = []
        for i, ((target, _), text, seg) in enumerate(zip(items, texts, segmentations, strict=True)):
            piece_vectors = pooled_vectors.get(i, separate_vectors.get(i, _NO_VECTORS))
            out.append(
                Evidence(
                    target=target,
                    answer=text,
                    answer_lang=detect_language(text),
                    segmentation=seg,
                    piece_vectors=piece_vectors,
                    segment_vectors=_segment_vectors(seg, piece_vectors),
                    question_vector=bank[target.question],
                    reference_vector=self._reference_vector(target.reference, bank),
                    point_vectors=np.stack([bank[t] for _, t in target.points()]),
                )
            )
        return out

    def _bank_texts(self, target: GradingTarget) -> list[str]:
        """Question, reference (or its pieces when it is too long) and key points."""
        texts = [target.question, *(text for _, text in target.points())]
        texts.extend(self._reference_pieces(target.reference))
        return texts

    def _reference_pieces(self, reference: str) -> list[str]:
        """The reference, or its segments when it is longer than the model reads."""
        pieces = self._reference_split.get(reference)
        if pieces is None:
            segmentation = segment_answer(
                reference, self.backend.count_tokens, self.backend.max_seq_length
            )
            pieces = [reference] if not segmentation.exceeds_model else list(segmentation.segments)
            self._reference_split[reference] = pieces
        return pieces

    def _reference_vector(self, reference: str, bank: dict[str, Vectors]) -> Vectors:
        pieces = self._reference_pieces(reference)
        return _unit(np.mean(np.stack([bank[p] for p in pieces]), axis=0))

    def _bank_vectors(self, texts: Sequence[str], count_only: bool = False) -> dict[str, Vectors]:
        """Embeddings of bank texts, from the cache or encoded once and cached."""
        unique = list(dict.fromkeys(texts))
        key = self.backend.cache_key
        with self._lock:
            found = self.cache.get_many(key, unique)
            missing = [t for t in unique if t not in found]
            if missing:
                encoded = self.backend.encode(missing)
                fresh = dict(zip(missing, encoded, strict=True))
                self.cache.put_many(key, fresh)
                found.update(fresh)
        if count_only:
            return {t: found[t] for t in missing}
        return found


def score_evidence(
    evidence: Evidence,
    params: ScoringParameters = DEFAULT_PARAMETERS,
    model_id: str = "",
    bank_version: str = "",
) -> Grade:
    """Turn embeddings into a grade under `params`."""
    target = evidence.target
    points = target.points()
    base = Grade(
        score=0,
        verdict=Verdict.NO_ANSWER,
        key_points=[KeyPointResult(pid, text, Coverage.MISSED, 0.0) for pid, text in points],
        answer_lang=evidence.answer_lang or target.lang,
        reference_lang=target.lang,
        model_id=model_id,
        bank_version=bank_version,
    )
    if not evidence.answer or not evidence.segmentation.segments:
        return replace(base, notes=[Note(NoteCode.EMPTY)])
    if is_dont_know(evidence.answer, params):
        return replace(base, notes=[Note(NoteCode.DONT_KNOW)])

    p = params
    q = evidence.question_vector
    texts, vectors = _candidates(evidence, p)
    segments = _demote(vectors, q, p.question_demotion)
    kp = _demote(evidence.point_vectors, q, p.question_demotion)
    whole_raw = _unit(evidence.segment_vectors.mean(axis=0))
    whole = _demote(whole_raw, q, p.question_demotion)
    reference = _demote(evidence.reference_vector, q, p.question_demotion)

    similarity = kp @ segments.T  # key points x answer pieces
    best = similarity.argmax(axis=1)
    best_sim = similarity.max(axis=1)
    coverage = _ramp(best_sim, p.coverage_low, p.coverage_high)
    whole_sim = float(whole @ reference)
    lexical = content_overlap(evidence.answer, [t for _, t in points], target.question)

    question_sim = float(whole_raw @ q)
    # A list is a fine answer when the reference is a list too (name the access specifiers).
    keyword_list = is_keyword_list(evidence.answer, params) and (
        function_word_ratio(target.reference) >= p.statement_function_ratio
    )
    # A keyword list matches content words by construction: that overlap shows no understanding.
    weight_lexical = 0.0 if keyword_list else p.weight_lexical
    raw = (
        p.weight_key_points * float(coverage.mean())
        + p.weight_whole * float(_ramp(np.array(whole_sim), p.whole_low, p.whole_high))
        + weight_lexical * min(1.0, lexical / p.lexical_high)
    ) / (p.weight_key_points + p.weight_whole + weight_lexical)

    notes: list[Note] = []
    if evidence.segmentation.exceeds_model:
        seg = evidence.segmentation
        notes.append(
            Note(
                NoteCode.SPLIT_LONG,
                f"{seg.total_tokens} tokens, model reads {seg.max_tokens}; "
                f"graded in {len(seg.segments)} parts",
            )
        )
    if question_sim >= p.restated_question_similarity and restates_question(
        evidence.answer, target, p
    ):
        notes.append(Note(NoteCode.RESTATES_QUESTION))
        raw *= p.restated_factor
    if keyword_list:
        notes.append(Note(NoteCode.KEYWORD_LIST))
        raw *= p.keyword_factor
    if evidence.answer_lang is not None and evidence.answer_lang != target.lang:
        notes.append(Note(NoteCode.OTHER_LANGUAGE, f"{evidence.answer_lang} vs {target.lang}"))
        raw *= p.other_language_factor
    score = round(100 * min(1.0, max(0.0, raw)))
    if len(evidence.answer.split()) < p.too_short_words:
        # Only a note: a two-word answer can be right (name the stack operations), but a score
        # from so little text is fragile and the candidate should say more.
        notes.append(Note(NoteCode.TOO_SHORT))

    results = []
    for i, (pid, text) in enumerate(points):
        sim = float(best_sim[i])
        status = (
            Coverage.COVERED
            if sim >= p.covered_at
            else Coverage.PARTIAL
            if sim >= p.partial_at
            else Coverage.MISSED
        )
        evidence_text = texts[int(best[i])] if sim >= p.partial_at else None
        results.append(KeyPointResult(pid, text, status, round(sim, 4), evidence_text))
    return replace(
        base, score=score, verdict=verdict_for(score, p), key_points=results, notes=notes
    )


def _candidates(evidence: Evidence, params: ScoringParameters) -> tuple[list[str], Vectors]:
    """What each key point is matched against: every sentence, and the clauses of long ones."""
    seg = evidence.segmentation
    texts = list(seg.segments)
    if not params.match_clauses:
        return texts, evidence.segment_vectors
    split = [j for j, owner in enumerate(seg.piece_of) if seg.piece_of.count(owner) > 1]
    if not split:
        return texts, evidence.segment_vectors
    texts += [seg.pieces[j] for j in split]
    return texts, np.vstack([evidence.segment_vectors, evidence.piece_vectors[split]])


def verdict_for(score: int, params: ScoringParameters = DEFAULT_PARAMETERS) -> Verdict:
    """The band of a score (no-answer is given only for empty and "I don't know" answers)."""
    if score >= params.strong_at:
        return Verdict.STRONG
    if score >= params.adequate_at:
        return Verdict.ADEQUATE
    if score >= params.partial_band_at:
        return Verdict.PARTIAL
    return Verdict.OFF_TARGET


_DONT_KNOW = re.compile(
    r"\b(?:i\s+(?:really\s+)?(?:do\s*n[o']?t|dont|don’t)\s+(?:really\s+)?(?:know|remember)"
    r"|(?:no|not\s+a)\s+(?:idea|clue)|not\s+sure|idk|can'?t\s+remember|no\s+clue"
    r"|(?:je\s+)?(?:ne\s+)?sais\s+pas|j'en\s+sais\s+rien|(?:aucune|pas\s+d')\s*idée"
    r"|pas\s+(?:la\s+moindre\s+)?idée|pas\s+sûr|je\s+ne\s+(?:me\s+souviens|connais)\s+pas"
    r"|je\s+passe|aucune\s+id[ée]e?)\b",
    re.IGNORECASE,
)
_FILLER = frozenset(
    re.findall(
        r"\S+",
        """sorry honestly really well um uh hmm ok okay yes exactly either never worked
        désolé désolée honnêtement vraiment trop bien euh oui du tout jamais""",
    )
)
_STOP = FUNCTION_WORDS["en"] | FUNCTION_WORDS["fr"] | _FILLER


def is_dont_know(answer: str, params: ScoringParameters = DEFAULT_PARAMETERS) -> bool:
    """The answer says it does not know, and says little else."""
    if not _DONT_KNOW.search(answer):
        return False
    rest = _DONT_KNOW.sub(" ", answer)
    content = [w for w in words(rest) if w not in _STOP and len(w) > 1]
    return len(content) <= params.dont_know_content_words


def is_keyword_list(answer: str, params: ScoringParameters = DEFAULT_PARAMETERS) -> bool:
    """Terms without statements: almost no function words, short comma- or line-separated items."""
    tokens = words(answer)
    if len(tokens) < 3:
        return False
    ratio = sum(t in FUNCTION_WORDS["en"] or t in FUNCTION_WORDS["fr"] for t in tokens) / len(
        tokens
    )
    items = [i for i in re.split(r"[,;\n•·|]+|\s+-\s+", answer) if i.strip()]
    mean_item = len(tokens) / max(1, len(items))
    return ratio <= params.keyword_function_ratio and mean_item <= params.keyword_item_words


def _stem(word: str) -> str:
    # A five-letter prefix conflates most English and French inflections (deploy/deployment).
    return word[:5]


def content_stems(text: str) -> set[str]:
    """Stems of the words of `text` that carry meaning (no function words, no one-letter words)."""
    return {_stem(w) for w in words(text) if w not in _STOP and len(w) > 1}


def content_overlap(answer: str, points: Sequence[str], question: str) -> float:
    """Share of the key points' content words, beyond the question's, that the answer uses."""
    wanted = set().union(*(content_stems(p) for p in points)) - content_stems(question)
    if not wanted:
        return 0.0
    return len(wanted & content_stems(answer)) / len(wanted)


def restates_question(
    answer: str, target: GradingTarget, params: ScoringParameters = DEFAULT_PARAMETERS
) -> bool:
    """The answer's words are the question's: what it adds is little and not in the reference.

    A short right answer also echoes the question ("Arrays are passed to functions by
    reference"), but the few words it adds are the reference's; a restatement adds none.
    """
    used = content_stems(answer)
    if not used:
        return False
    new = used - content_stems(target.question)
    expected = content_stems(target.reference).union(
        *(content_stems(text) for _, text in target.points())
    )
    return (
        len(new) / len(used) <= params.restated_novelty
        and len(new & expected) / len(used) <= params.restated_useful
    )


def load_grader(settings: Settings, bank_version: str) -> Grader:
    """Load the model named in `settings` and build a grader with the disk cache (slow)."""
    from assistant.grading.backend import load_backend

    return Grader(load_backend(settings.model), EmbeddingCache(settings.cache_dir), bank_version)


def _segment_vectors(seg: Segmentation, piece_vectors: Vectors) -> Vectors:
    """Each segment's vector from its pieces: their mean weighted by length, renormalised (the
    pieces' vectors are token means, so this is close to the segment's own token mean)."""
    if len(seg.pieces) == len(seg.segments):
        return piece_vectors
    weights = np.array([len(piece.split()) for piece in seg.pieces], dtype=np.float32)
    owners = np.array(seg.piece_of)
    rows = [
        _unit((weights[owners == i, None] * piece_vectors[owners == i]).sum(axis=0))
        for i in range(len(seg.segments))
    ]
    return np.stack(rows).astype(np.float32)


def _unit(vector: Vectors) -> Vectors:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _demote(vectors: Vectors, question: Vectors, share: float) -> Vectors:
    """Remove `share` of each row's component along the question, then renormalise."""
    if share <= 0:
        return vectors
    projected = vectors - share * np.outer(vectors @ question, question).reshape(vectors.shape)
    norms = np.linalg.norm(projected, axis=-1, keepdims=True)
    return np.asarray(projected / np.where(norms > 0, norms, 1.0), dtype=np.float32)


def _ramp(values: Vectors, low: float, high: float) -> Vectors:
    return np.asarray(np.clip((values - low) / (high - low), 0.0, 1.0), dtype=np.float32)
