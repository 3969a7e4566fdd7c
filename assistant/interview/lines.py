"""Every label and interviewer line, in English and French."""

from __future__ import annotations

from assistant.knowledge.models import Lang

_LINES: dict[str, tuple[str, str]] = {
    # interviewer
    "greeting": (
        "Hello, and thanks for coming. I'll ask you {count} questions. Take your time; "
        "answer as you would in a real interview.",
        "Bonjour, et merci d'être venu. Je vais vous poser {count} questions. Prenez votre "
        "temps ; répondez comme dans un vrai entretien.",
    ),
    "greeting_mock": (
        "This is a mock interview: no feedback until the end, and each question is timed.",
        "Ceci est un entretien blanc : pas de retour avant la fin, et chaque question est "
        "chronométrée.",
    ),
    "resumed": (
        "Welcome back. Let's pick up where we stopped.",
        "Bon retour. Reprenons là où nous nous étions arrêtés.",
    ),
    "follow_up_intro": ("A follow-up on that:", "Une question complémentaire :"),
    "next_question": ("Next question.", "Question suivante."),
    "skipped": ("Skipped. Let's move on.", "Question passée. Continuons."),
    "skipped_back": (
        "Skipped: it comes back at the end. Let's move on.",
        "Question passée : elle reviendra à la fin. Continuons.",
    ),
    "repeat": ("Let me repeat the question:", "Je répète la question :"),
    "hint": ("Hint {n}: {text}", "Indice {n} : {text}"),
    "no_hint": ("No more hints for this question.", "Plus d'indice pour cette question."),
    "hints_in_mock": (
        "Hints are for practice mode; in a mock interview you are on your own.",
        "Les indices sont réservés au mode entraînement ; en entretien blanc, pas d'aide.",
    ),
    "closing": (
        "That's all my questions. Thank you! Here is your summary.",
        "C'est tout pour mes questions. Merci ! Voici votre bilan.",
    ),
    "answer_saved_waiting": (
        "Answer saved. It will be graded as soon as the model is ready.",
        "Réponse enregistrée. Elle sera notée dès que le modèle sera prêt.",
    ),
    "grading": ("Grading…", "Notation…"),
    "log_opening": (
        "The session log is still opening; send again in a moment.",
        "Le journal des sessions s'ouvre encore ; renvoyez dans un instant.",
    ),
    "send_when_open": (
        "The session log is still opening; your answer will be sent as soon as it is open.",
        "Le journal des sessions s'ouvre encore ; votre réponse partira dès qu'il sera ouvert.",
    ),
    "answer_kept": (
        "Not in the session log yet: kept aside, saved as soon as the log can be written.",
        "Pas encore dans le journal des sessions : mise de côté, enregistrée dès que possible.",
    ),
    "answers_kept": (
        "{count} answer(s) not saved yet are kept in {path}; they are saved automatically as "
        "soon as the session log can be written, or on the next start.",
        "{count} réponse(s) pas encore enregistrée(s) sont gardées dans {path} ; elles seront "
        "enregistrées dès que le journal des sessions le permettra, ou au prochain lancement.",
    ),
    "answer_held": (
        "Your answer stays in the editor and is saved automatically as soon as the session log "
        "can be written: do not quit until this message goes away.",
        "Votre réponse reste dans l'éditeur et sera enregistrée dès que le journal des sessions "
        "le permettra : ne quittez pas avant que ce message disparaisse.",
    ),
    "answers_saved_now": (
        "The session log can be written again: every answer is saved.",
        "Le journal des sessions est de nouveau accessible : toutes les réponses sont "
        "enregistrées.",
    ),
    "grade_not_saved": (
        "The grade was not saved; the answer is, and it will be graded on the next start.",
        "La note n'a pas été enregistrée ; la réponse l'est, et sera notée au prochain lancement.",
    ),
    "finish_not_saved": (
        "The interview could not be marked finished; its answers are saved and it will be "
        "offered for resuming.",
        "L'entretien n'a pas pu être marqué terminé ; ses réponses sont enregistrées et sa "
        "reprise sera proposée.",
    ),
    # status
    "model_loading": ("Loading the grading model…", "Chargement du modèle de notation…"),
    "model_ready": ("Grading model ready: {model}", "Modèle de notation prêt : {model}"),
    "model_failed": (
        "Grading model unavailable: answers are saved and will be graded later.",
        "Modèle de notation indisponible : les réponses sont enregistrées et seront notées "
        "plus tard.",
    ),
    "question_of": ("Question {n} of {total}", "Question {n} sur {total}"),
    "follow_up": ("follow-up", "complément"),
    "elapsed": ("elapsed {time}", "écoulé {time}"),
    "on_question": ("this question {time}", "cette question {time}"),
    # feedback
    "score": ("Score {score}/100, {verdict}", "Note {score}/100, {verdict}"),
    "evidence": ("you said: ", "vous avez dit : "),
    "reference": ("Reference answer", "Réponse de référence"),
    "pitfalls_title": (
        "Common mistakes on this question",
        "Erreurs fréquentes sur cette question",
    ),
    "show_reference": (
        "The score counts the ideas you covered, not whether each claim is right: "
        "Ctrl+R shows the reference answer and the common mistakes to check yours against.",
        "La note compte les idées couvertes, pas la justesse de chaque affirmation : "
        "Ctrl+R montre la réponse de référence et les erreurs fréquentes pour vérifier la vôtre.",
    ),
    "ungraded": ("not graded yet", "pas encore noté"),
    # bindings
    "submit": ("Submit", "Envoyer"),
    "hint_action": ("Hint", "Indice"),
    "skip_action": ("Skip", "Passer"),
    "repeat_action": ("Repeat", "Répéter"),
    "reference_action": ("Reference", "Référence"),
    "end_action": ("End", "Terminer"),
    "answer_placeholder": (
        "Type your answer. Ctrl+S sends it.",
        "Tapez votre réponse. Ctrl+S pour l'envoyer.",
    ),
    "empty_answer": (
        "Your answer is empty: type something, or press Ctrl+N to skip.",
        "Votre réponse est vide : écrivez quelque chose, ou Ctrl+N pour passer.",
    ),
    "confirm_end": (
        "End the interview now? Unanswered questions will not be asked.",
        "Terminer l'entretien maintenant ? Les questions restantes ne seront pas posées.",
    ),
    "yes": ("Yes", "Oui"),
    "no": ("No", "Non"),
    # start screen
    "app_title": ("Mock interview coach", "Coach d'entretien"),
    "subject": ("Subject", "Sujet"),
    "categories": ("Categories (none ticked: all)", "Catégories (aucune cochée : toutes)"),
    "difficulty": ("Difficulty", "Difficulté"),
    "any": ("any", "toutes"),
    "questions": ("Questions", "Questions"),
    "language": ("Language", "Langue"),
    "mode": ("Mode", "Mode"),
    "practice": ("Practice: feedback and hints", "Entraînement : retours et indices"),
    "mock": ("Mock: timed, feedback at the end", "Blanc : chronométré, bilan à la fin"),
    "practice_short": ("practice", "entraînement"),
    "mock_short": ("mock", "blanc"),
    "n_questions": ("{n} questions", "{n} questions"),
    "from_command-line": ("(from the command line)", "(ligne de commande)"),
    "from_last-session": ("(last session)", "(dernière session)"),
    "from_default": ("(default)", "(par défaut)"),
    "kept_choices": (
        "Kept from the last session: {what} (set with {flags}).",
        "Repris de la dernière session : {what} (à fixer avec {flags}).",
    ),
    "start": ("Start", "Commencer"),
    "review": ("Review", "Historique"),
    "quit": ("Quit", "Quitter"),
    "resume_offer": (
        "Resume the {mode} interview in {language} from {date}: {answered} of {total} answered.",
        "Reprendre l'entretien {mode} en {language} du {date} : {answered} sur {total} répondues.",
    ),
    "in_en": ("English", "anglais"),
    "in_fr": ("French", "français"),
    "resume": ("Resume", "Reprendre"),
    "discard": ("Discard", "Abandonner"),
    "bad_count": (
        "Questions must be a whole number from 1 to 50.",
        "Le nombre de questions doit être un entier de 1 à 50.",
    ),
    "no_questions": (
        "No question matches these choices: widen the categories or the difficulty.",
        "Aucune question ne correspond : élargissez les catégories ou la difficulté.",
    ),
    # summary
    "summary_title": ("Interview summary", "Bilan de l'entretien"),
    "overall": ("Overall score", "Note globale"),
    "per_category": ("By category", "Par catégorie"),
    "strongest": ("Strongest answer", "Meilleure réponse"),
    "weakest": ("Weakest answer", "Réponse la plus faible"),
    "practise_next": ("Practise next", "À travailler ensuite"),
    "nothing_graded": (
        "No answer was graded in this session.",
        "Aucune réponse n'a été notée pendant cette session.",
    ),
    "due": ("due {when}", "à revoir {when}"),
    "weak_last": ("last score {score}", "dernier score {score}"),
    "never_asked": ("never asked", "jamais posée"),
    "skipped_label": ("skipped", "passée"),
    "your_answers": ("Your answers", "Vos réponses"),
    "new_interview": ("New interview", "Nouvel entretien"),
    "export": ("Export report", "Exporter le rapport"),
    "exported": ("Report written to {path}", "Rapport écrit dans {path}"),
    "answers_graded": (
        "{graded} of {answered} answers graded",
        "{graded} réponses notées sur {answered}",
    ),
}


def line(key: str, lang: Lang, **values: object) -> str:
    """The text for `key` in `lang`, with `values` filled in."""
    en, fr = _LINES[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def format_duration(seconds: float) -> str:
    """`m:ss` (or `h:mm:ss`) for a number of seconds."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
