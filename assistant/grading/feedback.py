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
}

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
    if note.code is NoteCode.SPLIT_LONG and note.detail:
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
