"""Loading the question bank: YAML packs validated into a Bank, every problem located."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import yaml

from assistant.knowledge.models import Category, Localized, Pack, PackHeader, Question, parse

PACK_SUFFIXES = (".yaml", ".yml")


def _fast_loader() -> type[yaml.SafeLoader]:
    """libyaml's parser when PyYAML was built with it (about ten times faster), else Python's.

    PyYAML is imported here, not at module level: a start from the bank cache never parses YAML.
    """
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, located as precisely as the YAML allows."""

    path: Path
    line: int | None
    question_id: str | None
    field: str | None
    message: str
    column: int | None = None
    """1-based column (in characters, not bytes), when the problem is at one character."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        if self.line and self.column:
            where += f":{self.column}"
        parts = [where]
        if self.question_id:
            parts.append(f"question '{self.question_id}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


@dataclass(frozen=True)
class QuestionSummary:
    """What choosing a question needs to know of it, without its texts: the bank's index."""

    id: str
    category: str
    difficulty: int
    subject: str
    """The subject of the pack that defines it."""
    question: Localized
    """What the interviewer asks, so that a listing of the bank needs no whole question."""


class LazyQuestions(Mapping[str, Question]):
    """Questions by id, each kept pickled until it is first asked for.

    A bank read from the cache holds every question as bytes: an interview that asks five
    questions of a 10,000-question pack rebuilds five, so starting does not grow with the pack.
    """

    def __init__(self, items: Mapping[str, Question | bytes] | None = None) -> None:
        self._items: dict[str, Question | bytes] = dict(items or {})

    def __getitem__(self, question_id: str) -> Question:
        item = self._items[question_id]
        if isinstance(item, bytes):
            item = self._items[question_id] = pickle.loads(item)
        return item  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raw(self) -> dict[str, Question | bytes]:
        """Every question as it is held now (built or still pickled), for merging packs."""
        return dict(self._items)

    def pickled(self) -> dict[str, bytes]:
        """Every question pickled on its own, as the cache stores them."""
        return {
            qid: item if isinstance(item, bytes) else pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
            for qid, item in self._items.items()
        }


@dataclass(frozen=True)
class LoadedPack:
    """A pack that passed validation, with where it came from."""

    path: Path
    header: PackHeader
    summaries: tuple[QuestionSummary, ...]
    """Its questions' index entries, in file order."""
    questions: LazyQuestions
    """Its questions by id, in file order."""
    digest: str
    """SHA-256 of the file's bytes."""


class PackCache(Protocol):
    """Where validated packs are kept between runs (see `bank_cache`)."""

    def get(self, path: Path, digest: str) -> LoadedPack | None:
        """The pack validated earlier from exactly these bytes, if kept."""

    def put(self, pack: LoadedPack) -> None:
        """Keep a pack that validated clean."""


@dataclass(frozen=True)
class Bank:
    """All valid questions of the loaded packs, in pack then file order."""

    packs: tuple[LoadedPack, ...] = ()
    questions: Mapping[str, Question] = field(default_factory=LazyQuestions)
    categories: dict[str, Category] = field(default_factory=dict)
    summaries: dict[str, QuestionSummary] = field(default_factory=dict)
    """The index: every question's id, category, difficulty and subject, in bank order."""

    @property
    def version(self) -> str:
        """Identifies the exact content graded against: pack versions plus a content hash."""
        if not self.packs:
            return "empty"
        subjects = sorted({p.header.subject for p in self.packs})
        digest = hashlib.sha256("".join(p.digest for p in self.packs).encode()).hexdigest()
        return f"{'+'.join(subjects)}@{max(p.header.version for p in self.packs)}#{digest[:10]}"

    def get(self, question_id: str) -> Question | None:
        """The question with this id, if loaded."""
        return self.questions.get(question_id)

    def category_title(self, category_id: str, lang: str) -> str:
        """Display name of a category, falling back to its id."""
        cat = self.categories.get(category_id)
        if cat is None:
            return category_id
        return cat.title.en if lang == "en" else cat.title.fr


@dataclass(frozen=True)
class LoadReport:
    """The bank plus every problem found; a pack with problems is skipped whole."""

    bank: Bank
    problems: tuple[Problem, ...] = ()
    skipped: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no pack had a problem."""
        return not self.problems


def pack_files(dirs: Iterable[Path]) -> list[Path]:
    """The pack files under each directory (or the files themselves), sorted, deduplicated."""
    seen: dict[Path, None] = {}
    for d in dirs:
        if d.is_file():
            seen[d.resolve()] = None
        elif d.is_dir():
            for p in sorted(d.rglob("*")):
                if p.suffix in PACK_SUFFIXES and p.is_file():
                    seen[p.resolve()] = None
    return list(seen)


def load_bank(dirs: Sequence[Path], cache: PackCache | None = None) -> LoadReport:
    """Load every pack found under `dirs`; broken packs are reported and skipped.

    With a `cache`, a pack whose bytes were validated before is read from it instead of parsed.
    """
    problems: list[Problem] = []
    skipped: list[Path] = []
    for d in dirs:
        if not d.exists():
            problems.append(Problem(d, None, None, None, "no such file or directory"))
        elif d.is_dir() and not pack_files([d]):
            problems.append(
                Problem(d, None, None, None, "no question pack (*.yaml, *.yml) in this directory")
            )
    packs: list[LoadedPack] = []
    for path in pack_files(dirs):
        pack, pack_problems = _load_pack(path, cache)
        if pack is None:
            problems.extend(pack_problems)
            skipped.append(path)
        else:
            packs.append(pack)
    bank, bank_problems, bad_paths = _assemble(packs)
    problems.extend(bank_problems)
    skipped.extend(p for p in bad_paths if p not in skipped)
    return LoadReport(bank=bank, problems=tuple(problems), skipped=tuple(skipped))


def _assemble(packs: list[LoadedPack]) -> tuple[Bank, list[Problem], list[Path]]:
    """Merge packs; a duplicate question id skips the later pack (the earlier one is kept)."""
    problems: list[Problem] = []
    bad: list[Path] = []
    questions: dict[str, Question | bytes] = {}
    summaries: dict[str, QuestionSummary] = {}
    origin: dict[str, Path] = {}
    categories: dict[str, Category] = {}
    kept: list[LoadedPack] = []
    for pack in packs:
        dupes = [qid for qid in pack.questions if qid in origin]
        if dupes:
            lines = _question_lines(pack.path)
            first_lines = {p: _question_lines(p) for p in {origin[qid] for qid in dupes}}
            for qid in dupes:
                first = origin[qid]
                first_line = first_lines[first].get(qid)
                where = f"{first}:{first_line}" if first_line else str(first)
                problems.append(
                    Problem(
                        pack.path,
                        lines.get(qid),
                        qid,
                        "id",
                        f"duplicate question id: already defined in {where}",
                    )
                )
            bad.append(pack.path)
            continue
        kept.append(pack)
        questions.update(pack.questions.raw())
        for summary in pack.summaries:
            summaries[summary.id] = summary
            origin[summary.id] = pack.path
        for c in pack.header.categories:
            categories.setdefault(c.id, c)
    bank = Bank(tuple(kept), LazyQuestions(questions), categories, summaries)
    return bank, problems, bad


def _load_pack(path: Path, cache: PackCache | None) -> tuple[LoadedPack | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, None, None, None, f"cannot read the file: {exc.strerror}")]
    digest = hashlib.sha256(raw).hexdigest()
    if cache is not None:
        cached = cache.get(path, digest)
        if cached is not None:
            return cached, []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_not_utf8(path, raw, exc)]
    pack, problems = _parse_pack(path, text, digest)
    if pack is not None and cache is not None:
        cache.put(pack)
    return pack, problems


def _not_utf8(path: Path, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """Where the first byte that is not UTF-8 stands, as a line and a column of characters."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
    return Problem(
        path,
        line,
        None,
        None,
        f"not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
        column=column,
    )


def _parse_pack(path: Path, text: str, digest: str) -> tuple[LoadedPack | None, list[Problem]]:
    import yaml

    try:
        data = yaml.load(text, Loader=_fast_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(path, line, None, None, f"YAML syntax error: {reason}")]
    if not isinstance(data, dict):
        return None, [
            Problem(path, 1, None, None, "expected a mapping with 'pack' and 'questions' keys")
        ]
    # The node tree (for line numbers) is built only when there is something to locate.
    locator = _Locator.lazy(text)
    from pydantic import ValidationError

    try:
        pack = parse(Pack, data)
    except ValidationError as exc:
        return None, [_problem_from_error(path, data, locator, err) for err in exc.errors()]
    problems = _cross_checks(path, pack, locator)
    if problems:
        return None, problems
    subject = pack.pack.subject
    summaries = tuple(
        QuestionSummary(q.id, q.category, q.difficulty, subject, q.question) for q in pack.questions
    )
    questions = LazyQuestions({q.id: q for q in pack.questions})
    return LoadedPack(path, pack.pack, summaries, questions, digest), []


def _cross_checks(path: Path, pack: Pack, locator: _Locator) -> list[Problem]:
    """Checks that span the pack: ids unique within it, categories declared in its header, and
    follow-ups and pitfalls naming key points of their question."""
    problems: list[Problem] = []
    declared = {c.id for c in pack.pack.categories}
    seen: set[str] = set()
    for i, q in enumerate(pack.questions):
        if q.id in seen:
            problems.append(
                Problem(
                    path,
                    locator.line(("questions", i, "id")),
                    q.id,
                    "id",
                    "duplicate question id within this pack",
                )
            )
        seen.add(q.id)
        if q.category not in declared:
            problems.append(
                Problem(
                    path,
                    locator.line(("questions", i, "category")),
                    q.id,
                    "category",
                    f"category '{q.category}' is not declared in the pack header "
                    f"(declared: {', '.join(sorted(declared))})",
                )
            )
        for field_path, message in q.dangling_references():
            problems.append(
                Problem(
                    path,
                    locator.line(("questions", i, *field_path)),
                    q.id,
                    _field_path(field_path),
                    message,
                )
            )
    return problems


def _problem_from_error(path: Path, data: dict[str, Any], locator: _Locator, err: Any) -> Problem:
    loc: tuple[int | str, ...] = tuple(err["loc"])
    question_id = None
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        raw = data.get("questions")
        if isinstance(raw, list) and loc[1] < len(raw) and isinstance(raw[loc[1]], dict):
            qid = raw[loc[1]].get("id")
            question_id = str(qid) if qid is not None else f"#{loc[1] + 1}"
    field_path = _field_path(loc[2:] if question_id is not None else loc)
    return Problem(
        path,
        locator.line(loc),
        question_id,
        field_path,
        _explain(err),
    )


def _field_path(loc: Sequence[int | str]) -> str | None:
    """`key_points[2].en` from ('key_points', 2, 'en')."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


_EXPECTED_TYPES = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "a text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dataclass_type": "a mapping of fields",
    "dataclass_args_type": "a mapping of fields",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
}


def _explain(err: Any) -> str:
    """Say what was expected, in words a pack author understands."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("missing", "missing_keyword_argument"):
        return "missing field (required)"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return "unknown field (a typo?); remove it or fix its name"
    if kind == "string_too_short":
        return "empty text; expected a non-empty string"
    if kind == "too_short":
        return f"too few items: expected at least {ctx.get('min_length')}"
    if kind == "too_long":
        return f"too many items: expected at most {ctx.get('max_length')}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"out of range: expected {err['msg'].lower().removeprefix('input should be ')}"
    if kind == "string_pattern_mismatch":
        return (
            f"invalid value {err.get('input')!r}: expected a slug of lowercase letters, digits "
            "and dashes"
            if "a-z" in str(ctx.get("pattern", ""))
            else f"invalid value {err.get('input')!r}: expected the form {ctx.get('pattern')}"
        )
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    expected = _EXPECTED_TYPES.get(kind)
    if expected:
        return f"wrong type: expected {expected}, got {err.get('input')!r}"
    return f"{err['msg']} (got {type(err.get('input')).__name__})"


class _Locator:
    """Maps a path of keys and indexes to the line where that value stands in the YAML."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: yaml.Node | None = None
        self._composed = False

    @classmethod
    def lazy(cls, text: str) -> _Locator:
        """A locator that parses `text` into nodes on first use."""
        return cls(text)

    def line(self, loc: Sequence[int | str]) -> int | None:
        if not self._composed:
            import yaml

            self._root = yaml.compose(self._text, Loader=_fast_loader())
            self._composed = True
        node = self._root
        best = node.start_mark.line + 1 if node is not None else None
        for key in loc:
            child = self._child(node, key)
            if child is None:
                break
            node = child
            best = node.start_mark.line + 1
        return best

    @staticmethod
    def _child(node: yaml.Node | None, key: int | str) -> yaml.Node | None:
        import yaml

        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    # A scalar is located by its key's line (the same line in block style).
                    child: yaml.Node = k if isinstance(v, yaml.ScalarNode) else v
                    return child
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(key, int)
            and 0 <= key < len(node.value)
        ):
            return node.value[key]  # type: ignore[no-any-return]
        return None


def _question_lines(path: Path) -> dict[str, int]:
    """Line of each question's id in a pack file (for problems found after validation)."""
    import yaml

    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_fast_loader())
    except (OSError, yaml.YAMLError):
        return {}
    out: dict[str, int] = {}
    qs = _Locator._child(node, "questions")
    if isinstance(qs, yaml.SequenceNode):
        for item in qs.value:
            idn = _Locator._child(item, "id")
            if idn is not None:
                for k, v in item.value:
                    if k.value == "id":
                        out[str(v.value)] = k.start_mark.line + 1
    return out
