"""External check on the Mohler et al. (2011) short-answer data: Pearson r and batch time.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_mohler.py [--csv PATH] [--verifier V]`.

The data stays where it is (../shared/benchmarks/mohler/mohler.csv, see its SOURCE.md): it is
read, turned into batch rows in a temporary directory and graded through `run_batch`, the code
path of `mock-interview grade`, once by similarity alone and once with the verifier. Printed:
Pearson r between each grader's score and the human `score_avg` over all answers (target >=
0.62), plain cosine of the same model in the same run (0.494 published), r on the first and
second halves of the course (assignments 1-6 / 7-12; the similarity parameters were tuned on the
labelled MLOps set and the first half), and the times.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.batch import run_batch  # noqa: E402
from assistant.grading.cache import EmbeddingCache  # noqa: E402
from assistant.grading.pipeline import Grader  # noqa: E402
from assistant.grading.verify import load_verifier  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "benchmarks" / "mohler" / "mohler.csv"


def pearson(x: list[float], y: list[float]) -> float:
    return float(np.corrcoef(np.asarray(x), np.asarray(y))[0, 1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--verifier", default="bundled", help="bundled, a path, or a name")
    parser.add_argument(
        "--before", help="the previous release's verifier folder: graded too, as it was released"
    )
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"{args.csv}: not found (see ../shared/benchmarks/mohler/SOURCE.md)")

    with args.csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    human = [float(r["score_avg"]) for r in rows]
    second_half = [int(r["question_id"].split(".")[0]) > 6 for r in rows]

    started = time.perf_counter()
    backend = load_backend()
    load_s = time.perf_counter() - started
    verifier = load_verifier(args.verifier)
    graders = {
        "similarity": Grader(backend, EmbeddingCache(None)),
        "verified": Grader(backend, EmbeddingCache(None), verifier=verifier),
    }
    if args.before:
        from bench.releases import PREVIOUS_PARAMETERS

        previous = load_verifier(args.before)
        graders = {
            "before": Grader(backend, EmbeddingCache(None), "", PREVIOUS_PARAMETERS, previous),
            **graders,
        }
    scores: dict[str, list[float]] = {}
    batch_s: dict[str, float] = {}
    for name, grader in graders.items():
        scores[name], batch_s[name] = _grade_all(rows, grader)

    started = time.perf_counter()
    model = backend.model
    answers = model.encode([r["student_answer"] for r in rows], normalize_embeddings=True)
    unique = sorted({r["reference_answer"] for r in rows})
    encoded = dict(zip(unique, model.encode(unique, normalize_embeddings=True), strict=True))
    cosine = [float(a @ encoded[r["reference_answer"]]) for a, r in zip(answers, rows, strict=True)]
    cosine_s = time.perf_counter() - started

    def split(values: list[float], second: bool) -> list[float]:
        return [v for v, s in zip(values, second_half, strict=True) if s == second]

    print(f"Mohler 2011: {len(rows)} answers, {len({r['question_id'] for r in rows})} questions")
    systems = {**scores, "cosine": cosine}
    print(f"\n{'Pearson r vs score_avg':32}" + "".join(f"{n:>12}" for n in systems))
    print(
        f"{'all answers':32}"
        + "".join(f"{pearson(v, human):>12.3f}" for v in systems.values())
        + "   (target >= 0.62)"
    )
    for label, second in (
        ("assignments 1-6 (tuning half)", False),
        ("assignments 7-12 (held out)", True),
    ):
        cells = [pearson(split(v, second), split(human, second)) for v in systems.values()]
        print(f"{'  ' + label:32}" + "".join(f"{c:>12.3f}" for c in cells))
    times = ", ".join(f"{n} {t:.1f} s" for n, t in batch_s.items())
    print(
        f"\nmodel load {load_s:.1f} s; batch grading of all rows through run_batch: {times} "
        f"(target <= 60 s); plain cosine encode {cosine_s:.1f} s"
    )


def _grade_all(rows: list[dict[str, str]], grader: Grader) -> tuple[list[float], float]:
    """Every row through `run_batch`, as `mock-interview grade` does: (scores, seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        batch_input = Path(tmp) / "mohler.jsonl"
        with batch_input.open("w", encoding="utf-8") as out:
            for i, r in enumerate(rows):
                record = {
                    "id": i,
                    "question": r["question"],
                    "reference_answer": r["reference_answer"],
                    "answer": r["student_answer"],
                }
                out.write(json.dumps(record) + "\n")
        output, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        code = run_batch(batch_input, output, grader, None, err)
        seconds = time.perf_counter() - started
    graded = [json.loads(line) for line in output.getvalue().splitlines()]
    assert code == 0 and len(graded) == len(rows), err.getvalue()
    return [float(g["score"]) for g in sorted(graded, key=lambda g: g["id"])], seconds


if __name__ == "__main__":
    main()
