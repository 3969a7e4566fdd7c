"""The words of a report, in English and French: headings, labels and the notices it gives."""

from __future__ import annotations

from typing import Protocol

from assistant.grading.feedback import colon, coverage_label, note_text, verdict_label
from assistant.grading.grade import Coverage, Note, Verdict
from assistant.knowledge.models import Lang, Pitfall, Question

_LABELS: dict[str, tuple[str, str]] = {
    "report_title": ("Mock interview report", "Rapport d'entretien blanc"),
    "generated": ("Generated {when}", "Généré le {when}"),
    "session_count": ("{n} session(s)", "{n} session(s)"),
    "no_sessions": (
        "There is no session in this report.",
        "Ce rapport ne contient aucune session.",
    ),
    "session": ("Session {id}", "Session {id}"),
    "date": ("Date", "Date"),
    "mode": ("Mode", "Mode"),
    "language": ("Language", "Langue"),
    "status": ("Status", "Statut"),
    "questions": ("Questions", "Questions"),
    "question_counts": (
        "{asked} asked, {answered} answered, {skipped} skipped, {follow_ups} follow-up(s)",
        "{asked} posées, {answered} répondues, {skipped} passées, {follow_ups} complément(s)",
    ),
    "average": ("Average score", "Note moyenne"),
    "duration": ("Duration", "Durée"),
    "model": ("Grading model", "Modèle de notation"),
    "bank": ("Question bank", "Banque de questions"),
    "notice_in-progress": (
        "This session is still in progress: only the answers given so far are shown.",
        "Cette session est encore en cours : seules les réponses déjà données figurent ici.",
    ),
    "notice_abandoned": (
        "This session was abandoned before its last question.",
        "Cette session a été abandonnée avant sa dernière question.",
    ),
    "notice_empty": (
        "No question was answered in this session.",
        "Aucune question n'a reçu de réponse pendant cette session.",
    ),
    "question_n": ("Question {n}", "Question {n}"),
    "follow_up": ("Follow-up", "Complément"),
    "category": ("Category", "Catégorie"),
    "answer": ("Answer", "Réponse"),
    "no_answer": ("(no answer)", "(pas de réponse)"),
    "skipped": ("Skipped", "Passée"),
    "score": ("Score", "Note"),
    "not_graded": ("not graded yet", "pas encore notée"),
    "hints": ("Hints used", "Indices utilisés"),
    "time_taken": ("Time taken", "Temps de réponse"),
    "key_points": ("Key points", "Points clés"),
    "you_said": ("you said", "vous avez dit"),
    "notes": ("Notes", "Remarques"),
    "reference": ("Reference answer", "Réponse de référence"),
    "common_mistakes": (
        "Common mistakes on this question",
        "Erreurs fréquentes sur cette question",
    ),
    "none": ("none", "aucun"),
    "summary": ("Summary", "Récapitulatif"),
    "col_number": ("#", "n°"),
    "col_question": ("Question", "Question"),
    "col_score": ("Score", "Note"),
    "col_verdict": ("Verdict", "Verdict"),
    "col_covered": ("Covered", "Couverts"),
    "col_partial": ("Partly", "En partie"),
    "col_missed": ("Missed", "Manqués"),
    "col_contradicted": ("Contradicted", "Contredits"),
    # disputes: the candidate overruled the grader (`grading.overrule`)
    "your_grade": ("your grade {score}/100 ({verdict})", "votre note {score}/100 ({verdict})"),
    "grader_grade": ("grader {score}/100 ({verdict})", "correcteur {score}/100 ({verdict})"),
    "not_counted": ("not counted", "non retenue"),
    "score_and_grader": ("{score} (grader {other})", "{score} (correcteur {other})"),
    "score_and_yours": ("{score} (yours {other})", "{score} (la vôtre {other})"),
    "own_grades_one": (
        "1 answer counted with your own grade",
        "1 réponse comptée avec votre propre note",
    ),
    "own_grades_many": (
        "{n} answers counted with your own grades",
        "{n} réponses comptées avec vos propres notes",
    ),
    "mark_you": ("you", "vous"),
    "mark_grader": ("grader", "correcteur"),
    "dispute": ("Your dispute", "Votre contestation"),
    "dispute_open": (
        "Waiting for a mentor since {when}: your grade counts meanwhile.",
        "En attente d'un mentor depuis le {when} : votre note compte en attendant.",
    ),
    "dispute_accepted": (
        "Accepted by {mentor} on {when}: your grade counts.",
        "Acceptée par {mentor} le {when} : votre note compte.",
    ),
    "dispute_rejected": (
        "Rejected by {mentor} on {when}: the grader's grade counts, not yours.",
        "Refusée par {mentor} le {when} : c'est la note du correcteur qui compte, pas la vôtre.",
    ),
    "your_reason": ("Your reason", "Votre motif"),
    "no_reason": ("(none given)", "(aucun)"),
    "mentor_note": ("Mentor's note", "Remarque du mentor"),
    "no_mentor_note": ("The mentor left no note.", "Le mentor n'a laissé aucune remarque."),
    # values
    "completed": ("completed", "terminée"),
    "in-progress": ("in progress", "en cours"),
    "abandoned": ("abandoned", "abandonnée"),
    "practice": ("practice", "entraînement"),
    "mock": ("mock", "blanc"),
}


def label(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with `values` filled in."""
    en, fr = _LABELS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


class ReportBank(Protocol):
    """What a report asks of the question bank (a loaded `Bank` answers it)."""

    def category_title(self, category_id: str, lang: str) -> str:
        """A category's display name in `lang`."""
        ...

    def get(self, question_id: str) -> Question | None:
        """The question with this id, if the bank has it."""
        ...


class _NoBank:
    """The report's default when no bank is at hand: categories by id, no questions."""

    def category_title(self, category_id: str, lang: str) -> str:
        return category_id

    def get(self, question_id: str) -> Question | None:
        return None


NO_BANK: ReportBank = _NoBank()
"""Categories shown as stored, no common mistakes."""


def common_mistakes(question_id: str, follow_up_of: int | None, bank: ReportBank) -> list[Pitfall]:
    """The common mistakes to show under a main question's reference (none under follow-ups)."""
    question = bank.get(question_id) if follow_up_of is None else None
    return list(question.pitfalls) if question is not None else []


def labelled(key: str, lang: Lang, value: object) -> str:
    """`Label: value` (`Label : value` in French)."""
    return f"{label(key, lang)}{colon(lang)} {value}"


def value_label(value: str, lang: Lang) -> str:
    """A stored value (status, mode) in words; an unknown value is shown as stored."""
    return label(value, lang) if value in _LABELS else value


def as_lang(value: str) -> Lang:
    """A stored language code as a Lang; anything unknown reads as English."""
    return "fr" if value == "fr" else "en"


def verdict_words(verdict: Verdict, lang: Lang) -> str:
    """The verdict as the candidate was told it."""
    return verdict_label(verdict, lang)


def note_words(note: Note, lang: Lang) -> str:
    """A grading note as the candidate was told it."""
    return note_text(note, lang)


_MARK_WORDS: dict[Coverage, tuple[str, str]] = {
    Coverage.COVERED: ("Covered", "Couvert"),
    Coverage.PARTIAL: ("Partly covered", "En partie couvert"),
    Coverage.MISSED: ("Missed", "Manqué"),
    Coverage.CONTRADICTED: ("Contradicted", "Contredit"),
}


def mark_words(status: Coverage, lang: Lang) -> str:
    """A key point's mark in one or two words, capitalised: set beside another mark (the
    candidate's and the grader's), the long wording of a contradiction would not fit."""
    en, fr = _MARK_WORDS[status]
    return en if lang == "en" else fr


def coverage_words(status: Coverage, lang: Lang) -> str:
    """How a key point was covered, as the candidate was told it, capitalised."""
    words = coverage_label(status, lang)
    return words[:1].upper() + words[1:]
