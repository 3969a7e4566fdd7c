"""The authored verifier corpus (`verifier/corpus/`): reading, checking and splitting it.

One JSON object a line, one question a line (see `verifier/corpus/WRITING.md`). A general line
carries its question, reference and key points; a bank line names a question of the shipped
bank (`question_id`) and labels the answers against that question's key points. Run as a script
on batch files to check them: `python3 verifier/authored.py FILE...`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
LABELS = ("stated", "not-stated", "contradicted")
KINDS = (
    "complete",
    "terse",
    "partial",
    "vague",
    "wrong",
    "wrong-short",
    "swapped",
    "partly-wrong",
    "long-half",
    "rambling",
    "off-topic",
    "keywords",
    "restated",
    "long-wrong",
    "long-vague",
    "medium-wrong",
    "medium-vague",
)
VERDICTS = {"strong": (70, 100), "adequate": (50, 69), "partial": (25, 49), "off-target": (0, 24)}
VALIDATION_SHARE = 0.22
"""Share of general questions in the validation slice, chosen by a hash of the question id."""


@dataclass(frozen=True)
class KeyPoint:
    """One checkable claim of a question."""

    id: str
    text: str


@dataclass(frozen=True)
class Answer:
    """One labelled answer: a label per key point id, and the examiner's score and verdict."""

    id: str
    kind: str
    text: str
    labels: dict[str, str]
    score: int
    verdict: str


@dataclass(frozen=True)
class Item:
    """One question of the corpus with its key points and labelled answers."""

    id: str
    part: str
    lang: str
    area: str
    author: str
    question: str
    reference: str
    key_points: tuple[KeyPoint, ...]
    answers: tuple[Answer, ...]
    question_id: str = ""

    @property
    def split(self) -> str:
        """`validation` or `train`: by question, never by answer (bank lines, and extra files
        such as settled disputes, are all train)."""
        if self.part != "general":
            return "train"
        return "validation" if in_validation(self.id) else "train"


def in_validation(question_key: str) -> bool:
    """A stable hash of the question id decides its side."""
    digest = hashlib.sha256(question_key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < VALIDATION_SHARE


class CorpusError(ValueError):
    """A line of a batch file that does not follow the format; names file, line and field."""


def _bank_questions() -> dict[tuple[str, str], tuple[str, str, tuple[KeyPoint, ...]]]:
    import yaml  # the bank is YAML; only bank lines need it

    root = Path(__file__).resolve().parent.parent / "knowledge"
    found: dict[tuple[str, str], tuple[str, str, tuple[KeyPoint, ...]]] = {}
    for path in sorted(root.rglob("*.yaml")):
        for q in yaml.safe_load(path.read_text(encoding="utf-8")).get("questions", []):
            for lang in ("en", "fr"):
                points = tuple(KeyPoint(k["id"], k[lang]) for k in q["key_points"])
                found[(q["id"], lang)] = (q["question"][lang], q["answer"][lang], points)
    return found


def parse_line(
    raw: str, where: str, bank: dict[tuple[str, str], tuple[str, str, tuple[KeyPoint, ...]]]
) -> Item:
    """One line to an `Item`, or a `CorpusError` naming what is wrong."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CorpusError(f"{where}: not JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: not a JSON object")

    def need(field: str, kind: type = str) -> object:
        value = row.get(field)
        if not isinstance(value, kind) or (kind is str and not str(value).strip()):
            raise CorpusError(f"{where}: field '{field}' missing or not a {kind.__name__}")
        return value

    part = need("part")
    lang = need("lang")
    if part not in ("general", "bank"):
        raise CorpusError(f"{where}: field 'part' must be general or bank, not {part!r}")
    if lang not in ("en", "fr"):
        raise CorpusError(f"{where}: field 'lang' must be en or fr, not {lang!r}")
    if part == "bank":
        qid = str(need("question_id"))
        if (qid, lang) not in bank:
            raise CorpusError(f"{where}: field 'question_id': no bank question {qid!r}")
        question, reference, points = bank[(qid, lang)]
    else:
        qid = ""
        question, reference = str(need("question")), str(need("reference"))
        raw_points = need("key_points", list)
        points = tuple(
            KeyPoint(str(k.get("id", "")), str(k.get("text", "")))
            for k in raw_points  # type: ignore[union-attr]
            if isinstance(k, dict)
        )
        if not 4 <= len(points) <= 6 or len(points) != len(raw_points):  # type: ignore[arg-type]
            raise CorpusError(f"{where}: field 'key_points': 4 to 6 objects with id and text")
        if len({k.id for k in points}) != len(points) or not all(k.id and k.text for k in points):
            raise CorpusError(f"{where}: field 'key_points': ids must be unique, texts non-empty")
    ids = {k.id for k in points}
    answers = []
    for n, a in enumerate(need("answers", list), 1):  # type: ignore[arg-type]
        at = f"{where}: answer {n}"
        if not isinstance(a, dict):
            raise CorpusError(f"{at}: not an object")
        text, kind, labels = a.get("text"), a.get("kind"), a.get("labels")
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{at}: field 'text' missing")
        if kind not in KINDS:
            raise CorpusError(f"{at}: field 'kind' {kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(labels, dict) or set(labels) != ids:
            raise CorpusError(f"{at}: field 'labels' must have exactly the ids {sorted(ids)}")
        bad = [v for v in labels.values() if v not in LABELS]
        if bad:
            raise CorpusError(f"{at}: field 'labels': {bad[0]!r} is not one of {', '.join(LABELS)}")
        score, verdict = a.get("score"), a.get("verdict")
        if not isinstance(score, int) or not 0 <= score <= 100:
            raise CorpusError(f"{at}: field 'score' must be an integer 0-100")
        if verdict not in VERDICTS:
            raise CorpusError(f"{at}: field 'verdict' {verdict!r} is not one of {list(VERDICTS)}")
        low, high = VERDICTS[verdict]
        if not low <= score <= high:
            raise CorpusError(f"{at}: field 'verdict' {verdict} does not match score {score}")
        answers.append(Answer(str(a.get("id", n)), kind, text, dict(labels), score, verdict))
    if len({a.id for a in answers}) != len(answers):
        raise CorpusError(f"{where}: field 'answers': answer ids must be unique")
    return Item(
        id=str(need("id")),
        part=str(part),
        lang=str(lang),
        area=str(row.get("area", "")),
        author=str(row.get("author", "")),
        question=question,
        reference=reference,
        key_points=points,
        answers=tuple(answers),
        question_id=qid,
    )


def read_batch(path: Path) -> tuple[list[Item], list[str]]:
    """Every item of one batch file, and the problems found (file:line: field: what)."""
    bank = _bank_questions()
    items, problems = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            items.append(parse_line(raw, f"{path}:{number}", bank))
        except CorpusError as error:
            problems.append(str(error))
    return items, problems


def read_corpus(root: Path = CORPUS) -> list[Item]:
    """Every item of every batch under `root/general` and `root/bank`; raises on any problem."""
    items: list[Item] = []
    for path in sorted([*root.glob("general/*.jsonl"), *root.glob("bank/*.jsonl")]):
        found, problems = read_batch(path)
        if problems:
            raise CorpusError(problems[0])
        items.extend(found)
    return items


def merged_lines(batch: Path, extra: Path) -> list[str]:
    """The batch's lines with the answers of `extra` (lines of `{"id": ITEM, "answers": [...]}`)
    appended to their items, as the batch would be once merged."""
    additions: dict[str, list[dict]] = {}
    for number, raw in enumerate(extra.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip():
            try:
                row = json.loads(raw)
            except json.JSONDecodeError as error:
                raise CorpusError(f"{extra}:{number}: not JSON ({error.msg})") from None
            additions.setdefault(str(row.get("id")), []).extend(row.get("answers", []))
    out, seen = [], set()
    for raw in batch.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        row = json.loads(raw)
        if row.get("id") in additions:
            row["answers"] = [*row["answers"], *additions[row["id"]]]
            seen.add(row["id"])
        out.append(json.dumps(row, ensure_ascii=False))
    unknown = set(additions) - seen
    if unknown:
        raise CorpusError(f"{extra}: no item {sorted(unknown)[0]!r} in {batch}")
    return out


def merge(batch: Path, extra: Path, *, write: bool) -> int:
    """Check (and with `write`, apply) the extra answers of `extra` to `batch`."""
    import tempfile

    try:
        lines = merged_lines(batch, extra)
    except CorpusError as error:
        print(error)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / batch.name
        trial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        status = main([str(trial)])
    if status == 0 and write:
        batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"merged {extra} into {batch}")
    return status


def main(paths: list[str]) -> int:
    """Check batch files; print the problems or `ok` with counts."""
    status = 0
    for name in paths:
        items, problems = read_batch(Path(name))
        for problem in problems:
            print(problem)
        seen = Counter(i.id for i in items)
        for dup in [k for k, v in seen.items() if v > 1]:
            print(f"{name}: question id {dup!r} used twice")
            problems.append(dup)
        labels = Counter(v for i in items for a in i.answers for v in a.labels.values())
        kinds = Counter(a.kind for i in items for a in i.answers)
        if problems:
            status = 1
        else:
            print(
                f"ok {name}: {len(items)} questions, {sum(kinds.values())} answers, "
                f"{sum(labels.values())} pairs {dict(labels)}"
            )
            short = [i.id for i in items if len({a.kind for a in i.answers}) < len(KINDS)]
            if short:
                print(f"  note: {len(short)} questions without all {len(KINDS)} kinds")
    return status


def stats(items: list[Item]) -> str:
    """The data card's tables: size per part and language, and the label mix by answer length."""
    out = ["| part | language | questions | answers | pairs | stated | not stated | contradicted |"]
    out.append("|---|---|---|---|---|---|---|---|")
    for part in ("general", "bank"):
        for lang in ("en", "fr"):
            chosen = [i for i in items if i.part == part and i.lang == lang]
            labels = Counter(v for i in chosen for a in i.answers for v in a.labels.values())
            answers = sum(len(i.answers) for i in chosen)
            out.append(
                f"| {part} | {lang} | {len(chosen)} | {answers} | {sum(labels.values())} | "
                f"{labels['stated']} | {labels['not-stated']} | {labels['contradicted']} |"
            )
    out += ["", "| answer length (words) | pairs | stated | not stated | contradicted |"]
    out.append("|---|---|---|---|---|")
    bands = ((0, 10), (11, 25), (26, 50), (51, 100), (101, 150), (151, 10_000))
    for low, high in bands:
        labels = Counter(
            v
            for i in items
            for a in i.answers
            if low <= len(a.text.split()) <= high
            for v in a.labels.values()
        )
        total = sum(labels.values()) or 1
        name = f"{low}-{high}" if high < 10_000 else f"{low}+"
        out.append(
            f"| {name} | {total} | "
            + " | ".join(
                f"{labels[k] / total:.0%}" for k in ("stated", "not-stated", "contradicted")
            )
            + " |"
        )
    valid = [i for i in items if i.split == "validation"]
    general = [i for i in items if i.part == "general"]
    out += [
        "",
        f"Validation split: {len(valid)} of {len(general)} general questions "
        f"({sum(i.lang == 'en' for i in valid)} English, {sum(i.lang == 'fr' for i in valid)} "
        "French).",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stats"]:
        print(stats(read_corpus()))
        sys.exit(0)
    if sys.argv[1:2] in (["--check-extra"], ["--merge"]):
        # authored.py --check-extra|--merge EXTRA BATCH
        sys.exit(merge(Path(sys.argv[3]), Path(sys.argv[2]), write=sys.argv[1] == "--merge"))
    sys.exit(main(sys.argv[1:]))
