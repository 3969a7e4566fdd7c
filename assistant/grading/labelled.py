"""Labelled answers: the verifier corpus's format, read by the product and by `verifier/`.

One JSON object a line, one question a line with its key points and labelled answers (the
writers' brief is `verifier/corpus/WRITING.md`). Each answer labels every key point of its line
stated, not-stated or contradicted, and carries an examiner's 0-100 score and its verdict. A
line's `part` says where its question comes from:

- `general`: a question outside the bank, self-contained (question, reference, 4 to 6 key
  points); a hash of its id puts it on the validation or the training side;
- `bank`: a question of the shipped bank, named by `question_id`, labelled against that
  question's key points (resolved by the caller: `bank_questions`, or the repository's YAML);
- `dispute`: a settled dispute (`mock-interview disputes export`), self-contained like a general
  line but with 1 to 12 key points (those the mentor settled) and answers of kind `dispute`;
  always on the training side.

This module is the one reader of the format (`verifier/authored.py` checks batches with it) and
the one judge of a grader against labels (`bench/grading_corpus.py`, `mock-interview verifier
check`). It imports no model library; `grade_items` takes a loaded grader.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.grading.grade import Coverage

if TYPE_CHECKING:
    from assistant.grading.pipeline import Grader
    from assistant.grading.target import GradingTarget
    from assistant.knowledge.loader import Bank

LABELS = ("stated", "not-stated", "contradicted")
"""What an answer does with a key point, as an examiner labels it."""

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
"""The kinds of answer the writers author for every general and bank question (WRITING.md)."""

TWIN_KINDS = ("twin-right", "twin-wrong")
"""Minimal pairs (WRITING.md, fourth pass): an answer and its twin with one or two claims
reversed, written for the training questions only."""

DISPUTE = "dispute"
"""The part of a settled dispute's line, and the kind of its answer."""

PARTS = ("general", "bank", DISPUTE)
"""Where a line's question comes from (see the module docstring)."""

KEY_POINTS_PER_PART = {"general": (4, 6), DISPUTE: (1, 12)}
"""How many key points a self-contained line carries: an authored question 4 to 6; a dispute
those of the graded question, without the pairs left out (`dispute_labels`)."""

VERDICTS = {"strong": (70, 100), "adequate": (50, 69), "partial": (25, 49), "off-target": (0, 24)}
"""Each verdict's score band (the grader's own bands, `ScoringParameters`)."""

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
    """One question of a labelled file with its key points and labelled answers."""

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
        """`validation` or `train`: by question, never by answer (bank and dispute lines, and
        any other part, are all train)."""
        if self.part != "general":
            return "train"
        return "validation" if in_validation(self.id) else "train"

    @property
    def pairs(self) -> int:
        """(answer, key point) pairs: every answer labels every key point of its line."""
        return len(self.answers) * len(self.key_points)


BankQuestion = tuple[str, str, tuple[KeyPoint, ...]]
"""A bank question as a bank line is labelled against: question, reference, key points."""


def in_validation(question_key: str) -> bool:
    """A stable hash of the question id decides its side."""
    digest = hashlib.sha256(question_key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < VALIDATION_SHARE


class CorpusError(ValueError):
    """A line that does not follow the format; the message names file, line and field."""


def verdict_of(score: int) -> str:
    """The verdict whose band holds `score` (0-100)."""
    return next(name for name, (low, high) in VERDICTS.items() if low <= score <= high)


def bank_questions(bank: Bank) -> dict[tuple[str, str], BankQuestion]:
    """Every question of a loaded bank in both languages, for resolving bank lines."""
    found: dict[tuple[str, str], BankQuestion] = {}
    for question in bank.questions.values():
        for lang in ("en", "fr"):
            points = tuple(KeyPoint(k.id, k.text(lang)) for k in question.key_points)
            found[(question.id, lang)] = (
                question.question.get(lang),
                question.answer.get(lang),
                points,
            )
    return found


def parse_line(raw: str, where: str, bank: Mapping[tuple[str, str], BankQuestion]) -> Item:
    """One line to an `Item`, or a `CorpusError` naming `where` (FILE:LINE) and the field."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as error:
        raise CorpusError(f"{where}: not JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(row, dict):
        raise CorpusError(f"{where}: not a JSON object")

    def text(field: str) -> str:
        value = row.get(field)
        if not isinstance(value, str) or not value.strip():
            raise CorpusError(f"{where}: field '{field}' missing or not a str")
        return value

    def items(field: str) -> list[object]:
        value = row.get(field)
        if not isinstance(value, list):
            raise CorpusError(f"{where}: field '{field}' missing or not a list")
        return value

    part, lang = text("part"), text("lang")
    if part not in PARTS:
        raise CorpusError(f"{where}: field 'part' must be general, bank or dispute, not {part!r}")
    if lang not in ("en", "fr"):
        raise CorpusError(f"{where}: field 'lang' must be en or fr, not {lang!r}")
    if part == "bank":
        qid = text("question_id")
        if (qid, lang) not in bank:
            raise CorpusError(f"{where}: field 'question_id': no bank question {qid!r}")
        question, reference, points = bank[(qid, lang)]
    else:
        qid = str(row.get("question_id") or "")  # a dispute's names where it came from
        question, reference = text("question"), text("reference")
        points = _key_points(items("key_points"), part, where)
    kinds = (DISPUTE,) if part == DISPUTE else KINDS + TWIN_KINDS
    answers = [
        _answer(a, n, {k.id for k in points}, kinds, f"{where}: answer {n}")
        for n, a in enumerate(items("answers"), 1)
    ]
    if len({a.id for a in answers}) != len(answers):
        raise CorpusError(f"{where}: field 'answers': answer ids must be unique")
    return Item(
        id=text("id"),
        part=part,
        lang=lang,
        area=str(row.get("area", "")),
        author=str(row.get("author", "")),
        question=question,
        reference=reference,
        key_points=points,
        answers=tuple(answers),
        question_id=qid,
    )


def _key_points(raw: list[object], part: str, where: str) -> tuple[KeyPoint, ...]:
    low, high = KEY_POINTS_PER_PART[part]
    points = tuple(
        KeyPoint(str(k.get("id", "")), str(k.get("text", ""))) for k in raw if isinstance(k, dict)
    )
    if not low <= len(points) <= high or len(points) != len(raw):
        raise CorpusError(f"{where}: field 'key_points': {low} to {high} objects with id and text")
    if len({k.id for k in points}) != len(points) or not all(k.id and k.text for k in points):
        raise CorpusError(f"{where}: field 'key_points': ids must be unique, texts non-empty")
    return points


def _answer(raw: object, n: int, ids: set[str], kinds: Sequence[str], at: str) -> Answer:
    if not isinstance(raw, dict):
        raise CorpusError(f"{at}: not an object")
    text, kind, labels = raw.get("text"), raw.get("kind"), raw.get("labels")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{at}: field 'text' missing")
    if kind not in kinds:
        raise CorpusError(f"{at}: field 'kind' {kind!r} is not one of {', '.join(kinds)}")
    if not isinstance(labels, dict) or set(labels) != ids:
        raise CorpusError(f"{at}: field 'labels' must have exactly the ids {sorted(ids)}")
    bad = [v for v in labels.values() if v not in LABELS]
    if bad:
        raise CorpusError(f"{at}: field 'labels': {bad[0]!r} is not one of {', '.join(LABELS)}")
    score, verdict = raw.get("score"), raw.get("verdict")
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        raise CorpusError(f"{at}: field 'score' must be an integer 0-100")
    if not isinstance(verdict, str) or verdict not in VERDICTS:
        raise CorpusError(f"{at}: field 'verdict' {verdict!r} is not one of {list(VERDICTS)}")
    low, high = VERDICTS[verdict]
    if not low <= score <= high:
        raise CorpusError(f"{at}: field 'verdict' {verdict} does not match score {score}")
    return Answer(str(raw.get("id", n)), str(kind), text, dict(labels), score, verdict)


def line_of(item: Item, **more: object) -> dict[str, object]:
    """`item` as the JSON object of its line, which `parse_line` reads back as `item` (`more`:
    fields the reader passes over, such as where a dispute came from). A bank line names its
    question; any other carries its question, reference and key points."""
    row: dict[str, object] = {
        "id": item.id,
        "part": item.part,
        "lang": item.lang,
        "area": item.area,
        "author": item.author,
    }
    if item.question_id:
        row["question_id"] = item.question_id
    if item.part != "bank":
        row["question"] = item.question
        row["reference"] = item.reference
        row["key_points"] = [{"id": k.id, "text": k.text} for k in item.key_points]
    row["answers"] = [
        {
            "id": a.id,
            "kind": a.kind,
            "text": a.text,
            "labels": a.labels,
            "score": a.score,
            "verdict": a.verdict,
        }
        for a in item.answers
    ]
    return row | more


def read_labelled(
    path: Path, bank: Mapping[tuple[str, str], BankQuestion]
) -> tuple[list[Item], list[str]]:
    """Every item of one file, and the problems found (FILE:LINE: field: what), in line order.

    Raises OSError when the file cannot be read, UnicodeDecodeError when it is not UTF-8.
    """
    items, problems = [], []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            items.append(parse_line(raw, f"{path}:{number}", bank))
        except CorpusError as error:
            problems.append(str(error))
    return items, problems


# How a grade is compared with labels

LABEL_OF = {
    Coverage.COVERED: "stated",
    Coverage.CONTRADICTED: "contradicted",
    Coverage.PARTIAL: "not-stated",
    Coverage.MISSED: "not-stated",
}
"""The label a grade's mark of a key point agrees with: a partly covered key point is not
stated (an examiner does not tick it)."""

LABEL_OF_MARK = {
    Coverage.COVERED: "stated",
    Coverage.MISSED: "not-stated",
    Coverage.CONTRADICTED: "contradicted",
}
"""The label of a key point a person marked (a settled dispute's grade); a partly covered mark
has none: it is neither stated nor not stated for sure, so its pair is left out of the line."""

VERDICT_RANK = {"off-target": 0, "partial": 1, "adequate": 2, "strong": 3}


@dataclass(frozen=True)
class Predictions:
    """What a grader made of each answer of some items, in item then answer order."""

    labels: list[list[str]]
    """Per answer, the label each key point's mark agrees with (`LABEL_OF`), in key point order."""
    scores: list[int]
    verdicts: list[str]


def target_of(item: Item) -> GradingTarget:
    """What the item's answers are graded against."""
    from assistant.grading.target import GradingTarget

    return GradingTarget(
        question=item.question,
        reference=item.reference,
        key_points=[(k.id, k.text) for k in item.key_points],
        lang=item.lang,
    )


def grade_items(items: Sequence[Item], grader: Grader, chunk: int = 64) -> Predictions:
    """Each answer of `items` graded by the product's grader against its line's key points."""
    work = [(target_of(item), a.text) for item in items for a in item.answers]
    grades = []
    for start in range(0, len(work), chunk):
        grades += grader.grade_many(work[start : start + chunk])
    return Predictions(
        labels=[[LABEL_OF[p.status] for p in g.key_points] for g in grades],
        scores=[g.score for g in grades],
        verdicts=[g.verdict.value for g in grades],
    )


def ranks(values: list[float]) -> list[float]:
    """Average ranks (for Spearman)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def correlations(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(Pearson, Spearman); NaN when either side is constant."""
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return float("nan"), float("nan")
    return statistics.correlation(xs, ys), statistics.correlation(ranks(xs), ranks(ys))


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def judge(
    items: Sequence[Item], predicted: list[list[str]], scores: list[int], verdicts: list[str]
) -> dict[str, object]:
    """The figures for one grader over `items` (answers in item order): three-way accuracy per
    (answer, key point), overall (`all`) and per language, with the pairs counted; precision,
    recall and pairs of each label; the contradiction precision and recall (also under
    `labels`); the score's correlation with the examiner's; the share of `complete` answers
    graded adequate or strong; the mean score per kind."""
    hits: dict[str, list[int]] = defaultdict(list)
    right: dict[str, int] = defaultdict(int)
    guessed: dict[str, int] = defaultdict(int)
    gold: dict[str, int] = defaultdict(int)
    examiner: list[float] = []
    ours: list[float] = []
    complete_ok: list[int] = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    n = 0
    for item in items:
        for answer in item.answers:
            labels = [answer.labels[k.id] for k in item.key_points]
            for truth, guess in zip(labels, predicted[n], strict=True):
                hits[item.lang].append(int(truth == guess))
                hits["all"].append(int(truth == guess))
                right[truth] += truth == guess
                guessed[guess] += 1
                gold[truth] += 1
            examiner.append(answer.score)
            ours.append(scores[n])
            by_kind[answer.kind].append(scores[n])
            if answer.kind == "complete":
                complete_ok.append(int(VERDICT_RANK[verdicts[n]] >= 2))
            n += 1
    pearson, spearman = correlations(ours, examiner)
    per_label = {
        label: {
            "precision": _ratio(right[label], guessed[label]),
            "recall": _ratio(right[label], gold[label]),
            "pairs": gold[label],
            "predicted": guessed[label],
        }
        for label in LABELS
    }
    return {
        "accuracy": {k: sum(v) / len(v) for k, v in sorted(hits.items())},
        "pairs": {k: len(v) for k, v in sorted(hits.items())},
        "labels": per_label,
        "contradiction_precision": per_label["contradicted"]["precision"],
        "contradiction_recall": per_label["contradicted"]["recall"],
        "flagged": guessed["contradicted"],
        "pearson": pearson,
        "spearman": spearman,
        "complete_adequate_or_strong": sum(complete_ok) / max(1, len(complete_ok)),
        "mean_by_kind": {k: statistics.mean(v) for k, v in sorted(by_kind.items())},
    }


def agreement_lines(figures: Mapping[str, object]) -> list[str]:
    """`judge`'s agreement figures as the lines `verifier check` and the benches print."""
    accuracy = figures["accuracy"]
    pairs = figures["pairs"]
    per_label = figures["labels"]
    assert isinstance(accuracy, dict) and isinstance(pairs, dict) and isinstance(per_label, dict)
    lines = [
        "three-way accuracy: "
        + ", ".join(f"{lang} {value:.3f} ({pairs[lang]} pairs)" for lang, value in accuracy.items())
    ]
    for label in LABELS:
        found = per_label[label]
        lines.append(
            f"{label}: precision {_figure(found['precision'])}, recall "
            f"{_figure(found['recall'])} ({found['pairs']} labelled so, "
            f"{found['predicted']} graded so)"
        )
    return lines


def _figure(value: float) -> str:
    """A ratio to three places; "n/a" when nothing was there to count (NaN)."""
    return "n/a" if math.isnan(value) else f"{value:.3f}"
