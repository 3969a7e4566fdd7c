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


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `mock-interview ARGS` from the venv the tests run in."""
    exe = shutil.which("mock-interview", path=str(Path(sys.executable).parent))
    assert exe, "the console script mock-interview is not installed"
    return subprocess.run(
        [exe, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
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
    assert len(errors) == 9
    assert f"{BROKEN / 'unknown_key.yaml'}:12: question 'typo-q': field 'tagz'" in result.stderr
    assert "9 problem(s)" in result.stdout


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


def test_kb_list_unknown_category_is_an_error_naming_the_valid_ones() -> None:
    result = run_cli("kb", "list", "--category", "clod")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: unknown category 'clod' (did you mean 'cloud'?); valid category names: "
        "behavioural, career, cloud, fundamentals, intermediate, technical"
    ]


def test_unknown_category_or_subject_stops_before_the_app_opens() -> None:
    """The app would open a blank interview; the error comes first, with no terminal needed
    (a short timeout: today's code opens the app and waits for keys)."""
    result = run_cli("--category", "nonexistent", "--subject", "mlop", timeout=30)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert errors[0].startswith("error: unknown category 'nonexistent'; valid category names: ")
    assert "did you mean" not in errors[0]
    assert errors[1] == (
        "error: unknown subject 'mlop' (did you mean 'mlops'?); valid subject names: mlops"
    )


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


def test_grade_command_grades_good_rows_and_names_bad_ones(tmp_path: Path) -> None:
    answers = tmp_path / "class.csv"
    answers.write_text(
        "id,question_id,answer\n"
        "s1,model-and-concept-drift,"
        '"Model drift is when production data moves away from the training data, so '
        "performance drops; concept drift is when the relation between inputs and target "
        'changes."\n'
        "s2,no-such-question,Something.\n"
        "s3,model-and-concept-drift,\n",
        encoding="utf-8",
    )
    out = tmp_path / "grades.jsonl"
    result = run_cli("grade", "--input", str(answers), "--output", str(out))
    assert result.returncode == 1  # one bad row
    assert ":3:" in result.stderr and "no-such-question" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["s1", "s3"]
    assert rows[0]["score"] > rows[1]["score"] == 0
    assert rows[0]["model_id"] == "all-MiniLM-L6-v2"
    assert rows[0]["key_points"][0]["id"] == "model-drift-definition"


def test_grade_command_with_a_missing_model_says_what_was_tried(tmp_path: Path) -> None:
    answers = tmp_path / "a.jsonl"
    answers.write_text('{"question_id": "what-is-mlops", "answer": "x"}\n', encoding="utf-8")
    result = run_cli("grade", "--input", str(answers), "--model", str(tmp_path / "no-model"))
    assert result.returncode == 1
    assert "error:" in result.stderr and str(tmp_path / "no-model") in result.stderr
    assert "Traceback" not in result.stderr


def one_answer_log(db: Path, answer: str) -> Path:
    """A session log at `db` holding one session with one answer."""
    from datetime import UTC, datetime

    from assistant.store import open_store

    with open_store(db) as store:
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
            answer=answer,
            shown_at=when,
            submitted_at=when,
        )
    return db


def test_export_last_session_as_json_through_the_console_script(tmp_path: Path) -> None:
    db = one_answer_log(tmp_path / "s.db", "<b>[bold]as typed")
    result = run_cli("export", "--last", "--format", "json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "<b>[bold]as typed" in json.loads(result.stdout).__repr__()
    missing = run_cli("export", "99", "--db", str(db))
    assert missing.returncode == 1 and "99" in missing.stderr


def test_an_unknown_option_of_a_subcommand_is_told_first_with_that_subcommand_s_help() -> None:
    result = run_cli("review", "--bogus")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines == ["error: unknown option --bogus", "see `mock-interview review --help`"]
    assert result.stdout == ""


def test_a_nested_subcommand_s_errors_name_its_own_help() -> None:
    unknown = run_cli("kb", "list", "--bogus")
    missing = run_cli("export")
    assert unknown.stderr.splitlines()[-1] == "see `mock-interview kb list --help`"
    assert missing.stderr.splitlines()[0].startswith("error: one of the arguments")
    assert missing.stderr.splitlines()[-1] == "see `mock-interview export --help`"
    assert "usage:" not in unknown.stderr + missing.stderr


def test_export_help_says_the_default_format_and_where_the_report_goes() -> None:
    text = " ".join(run_cli("export", "--help").stdout.split())
    assert "Default: Markdown (--format md) on standard output" in text
    assert "With -o FILE it goes to FILE" in text


def test_every_subcommand_option_has_a_help_line() -> None:
    for command in ([], ["kb", "check"], ["kb", "list"], ["where"], ["grade"], ["export"]):
        out = run_cli(*command, "--help").stdout
        options = [
            row for row in out.splitlines() if row.startswith("  -") and "  " not in row.strip()
        ]
        # An option with no help text sits alone on its line (help starts on the same line or
        # on the next, indented further): none is left bare.
        rows = out.splitlines()
        for row in options:
            following = rows[rows.index(row) + 1]
            assert following.startswith(" " * 20), f"{command}: {row!r} has no help"


def test_a_mistyped_option_is_named_with_the_nearest_one_before_its_value_is_misread() -> None:
    """`--qestions 3` said "invalid choice: '3'"; `export --formt html` "invalid int value"."""
    top = run_cli("--qestions", "3")
    sub = run_cli("export", "--formt", "html")
    assert top.returncode == sub.returncode == 2
    assert top.stderr.splitlines() == [
        "error: unknown option --qestions (did you mean --questions?)",
        "see `mock-interview --help`",
    ]
    assert sub.stderr.splitlines() == [
        "error: unknown option --formt (did you mean --format?)",
        "see `mock-interview export --help`",
    ]
    # argparse's own abbreviations still work.
    assert run_cli("export", "--las", "--form", "json", "--db", "/nonexistent/x.db").returncode == 1


def test_the_export_format_follows_the_output_file_and_a_mismatch_is_refused(
    tmp_path: Path,
) -> None:
    """`export --last -o x.html` without --format wrote Markdown into x.html."""
    db = one_answer_log(tmp_path / "sessions.db", "kept answer")
    html, csv_file = tmp_path / "x.html", tmp_path / "x.csv"
    assert run_cli("export", "--last", "--db", str(db), "-o", str(html)).returncode == 0
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert run_cli("export", "--last", "--db", str(db), "-o", str(csv_file)).returncode == 0
    assert csv_file.read_text(encoding="utf-8").splitlines()[0].count(",") >= 3
    clash = run_cli(
        "export", "--last", "--db", str(db), "-o", str(tmp_path / "y.csv"), "--format", "html"
    )
    assert clash.returncode == 2
    assert clash.stderr.startswith(
        f"error: --format html does not match the extension of {tmp_path / 'y.csv'} (csv)"
    )
    assert not (tmp_path / "y.csv").exists()


def test_help_lists_only_the_options_a_command_uses_and_says_what_a_token_may_hold() -> None:
    """`kb check` listed --model and --verifier; `--token` help named fewer characters than
    are accepted."""
    for command in (["kb", "check"], ["kb", "list"]):
        text = run_cli(*command, "--help").stdout
        assert "--model" not in text and "--verifier" not in text, command
    assert "--model" in run_cli("grade", "--help").stdout
    token_help = " ".join(run_cli("serve", "--help").stdout.split())
    assert "at least 16 ASCII letters, digits, -, _, . or ~" in token_help
