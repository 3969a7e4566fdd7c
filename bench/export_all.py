"""Time `export --all` of 1,000 generated sessions in each format; prints the numbers.

Run: `.venv/bin/python bench/export_all.py [--sessions N] [--keep DIR]`. The sessions are made
with the real store API from the shipped bank's questions, in a temporary database.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.grade import (  # noqa: E402
    Coverage,
    Grade,
    KeyPointResult,
    Note,
    NoteCode,
    Verdict,
)
from assistant.knowledge.loader import load_bank  # noqa: E402
from assistant.knowledge.models import Question  # noqa: E402
from assistant.reports import FORMATS, export_command  # noqa: E402
from assistant.settings import shipped_bank_dir  # noqa: E402
from assistant.store import SessionStore, open_store  # noqa: E402

START = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def fake_grade(question: Question, rng: random.Random) -> Grade:
    """A plausible grade: random coverage per key point, evidence taken from the reference."""
    points = []
    for kp in question.key_points:
        status = rng.choice(list(Coverage))
        evidence = None if status is Coverage.MISSED else question.answer.en[:80]
        points.append(KeyPointResult(kp.id, kp.en, status, rng.random(), evidence))
    score = rng.randint(0, 100)
    verdict = (
        Verdict.STRONG if score >= 70 else Verdict.ADEQUATE if score >= 50 else Verdict.PARTIAL
    )
    return Grade(score, verdict, points, [Note(NoteCode.TOO_SHORT)] if score < 20 else [])


def generate(store: SessionStore, questions: list[Question], sessions: int, seed: int) -> int:
    """`sessions` completed sessions of 6 questions, a follow-up now and then; returns turns."""
    rng = random.Random(seed)
    turns = 0
    for n in range(sessions):
        started = START + timedelta(hours=7 * n)
        session_id = store.start_session(
            mode=rng.choice(["practice", "mock"]),
            lang=rng.choice(["en", "fr"]),
            settings={"count": 6},
            model_id="all-MiniLM-L6-v2",
            bank_version="bench",
            started_at=started,
        )
        shown = started
        for order, question in enumerate(rng.sample(questions, 6), start=1):
            skipped = rng.random() < 0.1
            answer = "" if skipped else " ".join([question.answer.en] * rng.randint(1, 3))
            turn_id = store.record_turn(
                session_id,
                order=order,
                question_id=question.id,
                question_text=question.question.en,
                reference_answer=question.answer.en,
                category=question.category,
                answer=answer,
                grade=None if skipped else fake_grade(question, rng),
                hints_used=rng.randint(0, 2),
                skipped=skipped,
                shown_at=shown,
                submitted_at=shown + timedelta(seconds=rng.randint(20, 400)),
            )
            turns += 1
            shown += timedelta(minutes=7)
            if not skipped and question.follow_ups and rng.random() < 0.3:
                store.record_turn(
                    session_id,
                    order=order,
                    question_id=question.id,
                    question_text=question.follow_ups[0].question.en,
                    reference_answer=question.key_point(question.follow_ups[0].key_point).en,
                    category=question.category,
                    answer="A shorter answer to the follow-up.",
                    grade=fake_grade(question, rng),
                    follow_up_of=turn_id,
                    shown_at=shown,
                    submitted_at=shown + timedelta(seconds=60),
                )
                turns += 1
        store.finish_session(session_id, "completed", ended_at=shown)
    return turns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per format")
    parser.add_argument("--keep", type=Path, help="write the database and reports here")
    args = parser.parse_args()

    bank = load_bank([shipped_bank_dir()]).bank
    questions = list(bank.questions.values())
    with tempfile.TemporaryDirectory() as scratch:
        where = args.keep or Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        store = open_store(where / "bench.db")
        began = time.perf_counter()
        turns = generate(store, questions, args.sessions, seed=7)
        made = time.perf_counter() - began
        db_size = (where / "bench.db").stat().st_size
        print(f"generated {args.sessions} sessions, {turns} turns in {made:.1f} s")
        print(f"database {db_size / 1e6:.1f} MB (WAL not counted)")

        began = time.perf_counter()
        details = [store.get_session(s.id) for s in store.list_sessions()]
        print(
            f"reading every session (list + get_session each): {time.perf_counter() - began:.2f} s"
        )
        assert all(d is not None for d in details)

        print(f"export --all, {args.repeat} run(s) per format:")
        print(f"{'format':<6} {'median s':>9} {'min s':>7} {'size MB':>8}")
        for fmt in FORMATS:
            target = where / f"all.{fmt}"
            times = []
            for _ in range(args.repeat):
                err = io.StringIO()
                began = time.perf_counter()
                code = export_command(
                    store,
                    session_id=None,
                    last=False,
                    all_=True,
                    fmt=fmt,
                    output=target,
                    out=io.StringIO(),
                    err=err,
                    force=True,
                )
                times.append(time.perf_counter() - began)
                assert code == 0, err.getvalue()
            size = target.stat().st_size / 1e6
            print(f"{fmt:<6} {statistics.median(times):>9.2f} {min(times):>7.2f} {size:>8.1f}")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
