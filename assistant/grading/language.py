"""Which bank language an answer is written in, and what its words say about its structure.

Detection needs no extra dependency: English and French differ enough in their function words
(articles, pronouns, auxiliaries, prepositions) and in accented letters that a count of both is
reliable for a few words of prose. Keyword lists and code carry few function words, so they come
back as unknown rather than as a guess.
"""

from __future__ import annotations

import re

from assistant.knowledge.models import Lang


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS: dict[Lang, frozenset[str]] = {
    "en": _word_set(
        """
        a an the this that these those it its they them their there here we our you your i my me
        he she his her is are was were be been being am do does did done have has had having
        will would can could should shall may might must of to in on at by for with from into onto
        about as than then so because if when while where which who whom whose what how why
        and or but not no nor also only just both each every all any some such very more most
        other others same own after before over under between through during without within
        upon until once again off out up down one ones i'm it's that's there's don't doesn't
        didn't isn't aren't wasn't weren't can't cannot won't wouldn't shouldn't couldn't
        """
    ),
    "fr": _word_set(
        """
        le la les l un une des du de d au aux ce cet cette ces c il elle ils elles on nous vous
        je j me m te t se s lui leur leurs son sa ses mon ma mes ton ta tes notre nos votre vos
        qui que qu quoi dont où est sont était étaient être été a ai as ont avait avoir fait
        faire peut peuvent doit doivent et ou mais ni ne n pas plus moins aussi très tout tous
        toute toutes chaque autre autres même dans sur sous par pour avec sans entre vers chez
        comme quand si alors donc car puis ensuite lorsque parce y en cela ça celui celle ceux
        """
    ),
}
"""Short, frequent words that only prose has; they also tell a statement from a keyword list."""

_FR_ONLY_LETTERS = frozenset("éèêëàâçîïôûùœ")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_ELISION = re.compile(r"^(l|d|j|m|t|s|c|n|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)

MIN_EVIDENCE = 2
"""Function-word hits (plus accented words) needed before a language is named at all."""


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, with French elisions (l', d', qu') split off."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group(0).replace("’", "'")
        elided = _ELISION.match(word)
        if elided:
            out.append(elided.group(1))
            word = word[elided.end() :]
        if word:
            out.append(word)
    return out


def language_scores(text: str) -> dict[Lang, float]:
    """Evidence for each language: function words found, plus accented words for French."""
    tokens = words(text)
    scores: dict[Lang, float] = {lang: 0.0 for lang in FUNCTION_WORDS}
    for token in tokens:
        for lang, vocabulary in FUNCTION_WORDS.items():
            if token in vocabulary:
                scores[lang] += 1.0
        if any(letter in _FR_ONLY_LETTERS for letter in token):
            # English prose borrows the odd "café"; an accent counts as half a function word.
            scores["fr"] += 0.5
    return scores


def detect_language(text: str) -> Lang | None:
    """The bank language `text` is written in, or None when there is too little prose to tell."""
    scores = language_scores(text)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, runner_up) = ranked[0], ranked[1]
    if best_score < MIN_EVIDENCE or best_score < 1.5 * runner_up:
        return None
    return best


def function_word_ratio(text: str) -> float:
    """Share of the words of `text` that are function words of either language."""
    tokens = words(text)
    if not tokens:
        return 0.0
    vocabulary = FUNCTION_WORDS["en"] | FUNCTION_WORDS["fr"]
    return sum(token in vocabulary for token in tokens) / len(tokens)
