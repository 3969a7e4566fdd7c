"""The authored verifier corpus (`verifier/corpus/`): reading, checking and splitting it.

One JSON object a line, one question a line (see `verifier/corpus/WRITING.md`). A general line
carries its question, reference and key points; a bank line names a question of the shipped
bank (`question_id`) and labels the answers against that question's key points; a dispute line
(`mock-interview disputes export`) is self-contained like a general one. The format is read by
the package (`assistant.grading.labelled`); this tool resolves bank lines against the
repository's `knowledge/` and checks, splits and counts batches. Run as a script on batch files
to check them: `python3 verifier/authored.py FILE...`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (`python3 verifier/authored.py`): the package
    sys.path.insert(0, str(ROOT))

# The format is the package's: one reader for the corpus, extra files and settled disputes.
from assistant.grading.labelled import (  # noqa: E402
    KINDS,
    LABELS,
    VALIDATION_SHARE,
    VERDICTS,
    Answer,
    BankQuestion,
    CorpusError,
    Item,
    KeyPoint,
    in_validation,
    parse_line,
    read_labelled,
)

__all__ = [  # the names the scripts and tests of `verifier/` and `bench/` use from here
    "CORPUS",
    "KINDS",
    "LABELS",
    "VALIDATION_SHARE",
    "VERDICTS",
    "Answer",
    "CorpusError",
    "Item",
    "KeyPoint",
    "in_validation",
    "parse_line",
    "read_batch",
    "read_corpus",
]

CORPUS = Path(__file__).resolve().parent / "corpus"


def _bank_questions() -> dict[tuple[str, str], BankQuestion]:
    """The shipped bank's questions as bank lines are labelled against, read from its YAML (no
    need for the package's loader to check a batch)."""
    import yaml  # the bank is YAML; only bank lines need it

    found: dict[tuple[str, str], BankQuestion] = {}
    for path in sorted((ROOT / "knowledge").rglob("*.yaml")):
        for q in yaml.safe_load(path.read_text(encoding="utf-8")).get("questions", []):
            for lang in ("en", "fr"):
                points = tuple(KeyPoint(k["id"], k[lang]) for k in q["key_points"])
                found[(q["id"], lang)] = (q["question"][lang], q["answer"][lang], points)
    return found


def read_batch(path: Path) -> tuple[list[Item], list[str]]:
    """Every item of one batch file, and the problems found (file:line: field: what)."""
    return read_labelled(path, _bank_questions())


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
            authored = [i for i in items if i.part in ("general", "bank")]
            short = [i.id for i in authored if len({a.kind for a in i.answers}) < len(KINDS)]
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
