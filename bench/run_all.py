"""Run every benchmark in turn and print their numbers (`make bench`).

Each script is run as its own process, so one's imports and caches do not favour another.
The Mohler and Beetle benchmarks need ../shared/benchmarks/ and fail without it. Not run
here: the scripts that train or fit rather than measure (`disputes.py` trains an adapter for
some 20 minutes and grades for 12 more; `fit_scoring.py`, `fit_status.py` and
`tune_verified.py` search parameters); each says how to run it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = [
    "grading_corpus.py",
    "grading_quality.py",
    "grading_speed.py",
    "grading_beetle.py",
    "grading_mohler.py",
    "startup.py",
    "quit.py",
    "paste.py",
    "large_pack.py",
    "export_all.py",
    "store_load.py",
    "serve_memory.py",
]


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n=== {script} ===", flush=True)
        failed += subprocess.run([sys.executable, str(BENCH / script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
