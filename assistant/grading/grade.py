"""What a grade is: the plain result objects the grader returns and the store keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """The band a score falls in (bands documented in the README)."""

    STRONG = "strong"
    ADEQUATE = "adequate"
    PARTIAL = "partial"
    OFF_TARGET = "off-target"
    NO_ANSWER = "no-answer"


class Coverage(StrEnum):
    """How well one key point is covered by the answer."""

    COVERED = "covered"
    PARTIAL = "partial"
    MISSED = "missed"


class NoteCode(StrEnum):
    """Observations about an answer that the candidate should be told."""

    RESTATES_QUESTION = "restates-question"
    KEYWORD_LIST = "keyword-list"
    EMPTY = "empty"
    DONT_KNOW = "dont-know"
    OTHER_LANGUAGE = "other-language"
    TOO_SHORT = "too-short"
    SPLIT_LONG = "split-long"
    HINTS_USED = "hints-used"


@dataclass(frozen=True)
class KeyPointResult:
    """The verdict on one key point, with the sentence of the answer that matched it best."""

    id: str
    text: str
    status: Coverage
    similarity: float
    evidence: str | None = None


@dataclass(frozen=True)
class Note:
    """One observation, by code, with optional detail (e.g. the detected language)."""

    code: NoteCode
    detail: str | None = None


@dataclass(frozen=True)
class Grade:
    """The grade of one answer."""

    score: int
    verdict: Verdict
    key_points: list[KeyPointResult] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    answer_lang: str = "en"
    reference_lang: str = "en"
    model_id: str = ""
    bank_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (enums as their string values)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grade:
        """Rebuild a grade from `to_dict` output."""
        return cls(
            score=int(data["score"]),
            verdict=Verdict(data["verdict"]),
            key_points=[
                KeyPointResult(
                    id=k["id"],
                    text=k["text"],
                    status=Coverage(k["status"]),
                    similarity=float(k["similarity"]),
                    evidence=k.get("evidence"),
                )
                for k in data.get("key_points", [])
            ],
            notes=[Note(NoteCode(n["code"]), n.get("detail")) for n in data.get("notes", [])],
            answer_lang=data.get("answer_lang", "en"),
            reference_lang=data.get("reference_lang", "en"),
            model_id=data.get("model_id", ""),
            bank_version=data.get("bank_version", ""),
        )

    @property
    def covered(self) -> list[KeyPointResult]:
        """Key points fully covered."""
        return [k for k in self.key_points if k.status is Coverage.COVERED]

    @property
    def missed(self) -> list[KeyPointResult]:
        """Key points not covered at all."""
        return [k for k in self.key_points if k.status is Coverage.MISSED]
