"""Contrast pairs: contradictions that reuse the premise's own words, made from entailed pairs.

A confidently wrong answer rarely uses other words than a right one: it negates the statement
("monitoring is not needed"), swaps its direction ("before" for "after", "increases" for
"decreases"), or changes a number. The NLI sets have few such minimal edits, so a verifier
trained on them alone calls a wrong answer that reuses the reference's words "entailed".

From an entailed pair of the training split (premise P states hypothesis H), this module makes
one minimal edit H' of H. Since P states H, P and H' cannot both be true, so the pair is a
contradiction whichever way round it is read: half are kept as (P, H'), half as (H', P), since in
grading the wrong statement is the premise (the answer) and the key point the hypothesis. The edits:

- **negation**: the first auxiliary or copula of H is negated (or its negation removed): "is" ->
  "is not", "can" -> "cannot"; French "est" -> "n'est pas".
- **antonym**: a word of H with a clear opposite, that P also uses, is replaced by it (a general
  list of English and French opposites, below; nothing from the question bank).
- **number**: a number of H that P also states is changed.

Only the training split is edited (validation pairs stay as published); each edit is drawn by a
seeded generator, so the set is the same on every run.
"""

from __future__ import annotations

import random
import re

from data import CONTRADICTION, ENTAILMENT, Pair

_ANTONYMS_EN = (
    ("before", "after"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("increased", "decreased"),
    ("more", "less"),
    ("higher", "lower"),
    ("faster", "slower"),
    ("larger", "smaller"),
    ("bigger", "smaller"),
    ("always", "never"),
    ("all", "none of the"),
    ("same", "different"),
    ("open", "closed"),
    ("inside", "outside"),
    ("up", "down"),
    ("on", "off"),
    ("true", "false"),
    ("correct", "incorrect"),
    ("possible", "impossible"),
    ("automatic", "manual"),
    ("automatically", "manually"),
    ("early", "late"),
    ("first", "last"),
    ("start", "stop"),
    ("starts", "stops"),
    ("add", "remove"),
    ("adds", "removes"),
    ("with", "without"),
    ("connected", "disconnected"),
    ("positive", "negative"),
    ("young", "old"),
    ("happy", "sad"),
    ("empty", "full"),
    ("win", "lose"),
    ("wins", "loses"),
    ("sitting", "standing"),
    ("inside", "outside"),
    ("day", "night"),
)
_ANTONYMS_FR = (
    ("avant", "après"),
    ("augmente", "diminue"),
    ("plus", "moins"),
    ("toujours", "jamais"),
    ("tous", "aucun des"),
    ("même", "différent"),
    ("ouvert", "fermé"),
    ("avec", "sans"),
    ("premier", "dernier"),
    ("automatiquement", "manuellement"),
    ("automatique", "manuel"),
    ("hausse", "baisse"),
    ("supérieur", "inférieur"),
    ("grand", "petit"),
    ("vrai", "faux"),
    ("possible", "impossible"),
    ("accepte", "refuse"),
    ("gagne", "perd"),
)
_NEGATE_EN = re.compile(
    r"\b(is|are|was|were|can|could|will|would|should|must|has been|have been|does|do|did)"
    r"(\s+not\b|n't\b)?",
    re.IGNORECASE,
)
_NEGATE_FR = re.compile(
    r"\b(est|sont|était|étaient|peut|peuvent|doit|doivent|a|ont|fait|font)\b(\s+pas\b)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_WORD = re.compile(r"\w+", re.UNICODE)


def _antonym_table(lang: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for a, b in _ANTONYMS_FR if lang == "fr" else _ANTONYMS_EN:
        table.setdefault(a, b)
        table.setdefault(b, a)
    return table


def _negate(text: str, lang: str) -> str | None:
    """Flip the polarity of the first auxiliary or copula of `text`."""
    pattern = _NEGATE_FR if lang == "fr" else _NEGATE_EN
    match = pattern.search(text)
    if match is None:
        return None
    verb, negation = match.group(1), match.group(2)
    if lang == "fr":
        if negation:  # "est pas" (rare): drop the negation
            return text[: match.start()] + verb + text[match.end() :]
        elided = "n'" if verb[0].lower() in "aeéiou" else "ne "
        return text[: match.start()] + f"{elided}{verb} pas" + text[match.end() :]
    if negation:
        return text[: match.start()] + verb + text[match.end() :]
    replacement = "cannot" if verb.lower() == "can" else f"{verb} not"
    return text[: match.start()] + replacement + text[match.end() :]


def _antonym(premise: str, hypothesis: str, lang: str, rng: random.Random) -> str | None:
    """`hypothesis` with one word that `premise` also uses replaced by its opposite."""
    table = _antonym_table(lang)
    shared = {w.lower() for w in _WORD.findall(premise)} & set(table)
    words = [m for m in _WORD.finditer(hypothesis) if m.group(0).lower() in shared]
    if not words:
        return None
    chosen = rng.choice(words)
    opposite = table[chosen.group(0).lower()]
    if chosen.group(0)[0].isupper():
        opposite = opposite[0].upper() + opposite[1:]
    return hypothesis[: chosen.start()] + opposite + hypothesis[chosen.end() :]


def _number(premise: str, hypothesis: str, rng: random.Random) -> str | None:
    """`hypothesis` with a number that `premise` also states changed."""
    stated = set(_NUMBER.findall(premise))
    numbers = [m for m in _NUMBER.finditer(hypothesis) if m.group(0) in stated]
    if not numbers:
        return None
    chosen = rng.choice(numbers)
    value = float(chosen.group(0).replace(",", "."))
    changed = value * rng.choice((2, 3, 10)) + rng.randint(1, 9)
    text = (
        str(int(changed))
        if "." not in chosen.group(0) and "," not in chosen.group(0)
        else (f"{changed:.1f}")
    )
    return hypothesis[: chosen.start()] + text + hypothesis[chosen.end() :]


def contrast_pairs(train: list[Pair], share: float, seed: int) -> list[Pair]:
    """About `share` of the entailed training pairs, each edited once into a contradiction."""
    rng = random.Random(seed)
    out = []
    for pair in train:
        if pair.label != ENTAILMENT or rng.random() >= share:
            continue
        edits = ["negation", "antonym", "number"]
        rng.shuffle(edits)
        for edit in edits:
            if edit == "negation":
                edited = _negate(pair.hypothesis, pair.lang)
            elif edit == "antonym":
                edited = _antonym(pair.premise, pair.hypothesis, pair.lang, rng)
            else:
                edited = _number(pair.premise, pair.hypothesis, rng)
            if edited and edited != pair.hypothesis:
                premise, hypothesis = pair.premise, edited
                if rng.random() < 0.5:
                    premise, hypothesis = hypothesis, premise
                source = f"{pair.source}+{edit}"
                out.append(Pair(premise, hypothesis, CONTRADICTION, source, pair.lang))
                break
    return out
