"""Stage 1, `screen`: what can be told about an answer before any model reads it.

Empty answers and "I don't know" stop the pipeline (they score 0). The rest are flagged for the
`score` stage: a keyword list, an answer whose words are the question's (confirmed there by the
bi-encoder), another language than the reference's, too few words to judge. A very long answer
is kept whole but graded on a bounded prefix, so grading time has a ceiling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.grading.language import FUNCTION_WORDS, detect_language, function_word_ratio, words
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters
from assistant.grading.target import GradingTarget


@dataclass(frozen=True)
class Screening:
    """The stage's output: the text to grade and what was noticed about the answer."""

    target: GradingTarget
    answer: str
    """The answer exactly as typed; every later offset points into it."""
    graded: str
    """The part of the answer that is graded: all of it, or a prefix of a very long one."""
    answer_lang: str | None
    """The answer's language, when it can be told."""
    empty: bool = False
    dont_know: bool = False
    keyword_list: bool = False
    echoes_question: bool = False
    """Its content words are the question's; `score` confirms it with the bi-encoder."""
    too_short: bool = False
    not_language: bool = False
    """Not written language (an encoded blob, a long unbroken token, code with no prose)."""
    words_total: int = 0
    words_graded: int = 0

    chars_total: int = 0
    chars_graded: int = 0

    @property
    def stops(self) -> bool:
        """Nothing to grade: the answer is empty, says "I don't know", or is not language."""
        return self.empty or self.dont_know or self.not_language

    @property
    def truncated(self) -> bool:
        """Only a prefix of the answer is graded."""
        return self.words_graded < self.words_total or self.chars_graded < self.chars_total

    @property
    def other_language(self) -> bool:
        """The answer is not in the reference's language."""
        return self.answer_lang is not None and self.answer_lang != self.target.lang


_WORD_SPAN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def bounded_prefix(
    answer: str, max_words: int, max_chars: int | None = None
) -> tuple[str, int, int]:
    """(the graded prefix, words in it, words in the answer), cut at a sentence end when one
    falls in the last tenth of the bound, and at `max_chars` characters at most (at a space
    when one falls in the last tenth). Linear in the answer's length."""
    if max_chars is not None and len(answer) > max_chars:
        prefix, _, _ = bounded_prefix(answer[:max_chars], max_words)
        space = prefix.rfind(" ", int(max_chars * 0.9))
        prefix = prefix[:space] if space > 0 and len(prefix) == max_chars else prefix
        return prefix, len(prefix.split()), len(answer.split())
    total, cut, floor = 0, len(answer), 0
    for total, match in enumerate(_WORD_SPAN.finditer(answer), start=1):
        if total == int(max_words * 0.9):
            floor = match.end()
        if total == max_words:
            cut = match.end()
    if total <= max_words:
        return answer, total, total
    sentence_end = max((m.end() for m in _SENTENCE_END.finditer(answer, floor, cut)), default=0)
    prefix = answer[: sentence_end or cut]
    return prefix, len(prefix.split()), total


def screen(
    target: GradingTarget, answer: str, params: ScoringParameters = DEFAULT_PARAMETERS
) -> Screening:
    """Screen `answer` for `target`."""
    graded, words_graded, words_total = bounded_prefix(
        answer, params.max_graded_words, params.max_graded_chars
    )
    base = Screening(
        target=target,
        answer=answer,
        graded=graded,
        answer_lang=detect_language(graded),
        words_total=words_total,
        words_graded=words_graded,
        chars_total=len(answer),
        chars_graded=len(graded),
    )
    if not graded.strip():
        return replace(base, empty=True)
    if is_dont_know(graded, params):
        return replace(base, dont_know=True)
    if is_not_language(graded, params):
        return replace(base, not_language=True)
    # A list is a fine answer when the reference is a list too (name the access specifiers).
    keyword_list = is_keyword_list(graded, params) and (
        function_word_ratio(target.reference) >= params.statement_function_ratio
    )
    return replace(
        base,
        keyword_list=keyword_list,
        echoes_question=restates_question(graded, target, params),
        too_short=words_total < params.too_short_words,
    )


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


_URL = re.compile(r"^[(<\[]?(?:https?://|www\.)", re.IGNORECASE)
_CODE_LINE = re.compile(
    r"[{};]\s*$|^\s*(?:def|class|import|from|return|for|while|if|elif|else|try|except|public|"
    r"private|function|const|let|var|#include|SELECT|INSERT|UPDATE)\b|[=(){}\[\]<>]{2,}|\w\("
    r"|^\s*[\w.\[\]]+\s*[-+*/]?=\s*\S",
)


def is_not_language(answer: str, params: ScoringParameters = DEFAULT_PARAMETERS) -> bool:
    """Not written language: mostly long unbroken runs (base64, hashes, blobs), mostly not
    letters (digits, symbols), or code lines with almost no prose around them."""
    compact = [c for c in answer if not c.isspace()]
    if not compact:
        return False
    runs = [t for t in answer.split() if len(t) > params.long_token_chars and not _URL.match(t)]
    if sum(map(len, runs)) / len(compact) >= params.non_language_share:
        return True
    if len(compact) >= 40 and sum(c.isalpha() for c in compact) / len(compact) < 0.55:
        return True
    lines = [line for line in answer.splitlines() if line.strip()]
    code = [line for line in lines if _CODE_LINE.search(line)]
    if len(lines) < 3 or len(code) / len(lines) < 0.6:
        return False
    # Prose has function words; one-letter names (x, y, i) are not prose even when "y" is French.
    prose = [w for w in words(answer) if len(w) > 1]
    vocabulary = FUNCTION_WORDS["en"] | FUNCTION_WORDS["fr"]
    return not prose or sum(w in vocabulary for w in prose) / len(prose) < 0.12


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
