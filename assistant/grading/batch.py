"""Batch grading: `mock-interview grade --input FILE [--output FILE]`.

Reads JSONL or CSV rows, each with an `answer` and either a bank `question_id` or a `question`
plus `reference_answer` (and optional `key_points`: a list in JSONL, `;`-separated in CSV), and
any `id`. Writes one JSONL line per graded row. A bad row (a byte that is not UTF-8 included) is
reported on `err` with its line, and column where known, and skipped; the others are still
graded, in chunks so a whole class's answers are encoded in a few batched passes. A file that
cannot be read, or holds no row, is one message and a non-zero exit code.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
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
EXIT_NO_ROWS = 3
"""The input file held no row: nothing was graded."""

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
CSV_SUFFIXES = (".csv", ".tsv")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


class BadRow(ValueError):
    """A row that cannot be graded; the message says why, `column` where on its line."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


class BatchInputError(Exception):
    """The input file as a whole cannot be graded; the message names it and says what to do."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class BatchRow:
    """One gradable row: where it was, its id, and what to grade it against."""

    line: int
    row_id: Any
    target: GradingTarget
    answer: str


@dataclass(frozen=True)
class BatchInput:
    """The gradable rows of an input file, and how many others were reported and skipped."""

    rows: list[BatchRow]
    skipped: int


@dataclass(frozen=True)
class BadByte:
    """The first byte of a line that is not UTF-8: its column (in characters) and value."""

    column: int
    value: int

    def reason(self) -> str:
        """What is wrong with the row and what to do."""
        return f"not UTF-8 (byte 0x{self.value:02X}); save the file as UTF-8 or fix this row"


def run_batch(
    input_path: Path,
    output: TextIO,
    grader: Grader,
    bank: Bank | None,
    err: TextIO,
    *,
    show_progress: bool = False,
) -> int:
    """Grade every row of `input_path` to `output` as JSONL; returns the exit code."""
    try:
        batch = read_batch(input_path, bank, err)
    except BatchInputError as exc:
        err.write(f"{exc}\n")
        return exc.exit_code
    grade_batch(batch.rows, grader, output, err, show_progress=show_progress)
    return EXIT_BAD_ROWS if batch.skipped else EXIT_OK


def read_batch(input_path: Path, bank: Bank | None, err: TextIO) -> BatchInput:
    """Read and check every row; each bad one is reported on `err` (file:line[:column]: why).

    Raises BatchInputError when the file cannot be read at all or holds no row.
    """
    text, bad_bytes = _read_text(input_path)
    rows: list[BatchRow] = []
    skipped = 0
    for line, raw in _rows(input_path, text, bad_bytes):
        try:
            if isinstance(raw, BadRow):
                raise raw
            rows.append(_gradable(line, raw, bank))
        except BadRow as exc:
            skipped += 1
            where = f"{line}:{exc.column}" if exc.column is not None else f"{line}"
            err.write(f"{input_path}:{where}: {exc}\n")
    if not rows and not skipped:
        raise BatchInputError(
            f"{input_path}: no rows found, nothing to grade; each row needs an 'answer' "
            "(see `mock-interview grade --help`)",
            EXIT_NO_ROWS,
        )
    return BatchInput(rows, skipped)


def grade_batch(
    rows: Sequence[BatchRow],
    grader: Grader,
    output: TextIO,
    err: TextIO,
    *,
    show_progress: bool = False,
) -> None:
    """Grade `rows` in chunks, one JSONL line each; a progress bar on `err` if `show_progress`.

    The caller decides whether `err` is a terminal (the CLI asks Rich, as Rich itself would).
    """
    chunks = [rows[i : i + CHUNK_ROWS] for i in range(0, len(rows), CHUNK_ROWS)]
    if not show_progress:
        for chunk in chunks:
            _grade_chunk(chunk, grader, output)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=err, force_terminal=True),
        transient=True,
    ) as progress:
        task = progress.add_task("grading", total=len(rows))
        for chunk in chunks:
            _grade_chunk(chunk, grader, output)
            progress.advance(task, len(chunk))


def _grade_chunk(rows: Sequence[BatchRow], grader: Grader, output: TextIO) -> None:
    grades = grader.grade_many([(row.target, row.answer) for row in rows])
    for row, grade in zip(rows, grades, strict=True):
        record = {"id": row.row_id, "line": row.line, **grade.to_dict()}
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
    output.flush()


def _read_text(path: Path) -> tuple[str, dict[int, BadByte]]:
    """The file's text, and the first byte that is not UTF-8 on each line that has one.

    Those bytes read as U+FFFD, so the good rows around them still parse; the rows holding
    them are reported, not graded. Raises BatchInputError when the file cannot be read.
    """
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise BatchInputError(
            f"{path} is a folder; give the answers file (JSONL or CSV) inside it"
        ) from None
    except FileNotFoundError:
        raise BatchInputError(f"{path}: no such file; check the path given to --input") from None
    except OSError as exc:
        raise BatchInputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if data.startswith(UTF16_BOMS):
        raise BatchInputError(f"{path}: the file is UTF-16; save it as UTF-8 and run again")
    data = data.removeprefix(UTF8_BOM)
    try:
        return data.decode("utf-8"), {}
    except UnicodeDecodeError:
        pass
    bad: dict[int, BadByte] = {}
    lines: list[str] = []
    # Split on \n only: it never occurs inside a UTF-8 sequence, so each line decodes alone.
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
            bad[number] = BadByte(column, raw[exc.start])
            lines.append(raw.decode("utf-8", "replace"))
    return "\n".join(lines), bad


def _rows(
    path: Path, text: str, bad_bytes: dict[int, BadByte]
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    """(line number, row or the reason it is unreadable) for each record of the file."""
    if _is_jsonl(path, text):
        yield from _jsonl_rows(text, bad_bytes)
    else:
        yield from _csv_rows(path, text, bad_bytes)


def _is_jsonl(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return True
    if suffix in CSV_SUFFIXES:
        return False
    first = text.lstrip()[:1]
    return first == "{"


def _jsonl_rows(
    text: str, bad_bytes: dict[int, BadByte]
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    # Lines end at \n only, as JSONL says: U+2028 and friends may sit unescaped in a JSON string.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if number in bad_bytes:
            bad = bad_bytes[number]
            yield number, BadRow(bad.reason(), bad.column)
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


def _csv_rows(
    path: Path, text: str, bad_bytes: dict[int, BadByte]
) -> Iterator[tuple[int, dict[str, Any] | BadRow]]:
    sample = text[:4096]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if path.suffix.lower() not in CSV_SUFFIXES:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_width = len(reader.fieldnames or [])
    columns = {name.strip() for name in reader.fieldnames or []}
    if reader.fieldnames and "answer" not in columns:
        raise BatchInputError(
            f"{path}:1: the header has no 'answer' column (it has: {', '.join(sorted(columns))}); "
            "each row needs an 'answer', and 'question_id' or 'question' and 'reference_answer'",
            EXIT_UNREADABLE,
        )
    if (
        reader.fieldnames
        and "question_id" not in columns
        and not {
            "question",
            "reference_answer",
        }
        <= columns
    ):
        raise BatchInputError(
            f"{path}:1: the header needs a 'question_id' column, or both 'question' and "
            f"'reference_answer' (it has: {', '.join(sorted(columns))})",
            EXIT_UNREADABLE,
        )
    for number in range(1, reader.line_num + 1):
        if number in bad_bytes:
            bad = bad_bytes[number]
            raise BatchInputError(
                f"{path}:{number}:{bad.column}: the CSV header is not UTF-8 "
                f"(byte 0x{bad.value:02X}); save the file as UTF-8 and run again"
            )
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, BadRow(f"unreadable CSV ({exc})")
            return
        first_bad = next((n for n in range(start, reader.line_num + 1) if n in bad_bytes), None)
        if first_bad is not None:
            # Point at the byte itself, which may be on a later line of a multi-line row.
            bad = bad_bytes[first_bad]
            yield first_bad, BadRow(bad.reason(), bad.column)
            continue
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
