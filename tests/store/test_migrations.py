"""Schema versions: a file from an older release is upgraded in place, keeping every row."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from assistant.grading.grade import Verdict
from assistant.store import StoreError, migrations, open_store
from assistant.store.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, upgrade
from assistant.store.tables import InterviewSession, QuestionState, Turn
from tests.store.conftest import make_grade


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _versions(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        return [v for (v,) in conn.execute("SELECT version FROM schema_version ORDER BY version")]


def _indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    return {name for (name,) in rows if not name.startswith("sqlite_")}


def _make_v1_file(path: Path) -> None:
    """A log as release 1 wrote it: schema step 1 only, with rows written in its own SQL."""
    conn = sqlite3.connect(path, isolation_level=None)
    upgrade(conn, target=1)
    grade_json = '{"score": 55, "verdict": "partial", "key_points": [], "notes": []}'
    conn.execute(
        "INSERT INTO interview_session (id, started_at, ended_at, status, mode, lang,"
        " settings_json, model_id, bank_version) VALUES (1, '2024-05-01 08:00:00.000000',"
        " '2024-05-01 08:40:00.000000', 'completed', 'mock', 'fr', '{\"count\": 2}',"
        " 'old-model', '0.9.0')"
    )
    conn.execute(
        'INSERT INTO turn (id, session_id, "order", question_id, question_text,'
        " reference_answer, category, answer, score, verdict, grade_json, hints_used, skipped,"
        " follow_up_of, shown_at, submitted_at) VALUES (1, 1, 1, 'drift', 'Old wording?',"
        " 'Old reference.', 'fundamentals', 'My old answer', 55, 'partial', ?, 1, 0, NULL,"
        " '2024-05-01 08:01:00.000000', '2024-05-01 08:03:00.000000')",
        (grade_json,),
    )
    conn.execute(
        "INSERT INTO question_state (question_id, attempts, last_score, best_score,"
        " last_reviewed_at, due_at, card_json) VALUES ('drift', 1, 55, 55,"
        " '2024-05-01 08:03:00.000000', '2024-05-02 08:03:00.000000', '{}')"
    )
    conn.close()


def test_an_older_file_is_upgraded_and_keeps_its_rows(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    _make_v1_file(db_path)
    assert _versions(db_path) == [1]
    assert _indexes(db_path) == set()

    with open_store(db_path) as store:
        sessions = store.list_sessions()
        detail = store.get_session(1)
        states = store.learning_states()

    assert _versions(db_path) == list(range(1, SCHEMA_VERSION + 1))
    assert {"ix_turn_session_order", "ix_turn_question"} <= _indexes(db_path)
    assert [(s.id, s.mode, s.lang, s.settings, s.average_score) for s in sessions] == [
        (1, "mock", "fr", {"count": 2}, 55.0)
    ]
    assert detail is not None
    [turn] = detail.turns
    assert (turn.question_text, turn.reference_answer, turn.answer) == (
        "Old wording?",
        "Old reference.",
        "My old answer",
    )
    assert turn.grade is not None and turn.grade.verdict is Verdict.PARTIAL
    assert turn.submitted_at == datetime(2024, 5, 1, 8, 3, tzinfo=UTC)
    assert states["drift"].due == datetime(2024, 5, 2, 8, 3, tzinfo=UTC)


def test_an_upgraded_file_takes_new_turns(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    _make_v1_file(db_path)

    with open_store(db_path) as store:
        session_id = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="1.0.0"
        )
        store.record_turn(
            session_id,
            order=1,
            question_id="drift",
            question_text="What is drift?",
            reference_answer="Reference.",
            category="fundamentals",
            answer="Inputs change.",
            grade=make_grade(90),
            shown_at=datetime(2025, 1, 1, tzinfo=UTC),
            submitted_at=datetime(2025, 1, 1, 0, 2, tzinfo=UTC),
        )
        states = store.learning_states()

    # Rebuilt from both turns, old and new: the v1 row's placeholder card is replaced.
    assert (states["drift"].attempts, states["drift"].best_score) == (2, 90)


def test_opening_an_up_to_date_file_changes_nothing(db_path: Path) -> None:
    open_store(db_path).close()
    before = _digest(db_path)

    open_store(db_path).close()

    assert _digest(db_path) == before
    assert _versions(db_path) == list(range(1, SCHEMA_VERSION + 1))


def test_a_failing_step_leaves_the_file_at_its_old_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path.parent.mkdir(parents=True)
    _make_v1_file(db_path)
    broken = Migration(SCHEMA_VERSION + 1, "broken", ("CREATE TABLE extra (x)", "NOT SQL AT ALL"))
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))

    with pytest.raises(StoreError, match=str(db_path)):
        open_store(db_path)

    # All or nothing: neither step 2 (indexes) nor the broken step's first statement stayed.
    assert _versions(db_path) == [1]
    assert _indexes(db_path) == set()
    with sqlite3.connect(db_path) as conn:
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "extra" not in tables


def test_the_migrated_schema_matches_the_table_classes(db_path: Path) -> None:
    open_store(db_path).close()

    with sqlite3.connect(db_path) as conn:
        for table in (InterviewSession, Turn, QuestionState):
            name = table.__tablename__
            on_disk = {
                row[1]: (bool(row[3]), bool(row[5]))
                for row in conn.execute(f"PRAGMA table_info({name})")
            }
            declared = SQLModel.metadata.tables[str(name)]
            in_code = {c.name: (not c.nullable, c.primary_key) for c in declared.columns}
            assert on_disk == in_code, name


def test_steps_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == SCHEMA_VERSION


def test_verified_grades_keep_their_contradictions_and_old_grades_still_read(
    db_path: Path,
) -> None:
    from dataclasses import replace

    from assistant.grading.grade import Coverage, KeyPointResult

    db_path.parent.mkdir(parents=True)
    _make_v1_file(db_path)
    grade = replace(
        make_grade(45),
        key_points=[
            KeyPointResult(
                "monitor",
                "Monitor the live model",
                Coverage.CONTRADICTED,
                0.6,
                "no monitoring is needed",
                span=(10, 33),
                entailment=0.02,
                contradiction=0.93,
            )
        ],
        verifier_id="bundled",
    )
    with open_store(db_path) as store:
        session_id = store.start_session(
            mode="practice", lang="en", settings={}, model_id="m", bank_version="1.0.0"
        )
        store.record_turn(
            session_id,
            order=1,
            question_id="drift",
            question_text="What is drift?",
            reference_answer="Reference.",
            category="fundamentals",
            answer="We think no monitoring is needed.",
            grade=grade,
            shown_at=datetime(2025, 1, 1, tzinfo=UTC),
            submitted_at=datetime(2025, 1, 1, 0, 2, tzinfo=UTC),
        )
        detail = store.get_session(session_id)
        old = store.get_session(1)
    with sqlite3.connect(db_path) as conn:
        counts = conn.execute("SELECT contradicted FROM turn ORDER BY id").fetchall()
    assert counts == [(None,), (1,)]  # the v1 row was graded before verification existed
    assert detail is not None and detail.turns[0].grade == grade
    assert old is not None and old.turns[0].grade is not None
    assert old.turns[0].grade.verifier_id == "" and old.turns[0].grade.contradicted == []
