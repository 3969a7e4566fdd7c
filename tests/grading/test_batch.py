"""Batch grading through run_batch: JSONL and CSV, bank ids and inline references, bad rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

from assistant.grading.batch import EXIT_BAD_ROWS, EXIT_OK, EXIT_UNREADABLE, run_batch
from assistant.grading.pipeline import Grader
from assistant.knowledge.loader import Bank
from tests.grading.conftest import DRIFT, GOOD_EN, GOOD_FR, VAGUE_EN

BANK = Bank(questions={DRIFT.id: DRIFT})


def run(path: Path, grader: Grader, bank: Bank | None = BANK) -> tuple[int, list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_batch(path, out, grader, bank, err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_jsonl_good_and_bad_rows(grader: Grader, tmp_path: Path) -> None:
    rows = [
        {"id": "a", "question_id": "model-drift", "answer": GOOD_EN},
        {"id": "b", "question_id": "model-drift", "answer": GOOD_FR},
        "{not json",
        {"id": "d", "question_id": "model-drift"},
        {"id": "e", "question_id": "no-such-question", "answer": "x"},
        {
            "id": "f",
            "question": DRIFT.question.en,
            "reference_answer": DRIFT.answer.en,
            "key_points": [kp.en for kp in DRIFT.key_points],
            "answer": VAGUE_EN,
        },
        {"id": "g", "question": "What is drift?", "answer": "Data changes over time."},
        [1, 2],
        {"id": 8, "question_id": "model-drift", "answer": ""},
    ]
    path = tmp_path / "answers.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n\n",
        encoding="utf-8",
    )
    code, graded, err = run(path, grader)
    assert code == EXIT_BAD_ROWS
    assert [g["id"] for g in graded] == ["a", "b", "f", 8]
    assert [g["line"] for g in graded] == [1, 2, 6, 9]
    first = graded[0]
    assert {"score", "verdict", "key_points", "notes", "model_id", "bank_version"} <= set(first)
    assert first["verdict"] in ("strong", "adequate")
    assert [k["id"] for k in first["key_points"]] == [kp.id for kp in DRIFT.key_points]
    assert graded[1]["reference_lang"] == "fr"
    assert [k["id"] for k in graded[2]["key_points"]] == ["kp-1", "kp-2", "kp-3"]
    assert graded[3]["verdict"] == "no-answer" and graded[3]["notes"][0]["code"] == "empty"
    lines = err.splitlines()
    assert [line.split(":")[1] for line in lines] == ["3", "4", "5", "7", "8"]
    assert "not valid JSON" in lines[0]
    assert "missing 'answer'" in lines[1]
    assert "unknown question_id 'no-such-question'" in lines[2]
    assert "'reference_answer'" in lines[3]
    assert "expected a JSON object" in lines[4]


def test_csv_with_semicolon_key_points(grader: Grader, tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    key_points = ";".join(kp.en for kp in DRIFT.key_points)
    path.write_text(
        "id,question,reference_answer,key_points,answer\n"
        f's1,"{DRIFT.question.en}","{DRIFT.answer.en}","{key_points}","{GOOD_EN}"\n'
        f's2,"{DRIFT.question.en}","{DRIFT.answer.en}","{key_points}","{VAGUE_EN}"\n',
        encoding="utf-8",
    )
    code, graded, err = run(path, grader, bank=None)
    assert (code, err) == (EXIT_OK, "")
    assert [g["id"] for g in graded] == ["s1", "s2"]
    assert len(graded[0]["key_points"]) == 3
    assert graded[0]["score"] > graded[1]["score"]


def test_csv_bad_rows_are_reported_by_line(grader: Grader, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"  # no telling extension: the format is sniffed
    path.write_text(
        "id,question_id,answer\n"
        f'1,model-drift,"{GOOD_EN}"\n'
        "2,,no question at all\n"
        '3,model-drift,"multi\nline answer about data drift"\n'
        "4,model-drift,too,many,fields\n",
        encoding="utf-8",
    )
    code, graded, err = run(path, grader)
    assert code == EXIT_BAD_ROWS
    assert [g["id"] for g in graded] == ["1", "3"]
    assert [line.split(":")[1] for line in err.splitlines()] == ["3", "6"]


def test_question_id_without_a_bank(grader: Grader, tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"question_id": "model-drift", "answer": GOOD_EN}) + "\n")
    code, graded, err = run(path, grader, bank=None)
    assert (code, graded) == (EXIT_BAD_ROWS, [])
    assert "no question bank" in err


def test_unreadable_input(grader: Grader, tmp_path: Path) -> None:
    code, graded, err = run(tmp_path / "missing.jsonl", grader)
    assert (code, graded) == (EXIT_UNREADABLE, [])
    assert "missing.jsonl" in err
