"""Schema of the question bank: pydantic models for packs, questions and key points."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Lang = Literal["en", "fr"]
"""A language the bank is written in."""

LANGS: tuple[Lang, ...] = ("en", "fr")
"""Every language a question must carry, in display order."""

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]


class _Strict(BaseModel):
    """Base for bank models: unknown keys are typos and are rejected."""

    # defer_build: schemas are built on first validation, not at import (a cached bank needs none).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Localized(_Strict):
    """One text in every language of the bank."""

    en: NonEmpty
    """English text."""
    fr: NonEmpty
    """French text."""

    def get(self, lang: Lang) -> str:
        """The text in `lang`."""
        return self.en if lang == "en" else self.fr


class KeyPoint(_Strict):
    """One self-contained statement a good answer makes; graded on its own."""

    id: Slug
    """Stable slug, unique within its question."""
    en: NonEmpty
    """The statement in English."""
    fr: NonEmpty
    """The statement in French."""

    def text(self, lang: Lang) -> str:
        """The statement in `lang`."""
        return self.en if lang == "en" else self.fr

    @model_validator(mode="after")
    def _is_a_statement(self) -> KeyPoint:
        for lang in LANGS:
            if len(self.text(lang).split()) < 3:
                raise ValueError(
                    f"key point '{self.id}' ({lang}) must be a statement of at least 3 words"
                )
        return self


class FollowUp(_Strict):
    """A question the interviewer asks when the candidate missed one key point."""

    key_point: Slug
    """Id of the key point of the same question that this follow-up probes."""
    question: Localized
    """The follow-up question."""


class Question(_Strict):
    """One interview question with its reference answer and key points."""

    id: Slug
    """Stable slug, unique across all loaded packs."""
    category: Slug
    """Category id, declared in the pack header."""
    difficulty: Annotated[int, Field(ge=1, le=3)]
    """1 (warm-up) to 3 (hard)."""
    tags: list[Slug] = Field(default_factory=list)
    """Free topic tags."""
    question: Localized
    """What the interviewer asks."""
    answer: Localized
    """The reference answer."""
    key_points: Annotated[list[KeyPoint], Field(min_length=3, max_length=6)]
    """3 to 6 statements a grader checks one by one."""
    hints: list[Localized] = Field(default_factory=list)
    """Progressive hints, vaguest first."""
    follow_ups: list[FollowUp] = Field(default_factory=list)
    """Follow-up questions tied to key points."""
    source: str | None = None
    """Where the facts come from (e.g. the article's section)."""

    @model_validator(mode="after")
    def _references_are_consistent(self) -> Question:
        ids = [kp.id for kp in self.key_points]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate key point ids: {', '.join(dupes)}")
        for fu in self.follow_ups:
            if fu.key_point not in ids:
                raise ValueError(
                    f"follow-up names key point '{fu.key_point}', which is not one of: "
                    + ", ".join(ids)
                )
        return self

    def key_point(self, key_point_id: str) -> KeyPoint:
        """The key point with this id."""
        return next(kp for kp in self.key_points if kp.id == key_point_id)

    def follow_up_for(self, key_point_id: str) -> FollowUp | None:
        """The follow-up that probes this key point, if the bank has one."""
        return next((f for f in self.follow_ups if f.key_point == key_point_id), None)


class Category(_Strict):
    """A category declared by a pack."""

    id: Slug
    """Slug used by questions."""
    title: Localized
    """Display name."""
    stage: Annotated[int, Field(ge=1, le=9)] = 5
    """Where it falls in the shape of an interview: lower stages are asked first."""


class PackHeader(_Strict):
    """What a pack is: its identity and the categories it declares."""

    id: Slug
    """Stable pack id."""
    title: Localized
    """Display name."""
    subject: Slug
    """The subject the pack belongs to (e.g. mlops); packs of one subject form one bank."""
    version: Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]
    """Version of the pack's content (e.g. 1.0.0)."""
    categories: Annotated[list[Category], Field(min_length=1)]
    """Categories its questions use."""


class Pack(_Strict):
    """One YAML file of the bank."""

    pack: PackHeader
    """The header."""
    questions: Annotated[list[Question], Field(min_length=1)]
    """Its questions."""
