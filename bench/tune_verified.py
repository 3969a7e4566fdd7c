"""How the verifier's score parameters were chosen: a small grid on the `labelled` set only.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/tune_verified.py [--verifier V]`.

Screening, alignment and verification are computed once per answer; only the `score` stage is
re-run for each point of the grid (it is arithmetic). Printed per setting: pairwise ordering of
the five levels, wrong below vague, adversarial below vague, all on `labelled_answers.jsonl`.
The held-out sets (`heldout`, `fresh`) and Beetle's unseen questions are never read here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.align import Aligner  # noqa: E402
from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.explain import explain  # noqa: E402
from assistant.grading.parameters import DEFAULT_PARAMETERS  # noqa: E402
from assistant.grading.score import score  # noqa: E402
from assistant.grading.screen import screen  # noqa: E402
from assistant.grading.target import GradingTarget  # noqa: E402
from assistant.grading.verify import load_verifier, verify_many  # noqa: E402
from assistant.knowledge.loader import load_bank  # noqa: E402
from bench.grading_quality import ordering  # noqa: E402

GRID = {
    "verified_weight_key_points": (0.6, 0.75, 0.9),
    "contradiction_cost": (0.5, 1.0),
    "entailment_none": (0.0, 0.1),
    "entailment_full": (0.5, 0.7, 1.0),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verifier", default="bundled")
    args = parser.parse_args()
    bank = load_bank([ROOT / "knowledge"]).bank
    path = ROOT / "bench/data/labelled_answers.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    targets = []
    for r in rows:
        question = bank.get(r["question_id"])
        assert question is not None
        targets.append(GradingTarget.from_question(question, r["lang"]))
    aligner = Aligner(load_backend())
    screenings = [screen(t, r["answer"]) for t, r in zip(targets, rows, strict=True)]
    segmentations = [aligner.segment(s) for s in screenings]
    alignments = aligner.align_many(list(zip(screenings, segmentations, strict=True)))
    verifications = verify_many(
        load_verifier(args.verifier),
        [
            (s.graded, [t for _, t in s.target.points()], a)
            for s, a in zip(screenings, alignments, strict=True)
        ],
    )
    results = []
    for values in itertools.product(*GRID.values()):
        params = replace(DEFAULT_PARAMETERS, **dict(zip(GRID, values, strict=True)))
        scores: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
        final = [
            explain(s, seg, score(s, a, v, params), params=params).score
            for s, seg, a, v in zip(
                screenings, segmentations, alignments, verifications, strict=True
            )
        ]
        for r, value in zip(rows, final, strict=True):
            scores[(r["question_id"], r["lang"])][r["level"]] = value
        found = ordering(scores)
        ok, total = found["wrong_below_vague"]  # type: ignore[misc]
        complete = [value for r, value in zip(rows, final, strict=True) if r["level"] == "complete"]
        results.append(
            (found["pairwise"], ok, found["adversarial"], values, sum(complete) / len(complete))
        )
    print("  ".join(GRID) + "  ->  pairwise, wrong<vague, adversarial, mean complete")
    ranked = sorted(results, key=lambda r: (r[0] + r[1] / total, r[0]), reverse=True)
    for pairwise, ok, adversarial, values, complete in ranked[:20]:
        print(f"{values}  ->  {pairwise:.3f}  {ok}/{total}  {adversarial:.3f}  {complete:.0f}")


if __name__ == "__main__":
    main()
