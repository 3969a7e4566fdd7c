"""Schema of the question bank: packs, questions, key points and pitfalls.

The classes are frozen standard dataclasses, so the app can use a cached bank without importing
pydantic at start-up (about 80 ms). Pydantic validates YAML data against them, by their
annotations, when a pack is loaded: see `parse`. The constraints are therefore written as
`Annotated` metadata that pydantic understands (annotated-types, `_Pattern`), and the checks that
span fields are `__post_init__` methods raising `ValueError`, which pydantic reports located.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

if TYPE_CHECKING:
    from annotated_types import Ge, Le, MaxLen, MinLen
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

Lang = Literal["en", "fr"]
"""A language the bank is written in."""

LANGS: tuple[Lang, ...] = ("en", "fr")
"""Every language a question must carry, in display order."""

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class _Pattern:
    """`Annotated` metadata: the text must match a regular expression (checked by pydantic)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.str_schema(pattern=self.pattern, strip_whitespace=True)


Slug = Annotated[str, _Pattern(SLUG_PATTERN)]
if TYPE_CHECKING:
    NonEmpty = Annotated[str, MinLen(1)]


def _bind_constraints() -> None:
    """Put annotated-types' constraints (`Ge`, `MinLen`, ..., `NonEmpty`) in this module's
    namespace, where pydantic resolves the annotations, which are strings until then.

    Importing annotated-types takes about 10 ms, and only validation needs it: the app reading a
    cached bank at start-up never does; the first pydantic adapter built pays for it instead.
    """
    namespace = globals()
    if "NonEmpty" in namespace:
        return
    from annotated_types import Ge, Le, MaxLen, MinLen

    namespace.update(Ge=Ge, Le=Le, MaxLen=MaxLen, MinLen=MinLen)
    namespace["NonEmpty"] = Annotated[str, MinLen(1)]


_STRICT: dict[str, Any] = {"extra": "forbid", "str_strip_whitespace": True}
"""Pydantic config of every bank class: unknown keys are typos and are rejected."""

_T = TypeVar("_T")


def parse(kind: type[_T], data: object) -> _T:
    """Validate `data` (parsed YAML) as a `kind`; raises pydantic's `ValidationError`."""
    return _adapter(kind).validate_python(data)  # type: ignore[no-any-return]


def dump(item: object) -> Any:
    """`item` as plain JSON-ready data, without the fields that are unset."""
    return _adapter(type(item)).dump_python(item, mode="json", exclude_none=True)


_ADAPTERS: dict[type[Any], Any] = {}


def _adapter(kind: type[Any]) -> Any:
    """Pydantic's adapter for a bank class, built once (building one compiles its schema)."""
    from pydantic import TypeAdapter

    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        _bind_constraints()
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


@dataclass(frozen=True, kw_only=True)
class Localized:
    """One text in every language of the bank."""

    __pydantic_config__ = _STRICT

    en: NonEmpty
    """English text."""
    fr: NonEmpty
    """French text."""

    def get(self, lang: Lang) -> str:
        """The text in `lang`."""
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True, kw_only=True)
class KeyPoint:
    """One self-contained statement a good answer makes; graded on its own."""

    __pydantic_config__ = _STRICT

    id: Slug
    """Stable slug, unique within its question."""
    en: NonEmpty
    """The statement in English."""
    fr: NonEmpty
    """The statement in French."""

    def text(self, lang: Lang) -> str:
        """The statement in `lang`."""
        return self.en if lang == "en" else self.fr

    def __post_init__(self) -> None:
        """A key point must be a statement, not a bare keyword."""
        for lang in LANGS:
            if len(self.text(lang).split()) < 3:
                raise ValueError(
                    f"key point '{self.id}' ({lang}) must be a statement of at least 3 words"
                )


@dataclass(frozen=True, kw_only=True)
class FollowUp:
    """A question the interviewer asks when the candidate missed one key point."""

    __pydantic_config__ = _STRICT

    key_point: Slug
    """Id of the key point of the same question that this follow-up probes."""
    question: Localized
    """The follow-up question."""


@dataclass(frozen=True, kw_only=True)
class Pitfall:
    """A wrong claim candidates often make; an answer that makes it is marked down and told why."""

    __pydantic_config__ = _STRICT

    id: Slug
    """Stable slug, unique within its question."""
    claim: Localized
    """The wrong claim, phrased as a candidate would state it."""
    correction: Localized
    """What is true instead, in one sentence."""
    key_point: Slug | None = None
    """Id of the key point this claim contradicts, when there is one."""

    def __post_init__(self) -> None:
        """A pitfall is a claim, not a keyword."""
        for lang in LANGS:
            if len(self.claim.get(lang).split()) < 4:
                raise ValueError(
                    f"pitfall '{self.id}' ({lang}) must be a claim of at least 4 words"
                )


@dataclass(frozen=True, kw_only=True)
class Question:
    """One interview question with its reference answer and key points."""

    __pydantic_config__ = _STRICT

    id: Slug
    """Stable slug, unique across all loaded packs."""
    category: Slug
    """Category id, declared in the pack header."""
    difficulty: Annotated[int, Ge(1), Le(3)]
    """1 (warm-up) to 3 (hard)."""
    tags: list[Slug] = field(default_factory=list)
    """Free topic tags."""
    question: Localized
    """What the interviewer asks."""
    answer: Localized
    """The reference answer."""
    key_points: Annotated[list[KeyPoint], MinLen(3), MaxLen(6)]
    """3 to 6 statements a grader checks one by one."""
    hints: list[Localized] = field(default_factory=list)
    """Progressive hints, vaguest first."""
    follow_ups: list[FollowUp] = field(default_factory=list)
    """Follow-up questions tied to key points."""
    pitfalls: list[Pitfall] = field(default_factory=list)
    """Common wrong claims about this question, each with its correction."""
    source: str | None = None
    """Where the facts come from (e.g. the article's section)."""

    def __post_init__(self) -> None:
        """Ids are unique and every reference names a key point of this question."""
        ids = [kp.id for kp in self.key_points]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate key point ids: {', '.join(dupes)}")
        pitfall_ids = [p.id for p in self.pitfalls]
        dupes = sorted({i for i in pitfall_ids if pitfall_ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate pitfall ids: {', '.join(dupes)}")
        # References to key points are checked by the loader, which can locate the line.

    def dangling_references(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(field path, message) for each follow-up or pitfall naming a key point not here."""
        ids = [kp.id for kp in self.key_points]
        known = ", ".join(ids)
        found: list[tuple[tuple[str | int, ...], str]] = []
        for i, fu in enumerate(self.follow_ups):
            if fu.key_point not in ids:
                found.append(
                    (
                        ("follow_ups", i, "key_point"),
                        f"names key point '{fu.key_point}', which is not one of: {known}",
                    )
                )
        for i, pitfall in enumerate(self.pitfalls):
            if pitfall.key_point is not None and pitfall.key_point not in ids:
                found.append(
                    (
                        ("pitfalls", i, "key_point"),
                        f"names key point '{pitfall.key_point}', which is not one of: {known}",
                    )
                )
        return found

    def key_point(self, key_point_id: str) -> KeyPoint:
        """The key point with this id."""
        return next(kp for kp in self.key_points if kp.id == key_point_id)

    def follow_up_for(self, key_point_id: str) -> FollowUp | None:
        """The follow-up that probes this key point, if the bank has one."""
        return next((f for f in self.follow_ups if f.key_point == key_point_id), None)


@dataclass(frozen=True, kw_only=True)
class Category:
    """A category declared by a pack."""

    __pydantic_config__ = _STRICT

    id: Slug
    """Slug used by questions."""
    title: Localized
    """Display name."""
    stage: Annotated[int, Ge(1), Le(9)] = 5
    """Where it falls in the shape of an interview: lower stages are asked first."""
    technical: bool = True
    """Whether its questions test technical knowledge. A session draws at most one question in
    three from categories that do not (behavioural, career) while technical ones remain: an
    interview for a technical role is mostly technical."""


@dataclass(frozen=True, kw_only=True)
class PackHeader:
    """What a pack is: its identity and the categories it declares."""

    __pydantic_config__ = _STRICT

    id: Slug
    """Stable pack id."""
    title: Localized
    """Display name."""
    subject: Slug
    """The subject the pack belongs to (e.g. mlops); packs of one subject form one bank."""
    version: Annotated[str, _Pattern(r"^\d+\.\d+(\.\d+)?$")]
    """Version of the pack's content (e.g. 1.0.0)."""
    categories: Annotated[list[Category], MinLen(1)]
    """Categories its questions use."""


@dataclass(frozen=True, kw_only=True)
class Pack:
    """One YAML file of the bank."""

    __pydantic_config__ = _STRICT

    pack: PackHeader
    """The header."""
    questions: Annotated[list[Question], MinLen(1)]
    """Its questions."""
