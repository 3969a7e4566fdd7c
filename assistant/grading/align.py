"""Stage 3, `align`: for each key point, the few spans of the answer most like it (bi-encoder).

Every sentence (and every clause of a long sentence) gets a vector: when the graded text fits
what the model reads, from one pass over it (each piece's mean of contextual token vectors, as
cheap as a bare encode); a longer text has its pieces encoded one by one in a batch, so nothing is
truncated. Bank texts (question, reference, key points) come from the embedding cache. Part of
each vector's component along the question is removed first ("question demotion"), so echoing
the question earns nothing. The stage also measures the whole answer against the reference and
against the question, which `score` uses.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.grading.backend import EmbeddingBackend, Vectors
from assistant.grading.cache import EmbeddingCache
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters
from assistant.grading.screen import Screening
from assistant.grading.segment import Segmentation, Span, segment_answer
from assistant.grading.target import GradingTarget


@dataclass(frozen=True)
class Candidate:
    """One answer span proposed for a key point."""

    span: Span
    similarity: float
    """Cosine similarity with the key point, after question demotion."""


@dataclass(frozen=True)
class Alignment:
    """The stage's output for one answer."""

    candidates: tuple[tuple[Candidate, ...], ...]
    """For each key point (in target order), its best spans, most similar first."""
    whole_similarity: float
    """The whole answer against the reference, after question demotion."""
    question_similarity: float
    """The whole answer against the question, raw (a restatement is close to it)."""

    def best(self, point: int) -> Candidate | None:
        """The most similar span of key point `point`."""
        found = self.candidates[point]
        return found[0] if found else None


_NO_VECTORS: Vectors = np.zeros((0, 1), dtype=np.float32)


class Aligner:
    """Aligns answers with key points using one loaded embedding model; thread-safe."""

    def __init__(
        self,
        backend: EmbeddingBackend,
        cache: EmbeddingCache | None = None,
        params: ScoringParameters = DEFAULT_PARAMETERS,
    ) -> None:
        self.backend = backend
        self.cache = cache if cache is not None else EmbeddingCache(None)
        self.params = params
        self._lock = threading.Lock()
        self._reference_split: dict[str, list[str]] = {}
        """Each reference's pieces, once: splitting it means tokenizing it again."""

    def segment(self, screening: Screening) -> Segmentation:
        """Stage 2 with this model's tokenizer and limit."""
        return segment_answer(
            screening.graded, self.backend.count_tokens, self.backend.max_seq_length
        )

    def warm_up(self, targets: Iterable[GradingTarget]) -> int:
        """Embed every bank text of `targets` not cached yet, in one batch; returns how many."""
        texts: list[str] = []
        for target in targets:
            texts.extend(self._bank_texts(target))
        return len(self._bank_vectors(texts, count_only=True))

    def align_many(self, items: Sequence[tuple[Screening, Segmentation]]) -> list[Alignment]:
        """Align every answer; all pieces are embedded in as few model calls as possible."""
        piece_vectors = self._piece_vectors([seg for _, seg in items])
        bank_texts = [t for screening, _ in items for t in self._bank_texts(screening.target)]
        bank = self._bank_vectors(bank_texts)
        return [
            self._align(screening, seg, vectors, bank)
            for (screening, seg), vectors in zip(items, piece_vectors, strict=True)
        ]

    def _align(
        self,
        screening: Screening,
        seg: Segmentation,
        pieces: Vectors,
        bank: dict[str, Vectors],
    ) -> Alignment:
        p = self.params
        target = screening.target
        points = target.points()
        if not seg.pieces:
            return Alignment(tuple(() for _ in points), 0.0, 0.0)
        question = bank[target.question]
        sentences = _sentence_vectors(seg, pieces)
        spans = list(seg.sentences)
        vectors = sentences
        clauses = seg.split_sentences() if p.match_clauses else []
        if clauses:
            spans += [seg.pieces[j] for j in clauses]
            vectors = np.vstack([sentences, pieces[clauses]])
        demoted = _demote(vectors, question, p.question_demotion)
        point_vectors = np.stack([bank[text] for _, text in points])
        similarity = _demote(point_vectors, question, p.question_demotion) @ demoted.T
        k = min(p.candidates_per_point, len(spans))
        candidates = []
        for row in similarity:
            order = np.argsort(-row, kind="stable")[:k]
            candidates.append(tuple(Candidate(spans[int(j)], float(row[j])) for j in order))
        whole_raw = _unit(sentences.mean(axis=0))
        reference = _demote(
            self._reference_vector(target.reference, bank), question, p.question_demotion
        )
        whole = _demote(whole_raw, question, p.question_demotion)
        return Alignment(tuple(candidates), float(whole @ reference), float(whole_raw @ question))

    def _piece_vectors(self, segmentations: Sequence[Segmentation]) -> list[Vectors]:
        """One unit vector per piece of each segmentation."""
        # A text the model reads in one pass gets all its piece vectors from that pass; a
        # longer one has its pieces encoded one by one (in one batch).
        pooled = [i for i, seg in enumerate(segmentations) if seg.pieces and not seg.exceeds_model]
        out: dict[int, Vectors] = dict(
            zip(
                pooled,
                self.backend.encode_pieces(
                    [segmentations[i].text for i in pooled],
                    [[span.start for span in segmentations[i].pieces] for i in pooled],
                ),
                strict=True,
            )
        )
        separate = [i for i, seg in enumerate(segmentations) if seg.pieces and i not in out]
        texts = [text for i in separate for text in segmentations[i].piece_texts()]
        encoded = self.backend.encode(texts) if texts else _NO_VECTORS
        start = 0
        for i in separate:
            end = start + len(segmentations[i].pieces)
            out[i] = encoded[start:end]
            start = end
        return [out.get(i, _NO_VECTORS) for i in range(len(segmentations))]

    def _bank_texts(self, target: GradingTarget) -> list[str]:
        """Question, reference (or its pieces when it is too long) and key points."""
        texts = [target.question, *(text for _, text in target.points())]
        texts.extend(self._reference_pieces(target.reference))
        return texts

    def _reference_pieces(self, reference: str) -> list[str]:
        """The reference, or its sentences when it is longer than the model reads."""
        pieces = self._reference_split.get(reference)
        if pieces is None:
            seg = segment_answer(reference, self.backend.count_tokens, self.backend.max_seq_length)
            pieces = [reference] if not seg.exceeds_model else seg.sentence_texts()
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


def _sentence_vectors(seg: Segmentation, pieces: Vectors) -> Vectors:
    """Each sentence's vector from its pieces: their mean weighted by length, renormalised (the
    pieces' vectors are token means, so this is close to the sentence's own token mean)."""
    if len(seg.pieces) == len(seg.sentences):
        return pieces
    weights = np.array([len(text.split()) for text in seg.piece_texts()], dtype=np.float32)
    owners = np.array(seg.piece_of)
    rows = [
        _unit((weights[owners == i, None] * pieces[owners == i]).sum(axis=0))
        for i in range(len(seg.sentences))
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
