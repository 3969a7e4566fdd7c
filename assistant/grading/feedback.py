"""Words for the candidate: verdict names, coverage names and what each note means, in en and fr."""

from __future__ import annotations

from assistant.grading.grade import Coverage, Grade, Note, NoteCode, Verdict

_VERDICTS: dict[Verdict, dict[str, str]] = {
    Verdict.STRONG: {"en": "Strong", "fr": "Solide"},
    Verdict.ADEQUATE: {"en": "Adequate", "fr": "Correct"},
    Verdict.PARTIAL: {"en": "Partial", "fr": "Partiel"},
    Verdict.OFF_TARGET: {"en": "Off target", "fr": "À côté"},
    Verdict.NO_ANSWER: {"en": "No answer", "fr": "Pas de réponse"},
}

_COVERAGE: dict[Coverage, dict[str, str]] = {
    Coverage.COVERED: {"en": "covered", "fr": "couvert"},
    Coverage.PARTIAL: {"en": "partly covered", "fr": "en partie couvert"},
    Coverage.MISSED: {"en": "missed", "fr": "manqué"},
    Coverage.CONTRADICTED: {
        "en": "contradicted: you seem to say the opposite",
        "fr": "contredit : vous semblez dire le contraire",
    },
}

COVERAGE_MARKS: dict[Coverage, tuple[str, str]] = {
    Coverage.COVERED: ("✔", "green"),
    Coverage.PARTIAL: ("◐", "yellow"),
    Coverage.MISSED: ("✘", "red"),
    Coverage.CONTRADICTED: ("≠", "magenta"),
}
"""Each status's mark and colour, the same on every screen: a contradiction is not a miss."""

_NOTES: dict[NoteCode, dict[str, str]] = {
    NoteCode.RESTATES_QUESTION: {
        "en": "Your answer mostly restates the question; say what you know about it.",
        "fr": "Votre réponse reformule surtout la question ; dites ce que vous en savez.",
    },
    NoteCode.KEYWORD_LIST: {
        "en": "This is a list of keywords; explain them in full sentences.",
        "fr": "C'est une liste de mots-clés ; expliquez-les en phrases complètes.",
    },
    NoteCode.EMPTY: {
        "en": "No answer was given.",
        "fr": "Aucune réponse n'a été donnée.",
    },
    NoteCode.DONT_KNOW: {
        "en": "You said you don't know: the reference answer shows what was expected.",
        "fr": "Vous avez dit ne pas savoir : la réponse de référence montre ce qui était attendu.",
    },
    NoteCode.OTHER_LANGUAGE: {
        "en": "The answer is not in the reference's language, so the grade is less reliable.",
        "fr": "La réponse n'est pas dans la langue de la référence : la note est moins fiable.",
    },
    NoteCode.TOO_SHORT: {
        "en": "The answer is too short to judge well; develop it.",
        "fr": "La réponse est trop courte pour être bien jugée ; développez-la.",
    },
    NoteCode.SPLIT_LONG: {
        "en": "The answer is longer than the model reads at once; it was graded in parts.",
        "fr": "La réponse dépasse ce que le modèle lit d'un coup ; elle a été notée par parties.",
    },
    NoteCode.TRUNCATED: {
        "en": "The answer is very long: only its beginning was graded; it is kept in full.",
        "fr": "La réponse est très longue : seul son début a été noté ; elle est gardée en entier.",
    },
    NoteCode.CONTRADICTIONS: {
        "en": "Part of your answer says the opposite of a key point: that costs more than "
        "leaving it out, and the answer cannot be rated strong.",
        "fr": "Une partie de votre réponse dit le contraire d'un point clé : cela coûte plus "
        "que de l'omettre, et la réponse ne peut pas être jugée solide.",
    },
    NoteCode.NOT_VERIFIED: {
        "en": "The verifier could not be loaded: key points were judged by similarity alone, "
        "which cannot tell a wrong statement from a right one.",
        "fr": "Le vérificateur n'a pas pu être chargé : les points clés ont été jugés par "
        "similarité seule, qui ne distingue pas une affirmation fausse d'une juste.",
    },
    NoteCode.NOT_LANGUAGE: {
        "en": "This is not an answer in words (encoded data, one unbroken string, or code with no "
        "explanation): nothing was graded. Explain in sentences; a snippet inside them is fine.",
        "fr": "Ce n'est pas une réponse rédigée (données encodées, une chaîne sans espace, ou du "
        "code sans explication) : rien n'a été noté. Expliquez en phrases ; un extrait de code "
        "au milieu convient.",
    },
    NoteCode.HINTS_USED: {
        "en": "Hints were used for this answer.",
        "fr": "Des indices ont été utilisés pour cette réponse.",
    },
}

_LANGUAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {"en": "English", "fr": "anglais"},
    "fr": {"en": "French", "fr": "français"},
}


def _pick(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang, texts["en"])


def verdict_label(verdict: Verdict, lang: str) -> str:
    """The verdict's display name in `lang` (English for an unknown language)."""
    return _pick(_VERDICTS[verdict], lang)


def colon(lang: str) -> str:
    """A colon, with the space French typography puts before it."""
    return " :" if lang == "fr" else ":"


def coverage_label(status: Coverage, lang: str) -> str:
    """How a key point was covered, in `lang`."""
    return _pick(_COVERAGE[status], lang)


def note_text(note: Note, lang: str) -> str:
    """One sentence telling the candidate what the note means, in `lang`."""
    text = _pick(_NOTES[note.code], lang)
    if note.code is NoteCode.OTHER_LANGUAGE and note.detail:
        answer_lang = note.detail.split()[0]
        name = _LANGUAGE_NAMES.get(answer_lang, {}).get(lang)
        if name:
            text += f" ({name})"
    if note.code in (NoteCode.SPLIT_LONG, NoteCode.TRUNCATED) and note.detail:
        text += f" ({note.detail})"
    return text


def summary(grade: Grade, lang: str) -> str:
    """A one-line summary: verdict, score and how many key points were covered."""
    covered = len(grade.covered)
    total = len(grade.key_points)
    if lang == "fr":
        return (
            f"{verdict_label(grade.verdict, lang)} — {grade.score}/100, "
            f"{covered} point(s) clé(s) couvert(s) sur {total}"
        )
    return (
        f"{verdict_label(grade.verdict, lang)} — {grade.score}/100, "
        f"{covered} of {total} key points covered"
    )
