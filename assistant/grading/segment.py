"""Cutting an answer into the pieces the model reads: sentences, and windows for long sentences.

A sentence-transformer reads at most `max_seq_length` tokens and silently drops the rest, so a
long answer encoded whole would be graded on its beginning only. Every piece made here fits the
model; a sentence that does not fit is cut into overlapping windows of words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SPECIAL_TOKENS = 2
"""Tokens the model adds around every text ([CLS] and [SEP] for BERT-like encoders)."""

MIN_SEGMENT_WORDS = 3
"""Pieces shorter than this (a bullet with one word, "Yes.") are merged into a neighbour."""

WINDOW_TOKENS = 64
"""Size of the windows a too-long sentence is cut into: about two ordinary sentences, so one
statement inside a wall of text still dominates its window's embedding."""

WINDOW_OVERLAP = 0.25
"""Share of a window repeated at the start of the next, so no statement straddles a cut unseen."""

CLAUSE_SPLIT_WORDS = 12
"""A sentence at least this long is also read clause by clause: a run-on sentence listing steps
("I package it, upload it, configure autoscaling, then monitor it") makes several statements,
and each key point is best matched with the clause that makes it."""

_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+(?=(?:then|puis|ensuite)\b)", re.IGNORECASE)
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "ex.", "approx.", "resp.", "p.ex.")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+")

TokenCounter = Callable[[Sequence[str]], list[int]]
"""Counts the model's tokens of each text, special tokens excluded."""


@dataclass(frozen=True)
class Segmentation:
    """The pieces of one answer, and whether the answer as a whole was too long for the model."""

    segments: tuple[str, ...]
    """Sentences, or windows of a sentence too long for the model, in answer order."""
    total_tokens: int
    """Tokens of the whole answer."""
    max_tokens: int
    """What the model reads at once, special tokens excluded."""
    windowed: bool
    """True when at least one sentence was itself too long and was cut into windows."""
    pieces: tuple[str, ...] = ()
    """The finest cut: each segment, or its clauses when it is a long sentence (in order)."""
    piece_of: tuple[int, ...] = ()
    """For each piece, the index of the segment it belongs to."""
    starts: tuple[int, ...] | None = None
    """Character offset of each piece in the answer, when every one could be located."""

    @property
    def exceeds_model(self) -> bool:
        """The answer is longer than what the model reads in one pass."""
        return self.total_tokens > self.max_tokens


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of `text`, bullets stripped, short fragments merged."""
    protected = text
    for i, abbreviation in enumerate(_ABBREVIATIONS):
        protected = re.sub(re.escape(abbreviation), f"\x00{i}\x00", protected, flags=re.IGNORECASE)
    pieces: list[str] = []
    for raw in _SENTENCE_END.split(protected):
        piece = _BULLET.sub("", raw).strip()
        for i, abbreviation in enumerate(_ABBREVIATIONS):
            piece = piece.replace(f"\x00{i}\x00", abbreviation)
        if piece:
            pieces.append(piece)
    merged: list[str] = []
    for piece in pieces:
        if merged and (
            len(piece.split()) < MIN_SEGMENT_WORDS or len(merged[-1].split()) < MIN_SEGMENT_WORDS
        ):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged


def split_clauses(sentence: str) -> list[str]:
    """The clauses of a long sentence (cut at , ; : and before "then"); short ones stay whole."""
    if len(sentence.split()) < CLAUSE_SPLIT_WORDS:
        return [sentence]
    merged: list[str] = []
    for part in (p.strip().rstrip(",;:").rstrip() for p in _CLAUSE_BREAK.split(sentence)):
        if not part:
            continue
        if merged and (
            len(part.split()) < MIN_SEGMENT_WORDS or len(merged[-1].split()) < MIN_SEGMENT_WORDS
        ):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged if len(merged) > 1 else [sentence]


def segment_answer(text: str, count_tokens: TokenCounter, max_seq_length: int) -> Segmentation:
    """Split `text` into sentences, and sentences longer than the model reads into windows."""
    budget = max(8, max_seq_length - SPECIAL_TOKENS)
    sentences = split_sentences(text)
    if not sentences:
        return Segmentation((), 0, budget, windowed=False)
    counts = count_tokens(sentences)
    segments: list[str] = []
    windowed = False
    for sentence, count in zip(sentences, counts, strict=True):
        if count <= budget:
            segments.append(sentence)
        else:
            windowed = True
            segments.extend(_windows(sentence, count_tokens, min(budget, WINDOW_TOKENS)))
    pieces: list[str] = []
    piece_of: list[int] = []
    for index, segment in enumerate(segments):
        for clause in [segment] if windowed else split_clauses(segment):
            pieces.append(clause)
            piece_of.append(index)
    return Segmentation(
        tuple(segments),
        sum(counts),
        budget,
        windowed,
        tuple(pieces),
        tuple(piece_of),
        None if windowed else _starts(text, pieces),
    )


def _starts(text: str, segments: Sequence[str]) -> tuple[int, ...] | None:
    """Where each segment begins in `text` (segments are in order and start with a word of it)."""
    found: list[int] = []
    position = 0
    for segment in segments:
        first = segment.split()[0]
        at = text.find(first, position)
        if at < 0:
            return None
        found.append(at)
        position = at + len(first)
    return tuple(found)


def _windows(sentence: str, count_tokens: TokenCounter, budget: int) -> list[str]:
    """Overlapping runs of whole words, each within `budget` tokens, covering every word."""
    words = sentence.split()
    # WordPiece tokenises word by word, so per-word counts add up to the sentence's count.
    lengths = [max(1, n) for n in count_tokens(words)]
    windows: list[str] = []
    start = 0
    while start < len(words):
        end, used = start, 0
        while end < len(words) and used + lengths[end] <= budget:
            used += lengths[end]
            end += 1
        end = max(end, start + 1)  # a single word longer than the budget still moves forward
        windows.append(" ".join(words[start:end]))
        if end >= len(words):
            break
        span = end - start
        start = max(start + 1, end - int(span * WINDOW_OVERLAP))
    return windows
