"""Batch grading: `mock-interview grade --input FILE [--output FILE]`.

Reads JSONL or CSV rows, each with an `answer` and either a bank `question_id` or a `question`
plus `reference_answer` (and optional `key_points`: a list in JSONL, `;`-separated in CSV), and
any `id`. Writes one JSONL line per graded row. A bad row is reported on `err` with its line
number and skipped; the others are still graded, in chunks so a whole class's answers are
encoded in a few batched passes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from assistant.grading.language import detect_language
from assistant.grading.pipeline import Grader
from assistant.grading.target import GradingTarget
from assistant.knowledge.models import Lang

if TYPE_CHECKING:
    from assistant.knowledge.loader import Bank

CHUNK_ROWS = 256
"""Rows encoded together: big enough to batch well, small enough to stream results."""

EXIT_OK = 0
"""Every row was graded."""
EXIT_BAD_ROWS = 1
"""At least one row was reported and skipped."""
EXIT_UNREADABLE = 2
"""The input file could not be read at all."""

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")


class BadRow(ValueError):
    """A row that cannot be graded; the message says why."""


@dataclass(frozen=True)
class BatchRow:
    """One gradable row: where it was, its id, and what to grade it against."""

    line: int
    row_id: Any
    target: GradingTarget
    answer: str


def run_batch(
    input_path: Path, output: TextIO, grader: Grader, bank: Bank | None, err: TextIO
) -> int:
    """Grade every row of `input_path` to `output` as JSONL; returns the exit code."""
    try:
        text = input_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        err.write(f"{input_path}: cannot read: {exc}\n")
        return EXIT_UNREADABLE
    bad = 0
    pending: list[BatchRow] = []
    for line, raw in _rows(input_path, text):
        try:
            if isinstance(raw, BadRow):
                raise raw
            pending.append(_gradable(line, raw, bank))
        except BadRow as exc:
            bad += 1
            err.write(f"{input_path}:{line}: {exc}\n")
            continue
        if len(pending) >= CHUNK_ROWS:
            _grade_chunk(pending, grader, output)
            pending = []
    if pending:
        _grade_chunk(pending, grader, output)
    return EXIT_BAD_ROWS if bad else EXIT_OK


def _grade_chunk(rows: list[BatchRow], grader: Grader, output: TextIO) -> None:
    grades = grader.grade_many([(row.target, row.answer) for row in rows])
    for row, grade in zip(rows, grades, strict=True):
        record = {"id": row.row_id, "line": row.line, **grade.to_dict()}
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
    output.flush()


def _rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    """(line number, row or the reason it is unreadable) for each record of the file."""
    if _is_jsonl(path, text):
        yield from _jsonl_rows(text)
    else:
        yield from _csv_rows(path, text)


def _is_jsonl(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return True
    if suffix in CSV_SUFFIXES:
        return False
    first = text.lstrip()[:1]
    return first == "{"


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, BadRow(f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(value, dict):
            yield number, BadRow(f"expected a JSON object, got {type(value).__name__}")
            continue
        yield number, value


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    sample = text[:4096]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if path.suffix.lower() not in CSV_SUFFIXES:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_width = len(reader.fieldnames or [])
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, BadRow(f"unreadable CSV ({exc})")
            return
        if None in row:
            yield start, BadRow(f"more fields than the {header_width} columns of the header")
            continue
        if not any((value or "").strip() for value in row.values()):
            continue
        yield start, dict(row)


def _text_field(raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRow(f"'{name}' must be text, got {type(value).__name__}")
    return value


def _key_points(raw: dict[str, Any]) -> list[tuple[str, str]]:
    value = raw.get("key_points")
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items: list[Any] = [part.strip() for part in value.split(";")]
    elif isinstance(value, list):
        items = value
    else:
        raise BadRow("'key_points' must be a list (JSONL) or ';'-separated text (CSV)")
    points: list[tuple[str, str]] = []
    for i, item in enumerate(items, start=1):
        if isinstance(item, str):
            if item.strip():
                points.append((f"kp-{i}", item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            points.append((str(item.get("id") or f"kp-{i}"), item["text"].strip()))
        else:
            raise BadRow(f"key point {i} must be text or an object with 'text'")
    return points


def _gradable(line: int, raw: dict[str, Any], bank: Bank | None) -> BatchRow:
    """Check one row and say what it is graded against; raises BadRow with the reason."""
    answer = _text_field(raw, "answer")
    if answer is None:
        raise BadRow("missing 'answer'")
    row_id = raw.get("id")
    asked = _text_field(raw, "lang")
    if asked is not None and asked not in ("en", "fr"):
        raise BadRow(f"'lang' must be 'en' or 'fr', got {asked!r}")
    question_id = _text_field(raw, "question_id")
    if question_id and question_id.strip():
        if bank is None:
            raise BadRow("'question_id' given but no question bank is loaded")
        question = bank.get(question_id.strip())
        if question is None:
            raise BadRow(f"unknown question_id {question_id.strip()!r}")
        spoken: Lang = detect_language(answer) or ("fr" if asked == "fr" else "en")
        return BatchRow(line, row_id, GradingTarget.from_question(question, spoken), answer)
    question_text = _text_field(raw, "question")
    reference = _text_field(raw, "reference_answer")
    if not (question_text or "").strip() or not (reference or "").strip():
        raise BadRow("needs 'question_id', or both 'question' and 'reference_answer'")
    assert question_text is not None and reference is not None
    lang = asked or detect_language(reference) or "en"
    target = GradingTarget(question_text.strip(), reference.strip(), _key_points(raw), lang)
    return BatchRow(line, row_id, target, answer)
