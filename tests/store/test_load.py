"""The load bench, small: candidates answering at once lose no turn and store none twice.

bench/store_load.py runs the issue's figures (50 processes on PostgreSQL, 8 on SQLite) and
prints the throughput; here a few processes check the counts and consistency, no timing.
"""

from __future__ import annotations

from assistant.settings import DatabaseTarget
from bench.store_load import run_load


def test_candidates_answering_at_once_store_every_turn_once(target: DatabaseTarget) -> None:
    result = run_load(target, processes=4, answers=5)

    assert (result.stored, result.expected) == (20, 20)
    assert result.duplicated == 0
    assert result.inconsistent == []
