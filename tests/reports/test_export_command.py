"""`export_command` against a real session log: choosing sessions, output, and clear errors."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.grading.grade import Verdict
from assistant.reports import export_command, write_report
from assistant.store import SessionStore, open_store
from tests.reports.sample_sessions import full_session, grade

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    with open_store(tmp_path / "sessions.db") as opened:
        yield opened


def _session(store: SessionStore, days: int, *, answers: int, finished: bool) -> int:
    started = T0 + timedelta(days=days)
    session_id = store.start_session(
        mode="mock",
        lang="en",
        settings={"count": answers},
        model_id="all-MiniLM-L6-v2",
        bank_version="mlops@1.0.0",
        started_at=started,
    )
    for n in range(answers):
        shown = started + timedelta(minutes=3 * n)
        store.record_turn(
            session_id,
            order=n + 1,
            question_id=f"q-{n}",
            question_text=f"Question {n}?",
            reference_answer="Reference.",
            category="fundamentals",
            answer=f"answer {n} <b>as typed</b>",
            grade=grade(50 + n, Verdict.PARTIAL),
            shown_at=shown,
            submitted_at=shown + timedelta(seconds=90),
        )
    if finished:
        store.finish_session(session_id, "completed", ended_at=started + timedelta(minutes=20))
    return session_id


def _run(store: SessionStore, **choice: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    options: dict[str, object] = {
        "session_id": None,
        "last": False,
        "all_": False,
        "fmt": "md",
        "output": None,
    }
    options.update(choice)
    code = export_command(store, out=out, err=err, **options)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_one_session_by_id_goes_to_stdout(store: SessionStore) -> None:
    first = _session(store, 0, answers=2, finished=True)
    _session(store, 1, answers=1, finished=True)
    code, out, err = _run(store, session_id=first, fmt="json")
    assert (code, err) == (0, "")
    sessions = json.loads(out)["sessions"]
    assert [s["id"] for s in sessions] == [first]
    assert [t["answer"] for t in sessions[0]["turns"]] == [
        "answer 0 <b>as typed</b>",
        "answer 1 <b>as typed</b>",
    ]


def test_last_is_the_newest_session_even_in_progress_and_empty(store: SessionStore) -> None:
    _session(store, 0, answers=2, finished=True)
    newest = _session(store, 5, answers=0, finished=False)
    code, out, err = _run(store, last=True)
    assert (code, err) == (0, "")
    assert f"## Session {newest}" in out
    assert "still in progress" in out and "No question was answered" in out


def test_all_is_every_session_oldest_first_written_to_a_file(
    store: SessionStore, tmp_path: Path
) -> None:
    ids = [_session(store, d, answers=1, finished=True) for d in (3, 1, 2)]
    target = tmp_path / "all.csv"
    code, out, err = _run(store, all_=True, fmt="csv", output=target)
    assert (code, err) == (0, "")
    assert out == f"wrote 3 session(s) to {target}\n"
    rows = target.read_bytes().decode("utf-8").split("\r\n")
    session_ids = [int(row.split(",")[1]) for row in rows[1:] if row]
    assert session_ids == [ids[1], ids[2], ids[0]]


def test_unknown_id_is_a_clear_error(store: SessionStore) -> None:
    _session(store, 0, answers=1, finished=True)
    code, out, err = _run(store, session_id=999)
    assert code == 1 and out == ""
    assert "no session 999" in err and str(store.path) in err


@pytest.mark.parametrize("choice", [{"last": True}, {"all_": True}])
def test_empty_log_is_a_clear_error(store: SessionStore, choice: dict[str, bool]) -> None:
    code, out, err = _run(store, **choice)
    assert code == 1 and out == ""
    assert "has no session yet" in err


def test_bad_format_and_bad_choice_are_usage_errors(store: SessionStore) -> None:
    assert _run(store, last=True, fmt="pdf")[0] == 2
    assert _run(store, last=True, all_=True)[0] == 2
    assert _run(store)[0] == 2


def test_unwritable_output_is_a_clear_error(store: SessionStore, tmp_path: Path) -> None:
    _session(store, 0, answers=1, finished=True)
    code, _, err = _run(store, last=True, output=tmp_path / "missing" / "r.md")
    assert code == 1 and "cannot write" in err


def test_write_report_never_overwrites(tmp_path: Path) -> None:
    detail = full_session()
    when = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
    first = write_report([detail], "html", tmp_path / "reports", generated_at=when)
    second = write_report([detail], "html", tmp_path / "reports", generated_at=when)
    assert first != second and first.parent == second.parent == tmp_path / "reports"
    assert first.name.startswith("session-12-") and first.suffix == ".html"
    assert second.stem.endswith("-2")
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
