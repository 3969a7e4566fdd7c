"""Question-bank faults (issue 12, items 7, 8, 9, 12): each gets one clear, located message.

Each test runs the command line in-process, as `mock-interview ...` would, on packs written in
`tmp_path`, with the user directories isolated by the autouse fixture of `tests/conftest.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.__main__ import main
from assistant.knowledge.loader import load_bank
from assistant.settings import shipped_bank_dir
from tests.conftest import REPO

VALID = REPO / "tests" / "knowledge" / "valid_pack.yaml"
SHIPPED_PACK = shipped_bank_dir() / "mlops" / "01-fundamentals.yaml"


def _line_of(path: Path, text: str) -> int:
    """1-based number of the first line of `path` containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def _pack(path: Path, question_id: str = "valid-one") -> Path:
    """A valid pack at `path` whose one question has `question_id`."""
    path.write_text(VALID.read_text().replace("id: valid-one", f"id: {question_id}"))
    return path


def test_a_non_utf8_byte_is_located_by_line_and_column_and_only_that_pack_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    _pack(packs / "good.yaml", "good-one")
    bad = packs / "latin1.yaml"
    raw = _pack(tmp_path / "src.yaml", "bad-one").read_bytes()
    # "Cassé" keeps its UTF-8 é (two bytes) before the Latin-1 é (one byte, 0xe9): the column
    # counts characters, so it differs from the offset in bytes within the line.
    raw = raw.replace(b"fr: Cass\xc3\xa9}", b"fr: Cass\xc3\xa9 caf\xe9}")
    bad.write_bytes(raw)
    line = raw.split(b"\n").index(next(x for x in raw.split(b"\n") if b"caf\xe9" in x)) + 1
    column = len("  title: {en: Broken, fr: Cassé caf") + 1

    assert main(["kb", "check", str(packs)]) == 1
    out, err = capsys.readouterr()
    assert f"error: {bad.resolve()}:{line}:{column}: not UTF-8 text: byte 0xe9" in err
    assert "position" not in err  # no byte offset
    assert f"skipped pack: {bad.resolve()}" in err
    assert out.startswith("1 problem(s): 1 pack(s), 1 question(s)")
    report = load_bank([packs])
    assert "good-one" in report.bank.questions
    assert report.skipped == (bad.resolve(),)


def test_kb_check_path_detects_an_id_that_collides_with_the_shipped_bank(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = _pack(tmp_path / "mine.yaml", "what-is-mlops")
    # A broken pack among the configured ones is not the checked pack's problem.
    configured = tmp_path / "configured"
    configured.mkdir()
    (configured / "broken.yaml").write_text("pack: [not, a, header]\n")

    assert main(["kb", "check", "--kb", str(configured), str(mine)]) == 1
    out, err = capsys.readouterr()
    assert "broken.yaml" not in err
    shipped_line = _line_of(SHIPPED_PACK, "id: what-is-mlops")
    mine_line = _line_of(mine, "id: what-is-mlops")
    assert (
        f"error: {mine.resolve()}:{mine_line}: question 'what-is-mlops': field 'id': "
        f"duplicate question id: already defined in {SHIPPED_PACK.resolve()}:{shipped_line}"
    ) in err
    assert out.startswith("1 problem(s): 0 pack(s), 0 question(s)")


def test_kb_check_names_both_files_and_lines_of_an_id_shared_by_two_packs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _pack(tmp_path / "a.yaml", "shared-id")
    second = tmp_path / "b.yaml"
    # The second pack's question stands lower in its file, so the two lines differ.
    second.write_text("# a second pack\n\n" + first.read_text())

    assert main(["kb", "check", str(first), str(second)]) == 1
    _, err = capsys.readouterr()
    assert (
        f"{second.resolve()}:{_line_of(second, 'id: shared-id')}: question 'shared-id'"
        f": field 'id': duplicate question id: already defined in "
        f"{first.resolve()}:{_line_of(first, 'id: shared-id')}"
    ) in err


def test_kb_check_on_an_empty_directory_says_nothing_was_found_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("not a pack")

    assert main(["kb", "check", str(empty)]) == 1
    out, err = capsys.readouterr()
    assert f"{empty}: no question pack (*.yaml, *.yml) in this directory" in err
    assert f"nothing checked: no question pack (*.yaml, *.yml) in {empty}" in out


def test_kb_check_with_an_empty_kb_directory_names_it_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    assert main(["kb", "check", "--kb", str(empty)]) == 1
    out, err = capsys.readouterr()
    assert f"error: {empty}: no question pack (*.yaml, *.yml) in this directory" in err
    assert out.startswith("1 problem(s): 6 pack(s), 36 question(s)")


def test_a_second_kb_list_on_an_unchanged_pack_does_not_parse_it_again(
    tmp_path: Path, isolated_user_dirs: Path
) -> None:
    """Once the cache folder exists (the app or `kb check` made it), `kb list` keeps parsed
    packs there; a read-only command never creates the folder itself (see test_readonly)."""
    (isolated_user_dirs / "cache" / "mock-interview").mkdir(parents=True)
    packs = tmp_path / "packs"
    packs.mkdir()
    _pack(packs / "p.yaml", "listed-one")
    # A fresh process each time, as a user runs it; it reports whether YAML was parsed.
    script = (
        "import sys\n"
        "from assistant.__main__ import main\n"
        f"code = main(['kb', 'list', '--kb', {str(packs)!r}])\n"
        "print('parsed YAML:', 'yaml' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )

    def kb_list() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            check=True,
        )

    first, second = kb_list(), kb_list()
    assert "parsed YAML: True" in first.stderr
    assert "parsed YAML: False" in second.stderr
    assert second.stdout == first.stdout
    assert "listed-one" in second.stdout
    assert len(second.stdout.splitlines()) == 37
