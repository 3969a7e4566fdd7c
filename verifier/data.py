"""Reading the verifier's training data from `../shared/training/` into labelled pairs.

Every source becomes `Pair(premise, hypothesis, label, source, lang)`, with the three NLI labels
(entailment, neutral, contradiction). A pair whose label only says "not a contradiction" (DACCORD's
"compatible") has label `COMPATIBLE`; the training loss treats it as entailment-or-neutral.
The validation slice is chosen by a hash of the premise, so a premise and its edits (CAD) or
the answers to one question (SemEval) never sit on both sides.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ENTAILMENT, NEUTRAL, CONTRADICTION, COMPATIBLE = 0, 1, 2, 3
LABELS = ("entailment", "neutral", "contradiction")
PUBLIC_SOURCES = (
    "snli",
    "cad",
    "mnli",
    "semeval-beetle",
    "semeval-sciEntsBank",
    "rte3-fr",
    "daccord",
    "snli-train",
)
"""The `source` of each public set's pairs (`load_all`)."""
_NLI = {"entailment": ENTAILMENT, "neutral": NEUTRAL, "contradiction": CONTRADICTION}
_SEMEVAL = {"correct": ENTAILMENT, "incorrect": NEUTRAL, "contradictory": CONTRADICTION}


@dataclass(frozen=True)
class Pair:
    """One training or validation example."""

    premise: str
    hypothesis: str
    label: int
    source: str
    lang: str


def held_out(key: str, share: float) -> bool:
    """Whether `key` falls in the validation slice (a stable hash, independent of the seed)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def _snli(root: Path) -> list[Pair]:
    pairs = []
    for split in ("dev", "test"):
        s1 = (root / "snli" / f"s1.{split}").read_text(encoding="utf-8").splitlines()
        s2 = (root / "snli" / f"s2.{split}").read_text(encoding="utf-8").splitlines()
        labels = (root / "snli" / f"labels.{split}").read_text(encoding="utf-8").splitlines()
        for premise, hypothesis, label in zip(s1, s2, labels, strict=True):
            if label.strip() in _NLI:
                pairs.append(
                    Pair(premise.strip(), hypothesis.strip(), _NLI[label.strip()], "snli", "en")
                )
    return pairs


def _cad(root: Path) -> list[Pair]:
    pairs = []
    for split in ("train", "dev", "test"):
        path = root / "cad_snli" / "NLI" / "all_combined" / f"{split}.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                label = (row.get("gold_label") or "").strip()
                if label in _NLI:
                    pairs.append(Pair(row["sentence1"], row["sentence2"], _NLI[label], "cad", "en"))
    return pairs


def _mnli(root: Path) -> list[Pair]:
    pairs = []
    for line in (root / "mnli" / "dev_matched.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("label") in _NLI:
            pairs.append(Pair(row["premise"], row["hypothesis"], _NLI[row["label"]], "mnli", "en"))
    return pairs


def _semeval(root: Path) -> list[Pair]:
    """Student answer (premise) against the question's best reference answer (hypothesis)."""
    pairs = []
    folder = root / "semeval2013_3way" / "training_3way"
    for corpus in ("beetle", "sciEntsBank"):
        for path in sorted((folder / corpus).glob("*.xml")):
            question = ET.parse(path).getroot()
            refs = question.findall("./referenceAnswers/referenceAnswer")
            best = [r for r in refs if r.get("category") == "BEST"] or refs
            reference = (best[0].text or "").strip()
            for answer in question.findall("./studentAnswers/studentAnswer"):
                label = _SEMEVAL.get(answer.get("accuracy", ""))
                text = (answer.text or "").strip()
                if label is not None and text and reference:
                    pairs.append(Pair(text, reference, label, f"semeval-{corpus}", "en"))
    return pairs


def _rte3_fr(root: Path) -> list[Pair]:
    path = root / "french" / "rte3_fr" / "RTE3-FR-dev-set-3class.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Pair(r["premise"], r["hypothesis"], int(r["label"]), "rte3-fr", "fr") for r in rows]


def _daccord(root: Path) -> list[Pair]:
    path = root / "french" / "daccord" / "daccord_dataset.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Pair(
            r["premise"],
            r["hypothesis"],
            CONTRADICTION if r["label"] == "1" else COMPATIBLE,
            "daccord",
            "fr",
        )
        for r in rows
    ]


def _snli_train(root: Path) -> list[Pair]:
    """The first 100,000 pairs of SNLI train (rows without a majority label, `-`, skipped)."""
    pairs = []
    path = root / "snli_train" / "snli_1.0_train_subset.jsonl.gz"
    if not path.exists():
        return pairs
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for raw in handle:
            row = json.loads(raw)
            if row.get("gold_label") in _NLI:
                label = _NLI[row["gold_label"]]
                pairs.append(Pair(row["sentence1"], row["sentence2"], label, "snli-train", "en"))
    return pairs


def load_all(root: Path) -> list[Pair]:
    """Every pair of every public source, in a fixed order."""
    return (
        _snli(root)
        + _cad(root)
        + _mnli(root)
        + _semeval(root)
        + _rte3_fr(root)
        + _daccord(root)
        + _snli_train(root)
    )


AUTHORED_LABELS = {"stated": ENTAILMENT, "not-stated": NEUTRAL, "contradicted": CONTRADICTION}
"""The corpus's labels as NLI labels: a stated key point is entailed by the answer."""


def authored_pairs(items: list, split_name: str) -> list[Pair]:
    """(answer, key point) pairs of the authored corpus's items on one side of its split
    (`verifier/authored.py`): the whole answer is the premise, the key point the hypothesis."""
    pairs = []
    for item in items:
        if item.split != split_name:
            continue
        texts = {k.id: k.text for k in item.key_points}
        for answer in item.answers:
            for point, label in answer.labels.items():
                pairs.append(
                    Pair(
                        answer.text,
                        texts[point],
                        AUTHORED_LABELS[label],
                        f"authored-{item.part}",
                        item.lang,
                    )
                )
    return pairs


def split(pairs: list[Pair], share: float = 0.05) -> tuple[list[Pair], list[Pair]]:
    """(train, validation): `share` of English premises and three times that of French ones.

    CAD is never held out: its revised premises are edits of one another, so a hash cannot keep
    an original and its edit on one side.
    """
    train, valid = [], []
    for pair in pairs:
        # SemEval: one question's answers share the reference, so hash the reference instead.
        key = pair.hypothesis if pair.source.startswith("semeval") else pair.premise
        slice_share = 0.0 if pair.source == "cad" else share * (3 if pair.lang == "fr" else 1)
        (valid if held_out(f"{pair.source}:{key}", slice_share) else train).append(pair)
    return train, valid
