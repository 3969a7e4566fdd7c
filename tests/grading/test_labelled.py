"""The labelled-answers format (`assistant.grading.labelled`): one reader for the verifier corpus,
extra training files and settled disputes, and the judge of a grader against labels."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.grading.labelled import (
    DISPUTE,
    Answer,
    CorpusError,
    Item,
    KeyPoint,
    bank_questions,
    judge,
    line_of,
    parse_line,
    read_labelled,
)
from assistant.knowledge.loader import load_bank
from assistant.settings import shipped_bank_dir


def _item(part: str, points: int, kind: str) -> Item:
    key_points = tuple(KeyPoint(f"k{n}", f"Key point number {n} holds.") for n in range(points))
    return Item(
        id=f"{part}-1",
        part=part,
        lang="en",
        area="testing",
        author="",
        question="What holds?",
        reference="Every key point holds.",
        key_points=key_points,
        answers=(
            Answer(
                id="a1",
                kind=kind,
                text="They all hold, I think.",
                labels={k.id: "stated" for k in key_points},
                score=80,
                verdict="strong",
            ),
        ),
    )


@pytest.mark.parametrize(
    ("part", "points", "kind"), [("dispute", 1, DISPUTE), ("dispute", 12, DISPUTE)]
)
def test_a_dispute_line_carries_one_to_twelve_key_points_and_reads_back_whole(
    part: str, points: int, kind: str
) -> None:
    item = _item(part, points, kind)
    read = parse_line(json.dumps(line_of(item, dispute={"status": "accepted"})), "f:1", {})
    assert read == item
    assert read.split == "train"  # a dispute is never validation, whatever its id hashes to


@pytest.mark.parametrize(
    ("part", "points", "kind", "message"),
    [
        ("dispute", 13, DISPUTE, "f:1: field 'key_points': 1 to 12 objects with id and text"),
        ("general", 3, "complete", "f:1: field 'key_points': 4 to 6 objects with id and text"),
        ("dispute", 2, "complete", "f:1: answer 1: field 'kind' 'complete' is not one of dispute"),
        ("general", 4, DISPUTE, "f:1: answer 1: field 'kind' 'dispute' is not one of complete"),
    ],
)
def test_a_line_outside_its_parts_rules_is_named_by_line_and_field(
    part: str, points: int, kind: str, message: str
) -> None:
    with pytest.raises(CorpusError) as raised:
        parse_line(json.dumps(line_of(_item(part, points, kind))), "f:1", {})
    assert str(raised.value).startswith(message)


def test_an_unknown_part_is_refused() -> None:
    line = line_of(_item("general", 4, "complete")) | {"part": "appeal"}
    with pytest.raises(CorpusError, match="field 'part' must be general, bank or dispute"):
        parse_line(json.dumps(line), "f:1", {})


def test_a_bank_line_is_resolved_against_the_loaded_bank(tmp_path: Path) -> None:
    bank = bank_questions(load_bank([shipped_bank_dir()]).bank)
    question, _, points = bank[("model-and-concept-drift", "fr")]
    assert question.endswith("?") and len(points) >= 3
    line = {
        "id": "b-1",
        "part": "bank",
        "lang": "fr",
        "question_id": "model-and-concept-drift",
        "answers": [
            {
                "id": "a1",
                "kind": "keywords",
                "text": "dérive, données",
                "labels": {k.id: "not-stated" for k in points},
                "score": 5,
                "verdict": "off-target",
            }
        ],
    }
    path = tmp_path / "bank.jsonl"
    unknown = line | {"question_id": "no-such-question"}
    path.write_text(json.dumps(line) + "\n\n" + json.dumps(unknown) + "\n", encoding="utf-8")

    items, problems = read_labelled(path, bank)

    assert [i.key_points for i in items] == [points]
    assert items[0].question == question
    assert line_of(items[0])["question_id"] == "model-and-concept-drift"
    assert problems == [f"{path}:3: field 'question_id': no bank question 'no-such-question'"]


def test_judge_counts_each_labels_precision_and_recall() -> None:
    item = _item("dispute", 4, DISPUTE)
    truth = {"k0": "stated", "k1": "stated", "k2": "contradicted", "k3": "not-stated"}
    answer = Answer("a1", DISPUTE, "t", truth, 40, "partial")
    item = replace(item, answers=(answer,))

    found = judge([item], [["stated", "contradicted", "contradicted", "stated"]], [40], ["partial"])

    assert found["accuracy"] == {"all": 0.5, "en": 0.5}
    assert found["pairs"] == {"all": 4, "en": 4}
    labels = found["labels"]
    assert isinstance(labels, dict)
    assert labels["stated"] == {"precision": 0.5, "recall": 0.5, "pairs": 2, "predicted": 2}
    assert labels["contradicted"] == {"precision": 0.5, "recall": 1.0, "pairs": 1, "predicted": 2}
    assert math.isnan(labels["not-stated"]["precision"]) and labels["not-stated"]["recall"] == 0
    assert (found["contradiction_precision"], found["contradiction_recall"]) == (0.5, 1.0)
