"""Does the grader order answers of known quality? Side by side: today's similarity grader, the
grader with its verifier, and plain cosine, in one run.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_quality.py [--set NAME...] [--verifier V]
[--verbose]`.

Three labelled sets, on different bank questions, by different authors:
- `labelled` (bench/data/labelled_answers.jsonl): written while building the similarity grader,
  whose parameters were chosen on it; the verifier's score parameters were chosen on it too.
- `heldout` (heldout_answers.jsonl): written afterwards, blind to the grader; never used to choose.
- `fresh` (fresh_answers.jsonl): 10 other questions, written blind to the grader before the
  verifier was trained, with confidently wrong answers of four kinds (reversed relations,
  swapped roles, wrong numbers, negations); never used to choose.
- `blind` (blind_answers.jsonl): 12 questions in both languages, written after the verifier's
  training data was fixed, by a writer who never saw the authored corpus; never used to choose.
Each holds answers at known levels: complete > good > vague > wrong (confidently wrong, reusing
the right words) > off-topic, plus adversarial answers (restated question, keyword list, "I
don't know") that must score below the vague answer to the same question in the same language.

Printed per set and over all: pairwise ordering of the five levels (target >= 0.95), wrong below
vague (target >= 90%), adversarial below vague (target >= 0.95), complete answers graded adequate
or strong (score >= `adequate_at`; target >= 95%), and mean score per level.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.cache import EmbeddingCache  # noqa: E402
from assistant.grading.parameters import DEFAULT_PARAMETERS  # noqa: E402
from assistant.grading.pipeline import Grader  # noqa: E402
from assistant.grading.target import GradingTarget  # noqa: E402
from assistant.grading.verify import load_verifier  # noqa: E402
from assistant.knowledge.loader import Bank, load_bank  # noqa: E402

SETS = {
    "labelled": ROOT / "bench/data/labelled_answers.jsonl",
    "heldout": ROOT / "bench/data/heldout_answers.jsonl",
    "fresh": ROOT / "bench/data/fresh_answers.jsonl",
    "blind": ROOT / "bench/data/blind_answers.jsonl",
}
LEVELS = ("complete", "good", "vague", "wrong", "off-topic")
"""Quality levels, best first: each pair must be scored in this order."""
ADVERSARIAL = ("restated", "keywords", "dont-know")
"""Answers that must score below the vague answer to the same question."""

Scores = dict[tuple[str, str], dict[str, float]]


def read_sets(names: list[str]) -> tuple[Bank, list[dict], list[GradingTarget]]:
    """The bank, every row of the named sets (each with its set's name), and each row's target."""
    bank = load_bank([ROOT / "knowledge"]).bank
    rows = []
    for name in names:
        for line in SETS[name].read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "set": name})
    targets = []
    for r in rows:
        question = bank.get(r["question_id"])
        assert question is not None, r["question_id"]
        targets.append(GradingTarget.from_question(question, r["lang"]))
    return bank, rows, targets


def by_question(rows: list[dict], scores: list[float], chosen: list[int] | None = None) -> Scores:
    """The score of each level for each (question, language), from the rows at `chosen` (all)."""
    out: Scores = defaultdict(dict)
    for i in range(len(rows)) if chosen is None else chosen:
        out[(rows[i]["question_id"], rows[i]["lang"])][rows[i]["level"]] = scores[i]
    return out


def ordering(scores: Scores) -> dict[str, object]:
    """Pairwise accuracy, wrong-below-vague, adversarial-below-vague, and the failures."""
    right = total = adv_right = adv_total = wrong_right = wrong_total = 0
    failures: list[str] = []
    for (qid, lang), by_level in sorted(scores.items()):
        for better, worse in itertools.combinations(LEVELS, 2):
            if better in by_level and worse in by_level:
                ok = by_level[better] > by_level[worse]
                right += ok
                total += 1
                if (better, worse) == ("vague", "wrong"):
                    wrong_right += ok
                    wrong_total += 1
                if not ok:
                    failures.append(
                        f"{qid} [{lang}]: {better} {by_level[better]:.2f} <= "
                        f"{worse} {by_level[worse]:.2f}"
                    )
        for kind in ADVERSARIAL:
            if kind in by_level and "vague" in by_level:
                ok = by_level[kind] < by_level["vague"]
                adv_right += ok
                adv_total += 1
                if not ok:
                    failures.append(
                        f"{qid} [{lang}]: {kind} {by_level[kind]:.2f} >= "
                        f"vague {by_level['vague']:.2f}"
                    )
    return {
        "pairwise": right / max(1, total),
        "wrong_below_vague": (wrong_right, wrong_total),
        "adversarial": adv_right / max(1, adv_total),
        "failures": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="+", choices=sorted(SETS), default=sorted(SETS))
    parser.add_argument("--verifier", default="bundled", help="bundled, a path, or a name")
    parser.add_argument("--verbose", action="store_true", help="list every misordered pair")
    parser.add_argument(
        "--before", help="the previous release's verifier folder: graded too, as it was released"
    )
    parser.add_argument(
        "--premise", choices=("answer", "windows", "spans"), help="what the verifier reads"
    )
    args = parser.parse_args()

    bank, rows, targets = read_sets(args.set)
    items = [(t, r["answer"]) for t, r in zip(targets, rows, strict=True)]

    backend = load_backend()
    similarity = Grader(backend, EmbeddingCache(None), bank.version)
    params = DEFAULT_PARAMETERS
    if args.premise:
        params = replace(params, verify_premise=args.premise)
    verified = Grader(
        backend, EmbeddingCache(None), bank.version, params, verifier=load_verifier(args.verifier)
    )
    systems = {
        "similarity": [g.score for g in similarity.grade_many(items)],
        "verified": [g.score for g in verified.grade_many(items)],
    }
    if args.before:
        from bench.releases import PREVIOUS_PARAMETERS

        previous = Grader(
            backend,
            EmbeddingCache(None),
            bank.version,
            PREVIOUS_PARAMETERS,
            load_verifier(args.before),
        )
        systems = {"before": [g.score for g in previous.grade_many(items)], **systems}
    model = backend.model
    answers = model.encode([r["answer"] for r in rows], normalize_embeddings=True)
    references = model.encode([t.reference for t in targets], normalize_embeddings=True)
    systems["cosine"] = [float(x) for x in (answers * references).sum(axis=1)]

    print(f"bank {bank.version}; verifier {args.verifier!r}")
    names = list(systems)
    for subset in [*args.set, "all"] if len(args.set) > 1 else args.set:
        chosen = [i for i, r in enumerate(rows) if subset in ("all", r["set"])]
        pairs = {(rows[i]["question_id"], rows[i]["lang"]) for i in chosen}
        print(f"\n== {subset}: {len(chosen)} answers, {len(pairs)} question/language pairs")
        results = {}
        for name in names:
            results[name] = ordering(by_question(rows, systems[name], chosen))
        print(f"{'':32}" + "".join(f"{n:>12}" for n in names))
        print(
            f"{'pairwise ordering (>= 0.95)':32}"
            + "".join(f"{results[n]['pairwise']:>12.3f}" for n in names)
        )
        cells = []
        for n in names:
            ok, total = results[n]["wrong_below_vague"]  # type: ignore[misc]
            cells.append(f"{ok}/{total}")
        print(f"{'wrong below vague (>= 90%)':32}" + "".join(f"{c:>12}" for c in cells))
        print(
            f"{'adversarial below vague (>=.95)':32}"
            + "".join(f"{results[n]['adversarial']:>12.3f}" for n in names)
        )
        cells = []
        for n in names:
            complete = [systems[n][i] for i in chosen if rows[i]["level"] == "complete"]
            passed = sum(v >= params.adequate_at for v in complete)
            cells.append("-" if n == "cosine" else f"{passed}/{len(complete)}")
        print(f"{'complete adequate+ (>= 95%)':32}" + "".join(f"{c:>12}" for c in cells))
        for level in (*LEVELS, *ADVERSARIAL):
            means = []
            for n in names:
                values = [systems[n][i] for i in chosen if rows[i]["level"] == level]
                means.append(statistics.mean(values) if values else float("nan"))
            print(
                f"{'  mean, ' + level:32}"
                + "".join(
                    f"{m:>12.2f}" if n == "cosine" else f"{m:>12.1f}"
                    for n, m in zip(names, means, strict=True)
                )
            )
        if args.verbose:
            print("verified grader failures:")
            for failure in results["verified"]["failures"]:  # type: ignore[attr-defined]
                print("  " + failure)


if __name__ == "__main__":
    main()
