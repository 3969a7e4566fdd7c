"""Texts for the candidate exist for every note and verdict, in both languages."""

from __future__ import annotations

import pytest

from assistant.grading.feedback import coverage_label, note_text, summary, verdict_label
from assistant.grading.grade import Coverage, Grade, KeyPointResult, Note, NoteCode, Verdict


@pytest.mark.parametrize("code", list(NoteCode))
def test_every_note_has_distinct_english_and_french_text(code: NoteCode) -> None:
    en, fr = note_text(Note(code), "en"), note_text(Note(code), "fr")
    assert en and fr and en != fr


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_has_a_label(verdict: Verdict) -> None:
    assert verdict_label(verdict, "en") != verdict_label(verdict, "fr")


def test_other_language_note_names_the_language() -> None:
    note = Note(NoteCode.OTHER_LANGUAGE, "fr vs en")
    assert "(French)" in note_text(note, "en")
    assert "(français)" in note_text(note, "fr")


def test_summary_counts_covered_key_points() -> None:
    grade = Grade(
        score=64,
        verdict=Verdict.ADEQUATE,
        key_points=[
            KeyPointResult("a", "A", Coverage.COVERED, 0.7, "ev"),
            KeyPointResult("b", "B", Coverage.MISSED, 0.1),
        ],
    )
    assert summary(grade, "en") == "Adequate — 64/100, 1 of 2 key points covered"
    assert coverage_label(Coverage.PARTIAL, "fr") == "en partie couvert"
