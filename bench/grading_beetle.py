"""External check on Beetle (SemEval-2013 Task 7): can the grader tell a correct short answer
from an incorrect one that is on topic and close in wording?

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_beetle.py [--split S...] [--verifier V]`.

The data stays where it is (../shared/benchmarks/beetle/beetle.csv, see its SOURCE.md). Each
answer is graded against its question and first reference answer (no key points, so the
reference's sentences serve as key points), as `mock-interview grade` does with `question` +
`reference_answer` rows. Printed: ROC AUC of correct vs incorrect per split for plain cosine
(best of all references), the grader by similarity alone, the grader with the verifier, and the
verifier alone (entailment minus contradiction, best of all references). The verifier was
trained on Beetle's `train` questions (through the SemEval training files); `test_unseen_answers`
are other answers to those questions, and `test_unseen_questions`, the final figure (target >=
0.85), are questions it never saw: look at it rarely.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.cache import EmbeddingCache  # noqa: E402
from assistant.grading.pipeline import Grader  # noqa: E402
from assistant.grading.target import GradingTarget  # noqa: E402
from assistant.grading.verify import load_verifier  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "benchmarks" / "beetle" / "beetle.csv"
SPLITS = ("train", "test_unseen_answers", "test_unseen_questions")


def roc_auc(scores: list[float], positive: list[bool]) -> float:
    """Probability that a random positive outranks a random negative (ties count half)."""
    values = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(positive)
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument(
        "--split", nargs="+", choices=SPLITS, default=["train", "test_unseen_answers"]
    )
    parser.add_argument("--verifier", default="bundled", help="bundled, a path, or a name")
    parser.add_argument(
        "--before", help="the previous release's verifier folder: graded too, as it was released"
    )
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"{args.csv}: not found (see ../shared/benchmarks/beetle/SOURCE.md)")
    with args.csv.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["split"] in args.split]

    backend = load_backend()
    verifier = load_verifier(args.verifier)
    assert verifier is not None, "this bench measures a verifier"
    items = [
        (GradingTarget(r["question"], r["reference_answer"]), r["student_answer"]) for r in rows
    ]
    started = time.perf_counter()
    similarity = [g.score for g in Grader(backend, EmbeddingCache(None)).grade_many(items)]
    similarity_s = time.perf_counter() - started
    started = time.perf_counter()
    verified = [
        g.score for g in Grader(backend, EmbeddingCache(None), verifier=verifier).grade_many(items)
    ]
    verified_s = time.perf_counter() - started
    before: list[int] = []
    if args.before:
        from bench.releases import PREVIOUS_PARAMETERS

        previous = Grader(
            backend, EmbeddingCache(None), "", PREVIOUS_PARAMETERS, load_verifier(args.before)
        )
        before = [g.score for g in previous.grade_many(items)]

    references = [r["reference_answers_all"].split(" ||| ") for r in rows]
    pairs = [
        (r["student_answer"], ref) for r, refs in zip(rows, references, strict=True) for ref in refs
    ]
    judged = verifier.judge(pairs)
    alone, cosine, at = [], [], 0
    model = backend.model
    answers = model.encode([r["student_answer"] for r in rows], normalize_embeddings=True)
    for answer, refs in zip(answers, references, strict=True):
        chunk = judged[at : at + len(refs)]
        at += len(refs)
        alone.append(float((chunk[:, 0] - chunk[:, 2]).max()))
        ref_vectors = model.encode(refs, normalize_embeddings=True)
        cosine.append(float((ref_vectors @ answer).max()))

    systems = {"cosine": cosine, "similarity": similarity, "verified": verified, "verifier": alone}
    if before:
        systems = {"before": before, **systems}
    print(f"Beetle: {len(rows)} answers; verifier {args.verifier!r}")
    print(f"\n{'ROC AUC, correct vs incorrect':34}" + "".join(f"{n:>12}" for n in systems))
    for split in args.split:
        chosen = [i for i, r in enumerate(rows) if r["split"] == split]
        positive = [rows[i]["label"] == "correct" for i in chosen]
        cells = [roc_auc([v[i] for i in chosen], positive) for v in systems.values()]
        label = f"{split} ({len(chosen)})"
        print(f"{label:34}" + "".join(f"{c:>12.3f}" for c in cells))
    print(f"\ngrading time: similarity {similarity_s:.1f} s, verified {verified_s:.1f} s")


if __name__ == "__main__":
    main()
