"""The grader on the real model: key-point results, every note, language switch, long answers."""

from __future__ import annotations

import json
from dataclasses import replace

from assistant.grading.grade import Coverage, Grade, NoteCode, Verdict
from assistant.grading.pipeline import Grader
from assistant.grading.target import GradingTarget
from tests.grading.conftest import DRIFT, GOOD_EN, GOOD_FR, VAGUE_EN


def codes(grade: Grade) -> set[NoteCode]:
    return {note.code for note in grade.notes}


def test_good_answer_covers_key_points_with_evidence(
    grader: Grader, drift_en: GradingTarget
) -> None:
    grade = grader.grade(drift_en, GOOD_EN)
    assert grade.verdict in (Verdict.STRONG, Verdict.ADEQUATE)
    assert [k.id for k in grade.key_points] == [
        "data-moves-away",
        "relationship-changes",
        "monitor-and-retrain",
    ]
    assert all(k.status is Coverage.COVERED for k in grade.key_points)
    concept = next(k for k in grade.key_points if k.id == "relationship-changes")
    assert concept.evidence is not None and "Concept drift" in concept.evidence
    assert codes(grade) == set()
    assert grade.model_id == "all-MiniLM-L6-v2"
    assert grade.bank_version == "test-bank@1"


def test_missing_key_point_is_reported_missed(grader: Grader, drift_en: GradingTarget) -> None:
    answer = "Model drift is when the live data drifts away from the training data over time."
    grade = grader.grade(drift_en, answer)
    by_id = {k.id: k for k in grade.key_points}
    assert by_id["data-moves-away"].status is Coverage.COVERED
    assert by_id["relationship-changes"].status is not Coverage.COVERED
    assert grade.score < grader.grade(drift_en, GOOD_EN).score


def test_quality_order(grader: Grader, drift_en: GradingTarget) -> None:
    off_topic = "I package models in Docker images and serve them behind a REST API."
    scores = [grader.grade(drift_en, a).score for a in (GOOD_EN, VAGUE_EN, off_topic)]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3


def test_empty_answer(grader: Grader, drift_en: GradingTarget) -> None:
    grade = grader.grade(drift_en, "   \n ")
    assert (grade.score, grade.verdict) == (0, Verdict.NO_ANSWER)
    assert codes(grade) == {NoteCode.EMPTY}
    assert all(k.status is Coverage.MISSED for k in grade.key_points)


def test_dont_know_in_english_and_french(grader: Grader, drift_en: GradingTarget) -> None:
    for answer in ("I don't know.", "Sorry, no idea what concept drift is.", "Je ne sais pas."):
        grade = grader.grade(drift_en, answer)
        assert (grade.score, grade.verdict) == (0, Verdict.NO_ANSWER), answer
        assert codes(grade) == {NoteCode.DONT_KNOW}, answer


def test_dont_know_followed_by_an_answer_is_graded(grader: Grader, drift_en: GradingTarget) -> None:
    answer = "I don't know exactly, but " + GOOD_EN
    grade = grader.grade(drift_en, answer)
    assert NoteCode.DONT_KNOW not in codes(grade)
    assert grade.score > 50


def test_restated_question(grader: Grader, drift_en: GradingTarget) -> None:
    restated = (
        "Model drift is the drift of the model and concept drift is the drift of the concept."
    )
    grade = grader.grade(drift_en, restated)
    assert NoteCode.RESTATES_QUESTION in codes(grade)
    assert grade.verdict is Verdict.OFF_TARGET
    assert NoteCode.RESTATES_QUESTION not in codes(grader.grade(drift_en, GOOD_EN))


def test_keyword_list(grader: Grader, drift_en: GradingTarget) -> None:
    grade = grader.grade(drift_en, "data distribution, features, target, monitoring, retraining")
    assert NoteCode.KEYWORD_LIST in codes(grade)
    assert NoteCode.KEYWORD_LIST not in codes(grader.grade(drift_en, GOOD_EN))


def test_too_short(grader: Grader, drift_en: GradingTarget) -> None:
    grade = grader.grade(drift_en, "Data changes.")
    assert NoteCode.TOO_SHORT in codes(grade)
    assert grade.verdict is not Verdict.NO_ANSWER


def test_french_answer_is_graded_against_the_french_reference(grader: Grader) -> None:
    grade = grader.grade_question(DRIFT, GOOD_FR, "en")
    assert (grade.answer_lang, grade.reference_lang) == ("fr", "fr")
    assert NoteCode.OTHER_LANGUAGE not in codes(grade)
    assert grade.key_points[1].text.startswith("La dérive conceptuelle")
    assert grade.verdict in (Verdict.STRONG, Verdict.ADEQUATE)


def test_english_answer_to_a_question_asked_in_french(grader: Grader) -> None:
    grade = grader.grade_question(DRIFT, GOOD_EN, "fr")
    assert (grade.answer_lang, grade.reference_lang) == ("en", "en")


def test_other_language_note_when_the_target_has_one_language(
    grader: Grader, drift_en: GradingTarget
) -> None:
    grade = grader.grade(drift_en, GOOD_FR)
    assert NoteCode.OTHER_LANGUAGE in codes(grade)
    note = next(n for n in grade.notes if n.code is NoteCode.OTHER_LANGUAGE)
    assert note.detail == "fr vs en"
    assert grade.score < grader.grade_question(DRIFT, GOOD_FR, "en").score


def test_long_answer_is_split_not_truncated(grader: Grader, drift_en: GradingTarget) -> None:
    filler = " ".join(
        f"In project {i} we tuned batch sizes, rewrote dashboards, renamed tables, and "
        "argued about naming conventions for the feature store for weeks."
        for i in range(20)
    )
    tail = "Concept drift is when the relationship between inputs and the target changes."
    grade = grader.grade(drift_en, f"{filler} {tail}")
    assert NoteCode.SPLIT_LONG in codes(grade)
    concept = next(k for k in grade.key_points if k.id == "relationship-changes")
    # The only sentence about concept drift is past the model's 256 tokens: it was still read.
    assert concept.status is Coverage.COVERED
    assert concept.evidence == tail
    assert NoteCode.SPLIT_LONG not in codes(grader.grade(drift_en, GOOD_EN))


def test_long_sentence_without_punctuation_is_windowed(
    grader: Grader, drift_en: GradingTarget
) -> None:
    words = ["we", "tuned", "dashboards", "and", "tables"] * 80
    answer = (
        " ".join(words)
        + " and concept drift means the relationship between inputs and target changes"
    )
    grade = grader.grade(drift_en, answer)
    assert NoteCode.SPLIT_LONG in codes(grade)
    concept = next(k for k in grade.key_points if k.id == "relationship-changes")
    assert concept.status is not Coverage.MISSED
    assert concept.evidence is not None and concept.evidence.endswith("target changes")


def test_reference_sentences_serve_as_key_points(grader: Grader) -> None:
    target = GradingTarget(
        question="Where do C++ programs begin to execute?",
        reference="Execution starts in the main function.",
        lang="en",
    )
    grade = grader.grade(target, "A C++ program starts running at main().")
    assert [k.id for k in grade.key_points] == ["reference-1"]
    assert grade.score > grader.grade(target, "A class holds data members.").score


def test_grade_round_trips_through_json(grader: Grader, drift_en: GradingTarget) -> None:
    grade = grader.grade(drift_en, GOOD_EN)
    assert Grade.from_dict(json.loads(json.dumps(grade.to_dict()))) == grade


def test_grade_many_matches_grade(grader: Grader, drift_en: GradingTarget) -> None:
    answers = [GOOD_EN, VAGUE_EN, "", "I don't know"]
    many = grader.grade_many([(drift_en, a) for a in answers])
    one_by_one = [grader.grade(drift_en, a) for a in answers]
    # Batching pads texts together, which moves similarities in the last float digits only.
    assert all(abs(m.score - o.score) <= 1 for m, o in zip(many, one_by_one, strict=True))
    assert [m.verdict for m in many][2:] == [Verdict.NO_ANSWER, Verdict.NO_ANSWER]


def test_a_run_on_sentence_is_credited_clause_by_clause(grader: Grader) -> None:
    """Each step listed in one long sentence counts, with its own clause as the evidence."""
    target = GradingTarget(
        question="How do you deploy a machine learning model to the cloud?",
        reference="Package the model, upload it to a managed service, secure it, monitor it.",
        key_points=[
            ("scaling", "Auto-scaling is configured so the deployed model handles varying load."),
            ("security", "Access controls and encryption are put in place to secure the model."),
        ],
    )
    answer = (
        "I put the model in a container with its dependencies, push it to a managed service, "
        "set up access control and encryption, then configure autoscaling for traffic peaks."
    )
    with_clauses = grader.grade(target, answer)
    by_id = {k.id: k for k in with_clauses.key_points}
    assert by_id["security"].status is not Coverage.MISSED
    assert by_id["security"].evidence == "set up access control and encryption"
    assert by_id["scaling"].evidence == "then configure autoscaling for traffic peaks."
    whole_sentences = Grader(
        grader.backend, grader.aligner.cache, params=replace(grader.params, match_clauses=False)
    ).grade(target, answer)
    assert sum(k.similarity for k in with_clauses.key_points) > sum(
        k.similarity for k in whole_sentences.key_points
    )
