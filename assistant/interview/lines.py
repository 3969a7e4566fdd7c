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
    "greeting_practice": (
        "After each answer you get feedback. Stuck? Ctrl+T gives a hint, for {cost} points off "
        "that answer's score.",
        "Après chaque réponse, vous avez un retour. Bloqué ? Ctrl+T donne un indice, qui retire "
        "{cost} points à la note de cette réponse.",
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
    "hint": ("Hint {n} (-{cost} points): {text}", "Indice {n} (-{cost} points) : {text}"),
    "no_hint": ("No more hints for this question.", "Plus d'indice pour cette question."),
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
    "summary_after_feedback": (
        "That was the last question. Read the feedback above, then press Esc (or Ctrl+S) for "
        "the summary.",
        "C'était la dernière question. Lisez le retour ci-dessus, puis appuyez sur Échap (ou "
        "Ctrl+S) pour voir le bilan.",
    ),
    "quit_with_held": (
        "{count} answer(s) could not be saved anywhere yet (the session log and its journal "
        "cannot be written). Quit anyway? The text will be written to a recovery file in "
        "another folder, or printed in the terminal, and you will be told where.",
        "{count} réponse(s) n'ont encore pu être enregistrée(s) nulle part (ni le journal des "
        "sessions ni son fichier d'attente ne peuvent être écrits). Quitter quand même ? Le "
        "texte sera écrit dans un fichier de secours dans un autre dossier, ou affiché dans le "
        "terminal, et vous saurez où.",
    ),
    "quit_anyway": ("Quit anyway", "Quitter quand même"),
    "stay": ("Stay", "Rester"),
    "recovered_to": (
        "Your unsaved answer(s) were written to {path}. They are not in the session log: copy "
        "them from there.",
        "Vos réponses non enregistrées ont été écrites dans {path}. Elles ne sont pas dans le "
        "journal des sessions : récupérez-les là.",
    ),
    "recovered_printed": (
        "No folder could be written: here are your unsaved answer(s), exactly as typed. Copy "
        "them now.",
        "Aucun dossier n'a pu être écrit : voici vos réponses non enregistrées, telles que "
        "tapées. Copiez-les maintenant.",
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
    "reference_of": (
        "Reference answer to: {question}",
        "Réponse de référence à : {question}",
    ),
    "key_point_of_follow_up": (
        "The key point the follow-up was about",
        "Le point clé visé par la question complémentaire",
    ),
    "main_reference": (
        "Reference answer to the main question",
        "Réponse de référence de la question principale",
    ),
    "nothing_answered": (
        "No answer yet: the reference is shown once you have answered.",
        "Pas encore de réponse : la référence s'affiche une fois la question répondue.",
    ),
    "graded_now": ("Graded.", "Notée."),
    "pitfalls_title": (
        "Common mistakes on this question",
        "Erreurs fréquentes sur cette question",
    ),
    "show_reference": (
        "A small model checked each key point against your words, and it can be wrong, "
        "mostly about what contradicts: Ctrl+R shows the reference answer and the common "
        "mistakes to check yours against.",
        "Un petit modèle a confronté chaque point clé à vos mots, et il peut se tromper, "
        "surtout sur ce qui contredit : Ctrl+R montre la réponse de référence et les erreurs "
        "fréquentes pour vérifier la vôtre.",
    ),
    "show_reference_unverified": (
        "The score counts the ideas you covered, not whether each claim is right: "
        "Ctrl+R shows the reference answer and the common mistakes to check yours against.",
        "La note compte les idées couvertes, pas la justesse de chaque affirmation : "
        "Ctrl+R montre la réponse de référence et les erreurs fréquentes pour vérifier la vôtre.",
    ),
    "ungraded": ("not graded yet", "pas encore noté"),
    # bindings
    "submit": ("Submit", "Envoyer"),
    "hint_action": ("Hint", "Indice"),
    "submit_help": ("Send the answer", "Envoyer la réponse"),
    "hint_help": (
        "The next hint; each hint takes {cost} points off this answer's score",
        "L'indice suivant ; chaque indice retire {cost} points à la note de cette réponse",
    ),
    "skip_help": ("Skip this question", "Passer cette question"),
    "repeat_help": ("Ask the question again", "Reposer la question"),
    "reference_help": (
        "The reference answer of the question last answered",
        "La réponse de référence de la dernière question répondue",
    ),
    "end_help": ("End the interview", "Terminer l'entretien"),
    "quit_help": ("Leave the app (answers are saved)", "Quitter l'application (réponses gardées)"),
    "palette_placeholder": ("Search for commands…", "Rechercher une commande…"),
    "theme_action": ("Light/dark theme", "Thème clair/sombre"),
    "theme_help": ("Switch theme", "Changer de thème"),
    "keys_action": ("Keys", "Touches"),
    "keys_help": (
        "Show the keys of this screen",
        "Afficher les touches de cet écran",
    ),
    "hide_keys_help": ("Hide the keys panel", "Masquer le panneau des touches"),
    "maximize_action": ("Maximize", "Agrandir"),
    "maximize_help": ("Maximize the focused widget", "Agrandir la zone active"),
    "minimize_action": ("Minimize", "Réduire"),
    "minimize_help": ("Restore the normal size", "Revenir à la taille normale"),
    "screenshot_action": ("Screenshot", "Capture d'écran"),
    "screenshot_help": (
        "Save an SVG screenshot of this screen",
        "Enregistrer une capture SVG de cet écran",
    ),
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
    "candidate_name": ("Your name", "Votre nom"),
    "bad_name_empty": ("Type your name to start.", "Tapez votre nom pour commencer."),
    "bad_name_long": (
        "Your name may be {max} characters at most.",
        "Votre nom peut compter {max} caractères au plus.",
    ),
    "bad_name_chars": (
        "Your name may hold only printable characters.",
        "Votre nom ne peut contenir que des caractères imprimables.",
    ),
    "categories": ("Categories (none ticked: all)", "Catégories (aucune cochée : toutes)"),
    "difficulty": ("Difficulty", "Difficulté"),
    "any": ("any", "toutes"),
    "questions": ("Questions", "Questions"),
    "language": ("Language", "Langue"),
    "mode": ("Mode", "Mode"),
    # At most 27 characters: the choice fits its box at 80 columns without wrapping.
    "practice": ("Practice: feedback, hints", "Entraînement : avec indices"),
    "mock": ("Mock: timed, graded at end", "Blanc : minuté, bilan final"),
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
    "resume_offer_elsewhere": (
        "The {mode} interview in {language} from {date} ({answered} of {total} answered) is open "
        "in another window: finish it there, or close that window to resume it here.",
        "L'entretien {mode} en {language} du {date} ({answered} sur {total} répondues) est ouvert "
        "dans une autre fenêtre : terminez-le là-bas, ou fermez cette fenêtre pour le reprendre "
        "ici.",
    ),
    "open_elsewhere_title": ("Open in another window", "Ouvert dans une autre fenêtre"),
    "open_elsewhere": (
        "This interview is open in another window. Finish it there, or close that window and "
        "resume it here (a window that stopped without closing frees it within a minute).",
        "Cet entretien est ouvert dans une autre fenêtre. Terminez-le là-bas, ou fermez cette "
        "fenêtre et reprenez-le ici (une fenêtre arrêtée sans être fermée le libère en moins "
        "d'une minute).",
    ),
    "lease_lost": (
        "This interview was opened in another window after this one stopped answering: it "
        "continues there. Answers typed here are no longer added to it.",
        "Cet entretien a été ouvert dans une autre fenêtre après que celle-ci a cessé de "
        "répondre : il continue là-bas. Les réponses tapées ici n'y sont plus ajoutées.",
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
    "export_short": ("Export", "Exporter"),
    # review screen keys
    "review_back": ("Back", "Retour"),
    "review_sort": ("Sort", "Trier"),
    "review_reverse": ("Reverse order", "Inverser l'ordre"),
    "review_filter": ("Filter", "Filtrer"),
    "review_history": ("History", "Historique"),
    "review_progress": ("Progress", "Progrès"),
    "review_delete": ("Delete", "Supprimer"),
    "review_export": ("Export", "Exporter"),
    "review_export_shown": ("Export all", "Tout exporter"),
    "exported": ("Report written to {path}", "Rapport écrit dans {path}"),
    "summary_counts": (
        "{questions} question(s) asked, {follow_ups} follow-up(s), {skipped} skipped; "
        "{graded} of {answers} answer(s) graded",
        "{questions} question(s) posée(s), {follow_ups} complément(s), {skipped} passée(s) ; "
        "{graded} réponse(s) notée(s) sur {answers}",
    ),
    # disagreeing with a grade
    "disagree": ("Disagree", "Contester"),
    "disagree_help": (
        "Mark the key points of the last graded answer yourself: your grade then counts",
        "Noter vous-même les points clés de la dernière réponse notée : votre note compte alors",
    ),
    "disagree_offer": (
        "Disagree with this grade? Ctrl+G: mark the key points yourself.",
        "Pas d'accord avec cette note ? Ctrl+G : notez vous-même les points clés.",
    ),
    "disagree_title": ("Your marks for this answer", "Vos marques pour cette réponse"),
    "disagree_reason": ("Why (optional, one line)", "Pourquoi (facultatif, une ligne)"),
    "disagree_keys": (
        "↑↓ key point · Space/Enter change · c p m x set · Tab reason · Ctrl+S save · Esc cancel",
        "↑↓ point clé · Espace/Entrée changer · c p m x choisir · Tab raison · Ctrl+S garder "
        "· Échap annuler",
    ),
    "disagree_save": ("Save my grade", "Garder ma note"),
    "cancel_word": ("Cancel", "Annuler"),
    "grader": ("grader", "correcteur"),
    "your_grade": ("your grade", "votre note"),
    "disagree_same": (
        "the grader's marks: its grade stays",
        "les marques du correcteur : sa note reste",
    ),
    "disagree_saved": (
        "Your grade, {score} ({verdict}), now counts for this answer in your averages and your "
        "schedule; the grader's {machine} is kept. A mentor may review it.",
        "Votre note, {score} ({verdict}), compte désormais pour cette réponse dans vos moyennes "
        "et votre planning ; celle du correcteur, {machine}, est gardée. Un mentor pourra la "
        "revoir.",
    ),
    "disagree_withdrawn": (
        "Back to the grader's marks: its {machine} counts again.",
        "Retour aux marques du correcteur : son {machine} compte de nouveau.",
    ),
    "disagree_nothing": (
        "No graded answer with key points to disagree with yet.",
        "Pas encore de réponse notée avec des points clés à contester.",
    ),
    "disagree_pick": ("Which answer do you disagree with?", "Quelle réponse contestez-vous ?"),
    "disagree_settled": (
        "A mentor settled this grade: {outcome}.",
        "Un mentor a tranché cette note : {outcome}.",
    ),
    "dispute_accepted": ("accepted by {who} on {when}", "acceptée par {who} le {when}"),
    "dispute_rejected": (
        "rejected by {who} on {when}: the grader's grade counts",
        "refusée par {who} le {when} : la note du correcteur compte",
    ),
    "dispute_open": ("waiting for a mentor", "en attente d'un mentor"),
    "disagree_help_summary": (
        "Mark the key points of one of these answers yourself: your grade then counts",
        "Noter vous-même les points clés d'une de ces réponses : votre note compte alors",
    ),
    "settled_disputes": ("Settled disputes", "Contestations tranchées"),
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
