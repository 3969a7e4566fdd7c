"""A cohort answering at once: N processes, each a candidate submitting M answers as fast as it
can through the repository (the calls the interview screen makes); prints turns stored per
second and checks that every turn is stored once and every session is whole.

Run: `.venv/bin/python bench/store_load.py [--backend postgresql|sqlite|both]
[--processes N] [--answers M] [--url postgresql+psycopg://...]`. Defaults: 50 candidates on
PostgreSQL (a temporary server started for the run, with durable commits, unless --url is
given), 8 on an SQLite file in a temporary folder; 20 answers each.
"""

from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.synchronize
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.grade import Grade, Verdict  # noqa: E402
from assistant.settings import DatabaseTarget, DatabaseUrl  # noqa: E402
from assistant.store import SessionStatus, open_store  # noqa: E402

PROCESSES = {"postgresql": 50, "sqlite": 8}
"""Candidates answering at once, per backend (the issue's figures)."""
ANSWERS = 20
"""Answers each candidate submits."""
START = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class LoadResult:
    """What a load run stored, and whether it is whole."""

    expected: int
    """Turns submitted: processes x answers."""
    stored: int
    """Turns found in the database afterwards."""
    duplicated: int
    """Turns stored more than once (same session and order)."""
    inconsistent: list[str]
    """Each session or question whose record is not what its candidate did (empty: none)."""
    seconds: float
    """From the first answer submitted to the last one stored, over every process."""

    @property
    def turns_per_second(self) -> float:
        """Throughput of the whole cohort."""
        return self.stored / self.seconds if self.seconds > 0 else 0.0


def _candidate(
    target: DatabaseTarget,
    index: int,
    answers: int,
    ready: multiprocessing.synchronize.Barrier,
    out: multiprocessing.Queue[tuple[int, float, float] | str],
) -> None:
    """One candidate; puts (session id, start, end) on `out`, or what failed."""
    try:
        out.put(_answer_all(target, index, answers, ready))
    except BaseException as error:
        out.put(f"candidate {index}: {type(error).__name__}: {error}")
        ready.abort()  # the others stop waiting at the start line


def _answer_all(
    target: DatabaseTarget, index: int, answers: int, ready: multiprocessing.synchronize.Barrier
) -> tuple[int, float, float]:
    """A session, `answers` graded answers to q1..qM, the session completed."""
    with open_store(target) as store:  # connected and migrated before the start line
        ready.wait()
        began = time.perf_counter()
        session_id = store.start_session(
            mode="mock",
            lang="en",
            settings={"candidate": index},
            model_id="bench",
            bank_version="1",
            started_at=START + timedelta(minutes=index),
        )
        for order in range(1, answers + 1):
            shown = START + timedelta(minutes=index, seconds=order * 10)
            store.record_turn(
                session_id,
                order=order,
                question_id=f"q{order}",
                question_text=f"Question {order}?",
                reference_answer="Reference.",
                category="fundamentals",
                answer=f"Candidate {index}, answer {order}.",
                grade=Grade(score=(index * 7 + order * 13) % 101, verdict=Verdict.PARTIAL),
                shown_at=shown,
                submitted_at=shown + timedelta(seconds=5),
            )
        store.finish_session(session_id, SessionStatus.COMPLETED)
        return session_id, began, time.perf_counter()


def run_load(target: DatabaseTarget, *, processes: int, answers: int) -> LoadResult:
    """Run `processes` candidates at once against `target`, then check what was stored."""
    open_store(target).close()  # the schema made once, as a running cohort would have it
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(processes)
    out: multiprocessing.Queue[tuple[int, float, float] | str] = context.Queue()
    workers = [
        context.Process(target=_candidate, args=(target, i, answers, ready, out))
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    reported = [out.get() for _ in workers]  # each candidate reports, done or failed
    for worker in workers:
        worker.join()
    failures = [r for r in reported if isinstance(r, str)]
    if failures:
        raise RuntimeError(f"{len(failures)} candidate(s) failed; " + "; ".join(failures[:3]))
    finished = [r for r in reported if not isinstance(r, str)]
    seconds = max(end for _, _, end in finished) - min(began for _, began, _ in finished)
    return _check(target, [sid for sid, _, _ in finished], answers, seconds)


def _check(
    target: DatabaseTarget, session_ids: list[int], answers: int, seconds: float
) -> LoadResult:
    """Read back through the repository: every turn once, in order, every session closed,
    every question's learning state counting every candidate's answer."""
    problems: list[str] = []
    stored = duplicated = 0
    with open_store(target) as store:
        sessions = store.list_sessions()
        if sorted(s.id for s in sessions) != sorted(session_ids):
            problems.append(f"{len(sessions)} sessions stored for {len(session_ids)} candidates")
        for session_id in session_ids:
            detail = store.get_session(session_id)
            if detail is None:
                problems.append(f"session {session_id} missing")
                continue
            orders = [t.order for t in detail.turns]
            stored += len(orders)
            duplicated += sum(n - 1 for n in Counter(orders).values() if n > 1)
            if orders != list(range(1, answers + 1)):
                problems.append(f"session {session_id}: turn orders {orders}")
            if detail.session.status is not SessionStatus.COMPLETED:
                problems.append(f"session {session_id}: {detail.session.status.value}")
        for question_id, state in sorted(store.learning_states().items()):
            if state.attempts != len(session_ids):
                problems.append(f"{question_id}: {state.attempts} attempts in its learning state")
    return LoadResult(
        expected=len(session_ids) * answers,
        stored=stored,
        duplicated=duplicated,
        inconsistent=problems,
        seconds=seconds,
    )


def _report(backend: str, processes: int, result: LoadResult) -> bool:
    whole = result.stored == result.expected and not result.duplicated and not result.inconsistent
    print(
        f"{backend:<10} {processes:>3} processes: {result.stored:,} of {result.expected:,} turns "
        f"stored, {result.duplicated} duplicated, "
        f"{'every session consistent' if not result.inconsistent else 'INCONSISTENT'}; "
        f"{result.turns_per_second:,.0f} turns/s ({result.seconds:.2f} s)"
    )
    for problem in result.inconsistent[:10]:
        print(f"  {problem}")
    return whole


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    parser.add_argument("--processes", type=int, help="candidates (default: 50 PG, 8 SQLite)")
    parser.add_argument("--answers", type=int, default=ANSWERS)
    parser.add_argument("--url", help="an empty PostgreSQL database to use instead of a new one")
    args = parser.parse_args()
    backends = ["postgresql", "sqlite"] if args.backend == "both" else [args.backend]
    whole = True
    for backend in backends:
        processes = args.processes or PROCESSES[backend]
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                result = run_load(
                    Path(folder) / "load.db", processes=processes, answers=args.answers
                )
        elif args.url:
            result = run_load(
                DatabaseUrl.parse(args.url), processes=processes, answers=args.answers
            )
        else:
            from tests.store.postgres_server import running_server

            with running_server(durable=True) as server:
                url = DatabaseUrl.parse(server.create_database("load"))
                result = run_load(url, processes=processes, answers=args.answers)
        whole = _report(backend, processes, result) and whole
    return 0 if whole else 1


if __name__ == "__main__":
    sys.exit(main())
