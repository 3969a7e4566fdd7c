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
    CONTRADICTED = "contradicted"
    """The answer says the opposite of the key point (the verifier found a contradiction)."""


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
    TRUNCATED = "truncated"
    """The answer was longer than the grading bound: only its beginning was graded."""
    CONTRADICTIONS = "contradictions"
    """Some key points were contradicted: the score was lowered and cannot be "strong"."""
    NOT_VERIFIED = "not-verified"
    """No verifier could be loaded: key points were judged by similarity alone."""
    NOT_LANGUAGE = "not-language"
    """The answer is not written language (an encoded blob, a long unbroken token, code with no
    prose): nothing was graded."""


@dataclass(frozen=True)
class KeyPointResult:
    """The verdict on one key point, with the part of the answer that decided it."""

    id: str
    text: str
    status: Coverage
    similarity: float
    evidence: str | None = None
    """The answer's words that decided the status, verbatim (a sentence or clause)."""
    span: tuple[int, int] | None = None
    """Where `evidence` sits in the answer, as character offsets (end excluded)."""
    entailment: float | None = None
    """The verifier's probability that the evidence states the key point (None: not verified)."""
    contradiction: float | None = None
    """The verifier's probability that the evidence says the opposite of the key point."""


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
    verifier_id: str = ""
    """The verifier that checked the key points ("" when graded by similarity alone)."""

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
                    span=tuple(k["span"]) if k.get("span") else None,  # type: ignore[arg-type]
                    entailment=k.get("entailment"),
                    contradiction=k.get("contradiction"),
                )
                for k in data.get("key_points", [])
            ],
            notes=[Note(NoteCode(n["code"]), n.get("detail")) for n in data.get("notes", [])],
            answer_lang=data.get("answer_lang", "en"),
            reference_lang=data.get("reference_lang", "en"),
            model_id=data.get("model_id", ""),
            bank_version=data.get("bank_version", ""),
            verifier_id=data.get("verifier_id", ""),
        )

    @property
    def covered(self) -> list[KeyPointResult]:
        """Key points fully covered."""
        return [k for k in self.key_points if k.status is Coverage.COVERED]

    @property
    def missed(self) -> list[KeyPointResult]:
        """Key points not covered at all."""
        return [k for k in self.key_points if k.status is Coverage.MISSED]

    @property
    def contradicted(self) -> list[KeyPointResult]:
        """Key points the answer says the opposite of."""
        return [k for k in self.key_points if k.status is Coverage.CONTRADICTED]
