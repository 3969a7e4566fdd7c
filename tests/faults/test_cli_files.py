"""Faults around the files the command line reads and writes (issue 12: 1, 2, 8, 11, 12, 14, 15).

Each test uses real files in `tmp_path`: the session database, a hard link to it, a file where a
folder should be. The exports run in-process through `main()`; the commands whose output goes
to a closed pipe, and one batch grade, run as a separate process, as a user would run them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant.__main__ import EXIT_BROKEN_PIPE, main
from assistant.atomic_write import OutputPathError, atomic_write
from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.batch import EXIT_BAD_ROWS, EXIT_NO_ROWS, run_batch
from assistant.grading.cache import EmbeddingCache
from assistant.grading.pipeline import Grader
from assistant.knowledge.loader import Bank
from assistant.store import open_store
from tests.grading.conftest import DRIFT, GOOD_EN, VAGUE_EN

BANK = Bank(questions={DRIFT.id: DRIFT})


@pytest.fixture(autouse=True)
def restored_library_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    """`main()` silences the model libraries through the environment; undo it after each test."""
    for var in ("HF_HUB_DISABLE_PROGRESS_BARS", "TRANSFORMERS_VERBOSITY"):
        monkeypatch.setenv(var, os.environ.get(var, ""))
    for var in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):  # Rich's own overrides
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def grader(backend: SentenceTransformerBackend) -> Grader:
    """A grader on the real model (loaded once per run) with a memory-only cache."""
    return Grader(backend, EmbeddingCache(None), bank_version="test-bank@1")


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A session log holding one answered session."""
    path = tmp_path / "sessions.db"
    with open_store(path) as store:
        sid = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="b"
        )
        when = datetime(2026, 1, 2, tzinfo=UTC)
        store.record_turn(
            sid,
            order=1,
            question_id="q",
            question_text="Why?",
            reference_answer="Because.",
            category="fundamentals",
            answer="kept answer",
            shown_at=when,
            submitted_at=when,
        )
    return path


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`main(args)` in this process: (exit code, stdout, stderr)."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli(
    *args: str, stdout: int | None = subprocess.PIPE, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `mock-interview ARGS` as a separate process, from the venv the tests run in."""
    exe = shutil.which("mock-interview", path=str(Path(sys.executable).parent))
    assert exe, "the console script mock-interview is not installed"
    return subprocess.run(
        [exe, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        timeout=180,
        check=False,
    )


def export_args(database: Path, *more: str) -> list[str]:
    return ["export", "--last", "--format", "json", "--db", str(database), *more]


# --- 1. export -o never destroys the database or an existing file -------------------------


@pytest.mark.parametrize("spelling", ["same", "dotted", "hard link"])
@pytest.mark.parametrize("force", [False, True])
def test_export_refuses_to_write_onto_the_session_database(
    database: Path, capsys: pytest.CaptureFixture[str], spelling: str, force: bool
) -> None:
    before = database.read_bytes()
    target = {
        "same": database,
        "dotted": database.parent / "." / ".." / database.parent.name / database.name,
        "hard link": database.parent / "link.db",
    }[spelling]
    if spelling == "hard link":
        os.link(database, target)
    code, out, err = run_main(
        capsys, *export_args(database, "-o", str(target), *(["--force"] * force))
    )
    assert code == 1 and out == ""
    assert f"refusing to write over {target}: it is the session database" in err
    assert database.read_bytes() == before
    with open_store(database) as store:
        assert [t.answer for t in store.get_session(1).turns] == ["kept answer"]  # type: ignore[union-attr]


def test_export_replaces_an_existing_file_only_with_force(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "notes.json"
    target.write_text("my own notes", encoding="utf-8")
    target.chmod(0o640)
    code, _, err = run_main(capsys, *export_args(database, "-o", str(target)))
    assert code == 1
    assert f"{target} already exists; add --force to replace it" in err
    assert target.read_text(encoding="utf-8") == "my own notes"
    code, _, err = run_main(capsys, *export_args(database, "-o", str(target), "--force"))
    assert (code, err) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["sessions"][0]["turns"][0]["answer"] == (
        "kept answer"
    )
    assert target.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("previous report", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target, replace=True) as file:
        file.write("half of the new")
        raise RuntimeError("disk full, Ctrl+C, a crash")
    assert target.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_file_created_meanwhile_is_not_replaced_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    with pytest.raises(OutputPathError, match="already exists"), atomic_write(target) as file:
        file.write("new report")
        target.write_text("someone else's file", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "someone else's file"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


# --- 2. grade --output is never the input ---------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_grade_refuses_to_write_its_output_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], force: bool
) -> None:
    answers = tmp_path / "answers.jsonl"
    text = json.dumps({"question_id": "what-is-mlops", "answer": "MLOps is DevOps for ML."}) + "\n"
    answers.write_text(text, encoding="utf-8")
    other_spelling = tmp_path / "." / "answers.jsonl"
    args = ["grade", "--input", str(answers), "--output", str(other_spelling)]
    code, out, err = run_main(capsys, *args, *(["--force"] * force))
    assert code == 2 and out == ""
    assert "it is the answers file being graded (--input)" in err and str(other_spelling) in err
    assert answers.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("which", "spelling"),
    [
        ("database", "same"),
        ("database", "symlink"),
        ("database", "hard link"),
        ("-wal", "same"),
        ("journal", "same"),
        ("roles", "same"),
    ],
)
def test_grade_never_writes_over_a_file_of_the_session_log_even_with_force(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str, spelling: str
) -> None:
    """Issue 21.1: `grade --output <db> --force` replaced the whole database with JSONL."""
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "mock-interview"
    config.mkdir(parents=True, exist_ok=True)
    kept = {
        "database": database,
        "-wal": database.with_name(database.name + "-wal"),
        "journal": database.with_name(database.name + ".pending.jsonl"),
        "roles": config / "roles.toml",
    }[which]
    if not kept.exists():
        kept.write_text("kept bytes\n", encoding="utf-8")
    before = kept.read_bytes()
    target = {"same": kept, "symlink": tmp_path / "out.jsonl", "hard link": tmp_path / "l.db"}[
        spelling
    ]
    if spelling == "symlink":
        target.symlink_to(kept)
    elif spelling == "hard link":
        os.link(kept, target)
    answers = tmp_path / "answers.jsonl"
    answers.write_text(json.dumps({"question_id": "q", "answer": "a"}) + "\n", encoding="utf-8")
    args = ["grade", "--db", str(database), "--input", str(answers), "--output", str(target)]
    code, out, err = run_main(capsys, *args, "--force")
    assert code == 2 and out == ""
    assert f"refusing to write over {target}: it is" in err
    assert kept.read_bytes() == before
    with open_store(database) as store:
        assert [t.answer for t in store.get_session(1).turns] == ["kept answer"]  # type: ignore[union-attr]


# --- 14. a folder where a file is expected, a file where a folder is ----------------------


def test_export_output_paths_that_cannot_be_files_get_one_clear_message(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x", encoding="utf-8")
    cases = {
        tmp_path / "plain.txt" / "r.json": f"{a_file} is a file, not a folder",
        tmp_path / "missing" / "r.json": f"the folder {tmp_path / 'missing'} does not exist; "
        f"create it first",
        tmp_path: f"{tmp_path} is a folder; give the path of a file",
    }
    for target, expected in cases.items():
        code, out, err = run_main(capsys, *export_args(database, "-o", str(target), "--force"))
        assert code == 1 and out == "", target
        assert err.count("\n") == 1 and err.startswith("error: ") and expected in err, err
        assert "Traceback" not in err
    assert not (tmp_path / "missing").exists() and a_file.read_text(encoding="utf-8") == "x"


def test_grade_input_and_output_paths_that_cannot_be_used_get_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.jsonl"
    answers.write_text('{"question_id": "what-is-mlops", "answer": "x"}\n', encoding="utf-8")
    cases = {
        ("--input", str(tmp_path)): f"{tmp_path} is a folder; give the answers file",
        ("--input", str(tmp_path / "nope.jsonl")): f"{tmp_path / 'nope.jsonl'}: no such file",
        ("--output", str(tmp_path)): f"{tmp_path} is a folder; give the path of a file",
        ("--output", str(answers / "g.jsonl")): f"{answers} is a file, not a folder",
    }
    for (flag, value), expected in cases.items():
        args = ["--input", str(answers), "--output", str(tmp_path / "g.jsonl")]
        args[args.index(flag) + 1] = value
        code, out, err = run_main(capsys, "grade", *args)
        assert code == 2 and out == "", (flag, value)
        assert err.count("\n") == 1 and expected in err, err


# --- 8 and 12. non-UTF-8 bytes and empty batches --------------------------------------------


def test_non_utf8_bytes_spoil_only_their_rows_and_are_located(
    grader: Grader, tmp_path: Path
) -> None:
    jsonl = tmp_path / "answers.jsonl"
    good = json.dumps({"id": "a", "question_id": DRIFT.id, "answer": GOOD_EN})
    sep = "\u2028"  # a JSON string may hold it raw: it must not split the row
    vague = json.dumps(
        {"id": "c", "question_id": DRIFT.id, "answer": VAGUE_EN + sep}, ensure_ascii=False
    )
    before_bad_byte = b'{"id": "b", "question_id": "model-drift", "answer": "caf'
    jsonl.write_bytes(
        good.encode() + b"\n" + before_bad_byte + b'\xe9"}\n' + vague.encode() + b"\n"
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_batch(jsonl, out, grader, BANK, err) == EXIT_BAD_ROWS
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["a", "c"]
    assert err.getvalue() == (
        f"{jsonl}:2:{len(before_bad_byte) + 1}: "
        "not UTF-8 (byte 0xE9); save the file as UTF-8 or fix this row\n"
    )

    csv_file = tmp_path / "class.csv"
    csv_file.write_bytes(
        b"id,question_id,answer\n"
        + f'1,{DRIFT.id},"{GOOD_EN}"\n'.encode()
        + f'2,{DRIFT.id},"first line\nsecond \xff line"\n'.encode("latin-1")
        + f"3,{DRIFT.id},na\xefve\n".encode("latin-1")
        + f'4,{DRIFT.id},"{VAGUE_EN}"\n'.encode()
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_batch(csv_file, out, grader, BANK, err) == EXIT_BAD_ROWS
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["1", "4"]
    assert err.getvalue().splitlines() == [
        f"{csv_file}:4:8: not UTF-8 (byte 0xFF); save the file as UTF-8 or fix this row",
        f"{csv_file}:5:{len('3,' + DRIFT.id + ',na') + 1}: not UTF-8 (byte 0xEF); "
        "save the file as UTF-8 or fix this row",
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.jsonl", b""), ("blank.jsonl", b"\n  \n"), ("header.csv", b"id,question_id,answer\n")],
)
def test_an_empty_batch_says_nothing_was_found_and_fails(
    grader: Grader, tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    assert run_batch(path, out, grader, BANK, err) == EXIT_NO_ROWS
    assert out.getvalue() == ""
    assert err.getvalue() == (
        f"{path}: no rows found, nothing to grade; each row needs an 'answer' "
        "(see `mock-interview grade --help`)\n"
    )


# --- 15. progress bars: ours on a terminal only, a library's never ------------------------


def test_grade_progress_bar_follows_rich_terminal_detection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "answers.jsonl"
    rows = [
        {"id": n, "question_id": "what-is-mlops", "answer": "MLOps is DevOps for ML."}
        for n in range(3)
    ]
    answers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    args = ["grade", "--input", str(answers), "--output", str(tmp_path / "g.jsonl"), "--force"]
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich: treat the stream as a terminal
    code, _, err = run_main(capsys, *args)
    assert code == 0
    assert "grading" in err and "3/3" in err
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    code, _, err = run_main(capsys, *args)
    assert code == 0
    assert "grading" not in err and "3/3" not in err


def test_batch_grade_through_a_pipe_keeps_stderr_to_messages(tmp_path: Path) -> None:
    """Items 2, 8 and 15 as a user meets them: one process, output replaced whole, no bar."""
    answers = tmp_path / "class.csv"
    answers.write_bytes(
        b"id,question_id,answer\n"
        b's1,model-and-concept-drift,"Model drift is when production data moves away from the '
        b'training data; concept drift is when the relation between inputs and target changes."\n'
        b"s2,model-and-concept-drift,d\xe9rive\n"  # the byte is in column 29
    )
    output = tmp_path / "grades.jsonl"
    output.write_text("last week's grades\n", encoding="utf-8")
    result = cli("grade", "--input", str(answers), "--output", str(output), "--force")
    assert result.returncode == 1
    assert result.stderr == (
        f"{answers}:3:29: not UTF-8 (byte 0xE9); save the file as UTF-8 or fix this row\n"
    )
    assert [json.loads(line)["id"] for line in output.read_text(encoding="utf-8").splitlines()] == [
        "s1"
    ]


# --- 11. a closed pipe ends the command quietly ---------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("kb", "list"), ("kb", "list", "--json"), ("where",), ("export", "--last")],
    ids=" ".join,
)
def test_writing_to_a_closed_pipe_exits_quietly(database: Path, args: tuple[str, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before a byte is written, as after `| head -0`
    try:
        result = cli("--db", str(database), *args, stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (EXIT_BROKEN_PIPE, "")


# --- issue 21.7: a file with no gradable row is refused before the model, and nothing is written


@pytest.mark.parametrize(
    ("name", "content", "code", "said"),
    [
        (
            "a.csv",
            "question_id,text\nwhat-is-mlops,hello\n",
            2,
            "a.csv:1: the header has no 'answer' column (it has: question_id, text)",
        ),
        ("b.csv", "answer,notes\nhello,x\n", 2, "needs a 'question_id' column"),
        ("c.jsonl", '{"question_id": "what-is-mlops", "text": "x"}\n', 1, "no row can be graded"),
    ],
)
def test_a_file_with_no_gradable_row_writes_nothing_and_says_why(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
    code: int,
    said: str,
) -> None:
    """A missing column was reported after the model loaded (15 s), leaving a 0-byte output."""
    answers = tmp_path / name
    answers.write_text(content, encoding="utf-8")
    output = tmp_path / "grades.jsonl"
    got, out, err = run_main(capsys, "grade", "--input", str(answers), "--output", str(output))
    assert got == code and out == ""
    assert said in err
    assert not output.exists()
