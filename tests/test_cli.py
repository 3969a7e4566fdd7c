"""The command line, run through the installed console script as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

BROKEN = REPO / "tests" / "knowledge" / "broken"
VALID = REPO / "tests" / "knowledge" / "valid_pack.yaml"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mock-interview ARGS` from the venv the tests run in."""
    exe = shutil.which("mock-interview", path=str(Path(sys.executable).parent))
    assert exe, "the console script mock-interview is not installed"
    return subprocess.run(
        [exe, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_kb_check_clean_bank_prints_summary_and_exits_0() -> None:
    result = run_cli("kb", "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 6 pack(s), 36 question(s)")
    assert "fundamentals 8" in result.stdout
    assert result.stderr == ""


def test_kb_check_reports_every_problem_and_exits_1() -> None:
    result = run_cli("kb", "check", str(BROKEN))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 8
    assert f"{BROKEN / 'unknown_key.yaml'}:12: question 'typo-q': field 'tagz'" in result.stderr
    assert "8 problem(s)" in result.stdout


def test_kb_list_json_gives_full_records_in_both_languages() -> None:
    result = run_cli("kb", "list", "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 36
    first = records[0]
    assert {"id", "category", "difficulty", "tags", "question", "answer", "key_points"} <= set(
        first
    )
    assert set(first["question"]) == {"en", "fr"}
    assert all({"en", "fr"} <= set(kp) for kp in first["key_points"])


def test_kb_list_filters_by_category_and_language() -> None:
    result = run_cli("kb", "list", "--category", "career", "--lang", "fr")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert all(" career " in line for line in lines)
    assert any("?" in line and "entretien" in line for line in lines)


def test_extra_pack_dir_from_flag_and_env_is_loaded_beside_the_shipped_bank(
    tmp_path: Path,
) -> None:
    extra = tmp_path / "packs"
    extra.mkdir()
    shutil.copy(VALID, extra / "mine.yaml")
    by_flag = run_cli("kb", "list", "--kb", str(extra))
    by_env = run_cli("kb", "list", env={"MOCK_INTERVIEW_KB": str(extra)})
    for result in (by_flag, by_env):
        assert len(result.stdout.splitlines()) == 37
        assert "valid-one" in result.stdout


def test_broken_user_pack_is_named_and_does_not_hide_the_bank(tmp_path: Path) -> None:
    extra = tmp_path / "packs"
    extra.mkdir()
    shutil.copy(BROKEN / "syntax_error.yaml", extra)
    result = run_cli("kb", "list", "--kb", str(extra))
    assert len(result.stdout.splitlines()) == 36
    assert f"skipped pack: {extra / 'syntax_error.yaml'}" in result.stderr


def test_where_prints_every_location(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run_cli("where", "--db", str(db))
    assert result.returncode == 0
    assert f"database:      {db}" in result.stdout
    for label in ("cache:", "config:", "shipped bank:", "extra packs:"):
        assert label in result.stdout
    assert not db.exists()
