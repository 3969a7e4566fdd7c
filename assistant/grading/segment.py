"""Stage 2, `segment`: cut an answer into sentences and clauses, each a span of the answer.

Every piece is a pair of character offsets into the text the candidate typed, so evidence is
always quoted verbatim (`answer[start:end]`) and can be highlighted in place. A sentence-
transformer reads at most `max_seq_length` tokens and drops the rest, so a sentence longer than
that is cut into overlapping windows of words; a long sentence that fits is also read clause by
clause, because a run-on list of steps makes several statements. All of it is linear in the
answer's length.
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

_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+(?=(?:then|puis|ensuite)\b)", re.IGNORECASE)
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "ex.", "approx.", "resp.", "p.ex.")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*")
_BULLET = re.compile(r"\s*(?:[-*•·]|\d+[.)])\s+")
_WORD = re.compile(r"\S+")
_TRAILING = ",;: \t\r\n"

TokenCounter = Callable[[Sequence[str]], list[int]]
"""Counts the model's tokens of each text, special tokens excluded."""


@dataclass(frozen=True)
class Span:
    """A stretch of the answer, by character offsets (end excluded)."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The span's text, exactly as typed."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class Segmentation:
    """The stage's output: the answer's sentences and their pieces, as spans of the answer."""

    text: str
    """The text that was segmented (the answer, or the bounded prefix of a very long one)."""
    sentences: tuple[Span, ...]
    """Sentences, or windows of a sentence too long for the model, in answer order."""
    pieces: tuple[Span, ...]
    """The finest cut: each sentence, or its clauses when it is a long one (in order)."""
    piece_of: tuple[int, ...]
    """For each piece, the index of the sentence it belongs to."""
    total_tokens: int
    """Tokens of the whole text."""
    max_tokens: int
    """What the model reads at once, special tokens excluded."""
    windowed: bool
    """True when at least one sentence was itself too long and was cut into windows."""

    @property
    def exceeds_model(self) -> bool:
        """The text is longer than what the model reads in one pass."""
        return self.total_tokens > self.max_tokens

    def sentence_texts(self) -> list[str]:
        """Each sentence's text."""
        return [span.of(self.text) for span in self.sentences]

    def piece_texts(self) -> list[str]:
        """Each piece's text."""
        return [span.of(self.text) for span in self.pieces]

    def split_sentences(self) -> list[int]:
        """Indexes of the pieces that are clauses of a longer sentence (not whole sentences)."""
        counts: dict[int, int] = {}
        for owner in self.piece_of:
            counts[owner] = counts.get(owner, 0) + 1
        return [i for i, owner in enumerate(self.piece_of) if counts[owner] > 1]


def _trim(text: str, start: int, end: int, strip: str = " \t\r\n") -> tuple[int, int]:
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


def _merge_short(text: str, spans: list[Span]) -> list[Span]:
    """Join a piece of fewer than MIN_SEGMENT_WORDS words to its neighbour (span of both)."""
    merged: list[Span] = []
    for span in spans:
        if merged and (
            len(span.of(text).split()) < MIN_SEGMENT_WORDS
            or len(merged[-1].of(text).split()) < MIN_SEGMENT_WORDS
        ):
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def sentence_spans(text: str) -> list[Span]:
    """Sentences and list items of `text`, bullets left out, short fragments merged."""
    spans: list[Span] = []
    begin = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[begin : match.start()].lower()
        if match.group().strip() == "" and before.endswith(_ABBREVIATIONS):
            continue  # "e.g. a queue" is one sentence
        spans.append(Span(begin, match.start()))
        begin = match.end()
    spans.append(Span(begin, len(text)))
    out: list[Span] = []
    for span in spans:
        start = span.start
        bullet = _BULLET.match(text, start, span.end)
        if bullet:
            start = bullet.end()
        start, end = _trim(text, start, span.end)
        if end > start:
            out.append(Span(start, end))
    return _merge_short(text, out)


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (for bank texts, which need no offsets)."""
    return [span.of(text) for span in sentence_spans(text)]


def clause_spans(text: str, sentence: Span) -> list[Span]:
    """The clauses of a long sentence (cut at , ; : and before "then"); short ones stay whole."""
    if len(sentence.of(text).split()) < CLAUSE_SPLIT_WORDS:
        return [sentence]
    parts: list[Span] = []
    begin = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        parts.append(Span(begin, match.start()))
        begin = match.start() if match.group()[0].isspace() else match.end()
    parts.append(Span(begin, sentence.end))
    trimmed = [Span(*_trim(text, p.start, p.end, _TRAILING)) for p in parts]
    merged = _merge_short(text, [p for p in trimmed if p.end > p.start])
    return merged if len(merged) > 1 else [sentence]


def segment_answer(text: str, count_tokens: TokenCounter, max_seq_length: int) -> Segmentation:
    """Split `text` into sentences (windows for those longer than the model reads) and clauses."""
    budget = max(8, max_seq_length - SPECIAL_TOKENS)
    found = sentence_spans(text)
    if not found:
        return Segmentation(text, (), (), (), 0, budget, windowed=False)
    counts = count_tokens([span.of(text) for span in found])
    sentences: list[Span] = []
    windowed = False
    for span, count in zip(found, counts, strict=True):
        if count <= budget:
            sentences.append(span)
        else:
            windowed = True
            sentences.extend(_windows(text, span, count_tokens, min(budget, WINDOW_TOKENS)))
    pieces: list[Span] = []
    piece_of: list[int] = []
    for index, sentence in enumerate(sentences):
        for clause in [sentence] if windowed else clause_spans(text, sentence):
            pieces.append(clause)
            piece_of.append(index)
    return Segmentation(
        text, tuple(sentences), tuple(pieces), tuple(piece_of), sum(counts), budget, windowed
    )


def _windows(text: str, sentence: Span, count_tokens: TokenCounter, budget: int) -> list[Span]:
    """Overlapping runs of whole words, each within `budget` tokens, covering every word."""
    words = list(_WORD.finditer(text, sentence.start, sentence.end))
    # WordPiece tokenises word by word, so per-word counts add up to the sentence's count.
    lengths = [max(1, n) for n in count_tokens([w.group() for w in words])]
    windows: list[Span] = []
    start = 0
    while start < len(words):
        end, used = start, 0
        while end < len(words) and used + lengths[end] <= budget:
            used += lengths[end]
            end += 1
        end = max(end, start + 1)  # a single word longer than the budget still moves forward
        windows.append(Span(words[start].start(), words[end - 1].end()))
        if end >= len(words):
            break
        span = end - start
        start = max(start + 1, end - int(span * WINDOW_OVERLAP))
    return windows
