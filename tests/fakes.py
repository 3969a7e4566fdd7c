"""A fast, deterministic stand-in grader for UI tests that are not about grading quality."""

from __future__ import annotations

import re
from typing import Any

from assistant.grading.grade import Coverage, Grade, KeyPointResult, Verdict
from assistant.knowledge.models import Lang, Question

_WORD = re.compile(r"[a-zà-ÿ]{5,}")


class KeywordGrader:
    """Covers a key point when the answer shares two long words with it. Not a real grader."""

    model_id = "fake-keywords"

    def __init__(self) -> None:
        self.graded: list[str] = []

    def _grade(self, key_points: list[tuple[str, str]], answer: str, lang: str) -> Grade:
        self.graded.append(answer)
        words = set(_WORD.findall(answer.lower()))
        results = []
        for kp_id, text in key_points:
            shared = len(words & set(_WORD.findall(text.lower())))
            status = Coverage.COVERED if shared >= 2 else Coverage.MISSED
            results.append(KeyPointResult(kp_id, text, status, min(1.0, shared / 4), None))
        covered = sum(r.status is Coverage.COVERED for r in results)
        score = round(100 * covered / max(1, len(results)))
        verdict = Verdict.PARTIAL if score else Verdict.OFF_TARGET
        if score >= 80:
            verdict = Verdict.STRONG
        return Grade(score, verdict, results, [], lang, lang, self.model_id, "test")

    def grade_question(self, question: Question, answer: str, lang: Lang) -> Grade:
        return self._grade([(k.id, k.text(lang)) for k in question.key_points], answer, lang)

    def grade(self, target: Any, answer: str) -> Grade:
        return self._grade(list(target.key_points), answer, target.lang)
