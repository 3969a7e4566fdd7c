"""`review --cohort`, `export --cohort` and `--candidate`, run as a user would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from assistant.knowledge.loader import load_bank
from assistant.settings import ENV_CANDIDATE, ROLES_FILE, Settings, os_user, shipped_bank_dir
from assistant.store import open_store
from tests.cohort_log import PLANS, fill_cohort
from tests.test_cli import run_cli
from tests.ui.test_cohort_disputes import cohort_with_a_dispute


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A log of three candidates (see tests/cohort_log.py)."""
    path = tmp_path / "cohort.db"
    bank = load_bank([shipped_bank_dir()]).bank
    stores = {name: open_store(path, candidate=name) for name in PLANS}
    try:
        fill_cohort(stores, bank)
    finally:
        for store in stores.values():
            store.close()
    return path


@pytest.fixture
def disputed_db(tmp_path: Path) -> Path:
    """The same log, where alice disputed her grade of the drift question (20, hers 60)."""
    path = tmp_path / "disputed.db"
    cohort_with_a_dispute(path, load_bank([shipped_bank_dir()]).bank)
    return path


@pytest.fixture
def mentors(isolated_user_dirs: Path) -> Path:
    """roles.toml naming mia a mentor, in the (temporary) config folder."""
    roles = isolated_user_dirs / "config" / "mock-interview" / ROLES_FILE
    roles.parent.mkdir(parents=True)
    roles.write_text('mentors = ["mia"]\n', encoding="utf-8")
    return roles


def test_review_cohort_prints_every_candidate_and_the_questions_failed_most(
    db: Path, mentors: Path
) -> None:
    result = run_cli("review", "--cohort", "--db", str(db), "--candidate", "mia")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line}
    # name, sessions, answers, average, trend, weakest categories
    assert rows["alice"][1:5] == ["8", "24", "58", "+26"]
    assert rows["bob"][1:5] == ["6", "18", "59", "-21"]
    assert rows["chen"][4] == "—"
    assert "What is model drift, and what is concept drift?" in result.stdout
    assert "failed 10 of 16" in result.stdout
    assert "missed 10, contradicted 6 of 16" in result.stdout


def test_review_cohort_counts_the_disputes_waiting_and_how_often_the_grader_was_overruled(
    disputed_db: Path, mentors: Path
) -> None:
    result = run_cli("review", "--cohort", "--db", str(disputed_db), "--candidate", "mia")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Disputed grades waiting for a mentor: 1 (settle them on the Cohort tab" in result.stdout
    start = lines.index(
        "How often candidates overruled the grader (worst first): where the bank or the grader "
        "needs work"
    )
    table = [line.split(maxsplit=5) for line in lines[start + 1 :]]
    assert table[0] == [
        "Rate",
        "Disputed",
        "Accepted",
        "Rejected",
        "Graded",
        "Question / key point",
    ]
    # The question (1 of its 16 graded answers disputed, not settled yet), then the two key
    # points alice marked otherwise, under it.
    assert table[1] == [
        "6%", "1", "0", "0", "16",
        "What is model drift, and what is concept drift? [model-and-concept-drift]",
    ]  # fmt: skip
    assert [row[:5] for row in table[2:]] == [["6%", "1", "0", "0", "16"]] * 2
    assert sorted(row[5].split()[1] for row in table[2:]) == ["Because", "Drift"]


def test_review_cohort_without_a_dispute_says_none_waits(db: Path, mentors: Path) -> None:
    result = run_cli("review", "--cohort", "--db", str(db), "--candidate", "mia")
    assert result.returncode == 0, result.stderr
    assert "Disputed grades waiting for a mentor: 0\n" in result.stdout
    assert result.stdout.endswith("needs work\n(no grade disputed)\n")


def test_review_cohort_refuses_a_candidate_and_says_how_to_become_a_mentor(
    db: Path, mentors: Path
) -> None:
    result = run_cli("review", "--cohort", "--db", str(db), env={ENV_CANDIDATE: "bob"})
    assert result.returncode == 3
    assert result.stdout == ""
    assert "'bob' is not one" in result.stderr
    assert str(mentors) in result.stderr and 'mentors = ["bob"]' in result.stderr
    assert "INSERT INTO mentor (name) VALUES ('bob')" in result.stderr


def test_a_broken_roles_file_is_named_in_the_refusal(db: Path, mentors: Path) -> None:
    mentors.write_text("mentors = [mia\n", encoding="utf-8")
    result = run_cli("review", "--cohort", "--db", str(db), "--candidate", "mia")
    assert result.returncode == 3
    assert "is not valid TOML" in result.stderr


def test_export_cohort_writes_json_whole_and_never_over_a_file_without_force(
    db: Path, mentors: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cohort.json"
    args = ("export", "--cohort", "--format", "json", "--db", str(db), "--candidate", "mia")
    first = run_cli(*args, "-o", str(out))
    assert first.returncode == 0, first.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == "mock-interview-cohort"
    assert [c["candidate"] for c in document["candidates"]] == ["alice", "bob", "chen"]
    assert document["questions_failed_most"][0]["key_points"][0]["contradicted"] == 6
    out.write_text("kept", encoding="utf-8")
    again = run_cli(*args, "-o", str(out))
    assert again.returncode == 1 and "--force" in again.stderr
    assert out.read_text(encoding="utf-8") == "kept"
    over_db = run_cli(*args, "-o", str(db), "--force")
    assert over_db.returncode == 1 and "session database" in over_db.stderr
    assert run_cli(*args, "-o", str(out), "--force").returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["candidates"]


def test_export_cohort_as_csv_and_html_to_standard_output(db: Path, mentors: Path) -> None:
    args = ("export", "--cohort", "--db", str(db), "--candidate", "mia", "--format")
    table = run_cli(*args, "csv")
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [r["candidate"] for r in rows if r["row"] == "candidate"] == ["alice", "bob", "chen"]
    assert {r["row"] for r in rows} == {"candidate", "question", "key_point", "disputes"}
    page = run_cli(*args, "html")
    assert page.returncode == 0, page.stderr
    assert page.stdout.startswith("<!DOCTYPE html>") and "<td>alice</td>" in page.stdout


def test_every_cohort_export_says_what_waits_and_how_often_the_grader_was_overruled(
    disputed_db: Path, db: Path, mentors: Path
) -> None:
    args = ("export", "--cohort", "--db", str(disputed_db), "--candidate", "mia", "--format")
    document = json.loads(run_cli(*args, "json").stdout)
    assert document["disputes_waiting"] == 1
    rates = document["overrule_rates"]
    # The drift question (1 of its 16 graded answers disputed, not settled), then the two key
    # points alice marked otherwise.
    assert (rates[0]["question_id"], rates[0]["key_point_id"]) == ("model-and-concept-drift", None)
    assert [(r["disputed"], r["graded"], r["accepted"]) for r in rates] == [(1, 16, 0)] * 3
    assert all(r["key_point"] for r in rates[1:])

    rows = list(csv.DictReader(io.StringIO(run_cli(*args, "csv").stdout)))
    assert [r["waiting"] for r in rows if r["row"] == "disputes"] == ["1"]
    overrules = [r for r in rows if r["row"] == "overrule"]
    assert [(r["key_point_id"] == "", r["disputed"], r["graded"]) for r in overrules] == [
        (True, "1", "16"),
        (False, "1", "16"),
        (False, "1", "16"),
    ]
    assert overrules[0]["overrule_rate"] == "0.062"

    markdown = run_cli(*args, "md").stdout
    assert "Waiting for a mentor: 1." in markdown
    assert "| **What is model drift, and what is concept drift?** | 6% | 1 | 0 | 0 | 16 |" in (
        markdown
    )
    page = run_cli(*args, "html").stdout
    assert "Waiting for a mentor: 1." in page
    assert "<b>What is model drift, and what is concept drift?</b></td><td class=n>6%" in page

    # Without a dispute: none waits, none overruled, said in every format.
    quiet = ("export", "--cohort", "--db", str(db), "--candidate", "mia", "--format")
    assert json.loads(run_cli(*quiet, "json").stdout)["overrule_rates"] == []
    assert "No grade was disputed." in run_cli(*quiet, "md").stdout
    assert "No grade was disputed." in run_cli(*quiet, "html").stdout


def test_export_cohort_is_refused_to_a_candidate(db: Path, mentors: Path, tmp_path: Path) -> None:
    out = tmp_path / "cohort.html"
    result = run_cli(
        "export", "--cohort", "--format", "html", "--db", str(db), "-o", str(out),
        "--candidate", "chen",
    )  # fmt: skip
    assert result.returncode == 3
    assert "not one" in result.stderr and not out.exists()


def test_a_candidate_exports_only_their_own_sessions(db: Path) -> None:
    result = run_cli("export", "--all", "--format", "json", "--db", str(db), "--candidate", "bob")
    assert result.returncode == 0, result.stderr
    sessions = json.loads(result.stdout)["sessions"]
    assert len(sessions) == len(PLANS["bob"])
    answers = {t["answer"] for s in sessions for t in s["turns"]}
    assert all(a.startswith("bob's") for a in answers)


def test_the_candidate_comes_from_the_flag_then_the_environment_then_the_os_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV_CANDIDATE, raising=False)
    assert Settings.from_env().candidate == os_user() != ""
    monkeypatch.setenv(ENV_CANDIDATE, "zoe")
    assert Settings.from_env().candidate == "zoe"
    assert Settings.from_env(candidate="yann").candidate == "yann"
