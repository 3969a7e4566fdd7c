"""Can the embedding model tell a confidently wrong answer from a right one? Prints the numbers.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/pitfall_detection.py [--model NAME_OR_PATH]`.

The bank lists, per question, common wrong claims (pitfalls) with their corrections. The obvious
detector flags an answer sentence that is close to a pitfall's claim and closer to it than to
the key point the claim contradicts (or than to the claim's own correction). This bench measures
that signal on both labelled sets (bench/data/*_answers.jsonl), as the probability that a
"wrong" answer gets a higher detector value than a "complete", "good" or "vague" answer to the
same bank (AUC: 0.5 is chance, 1.0 perfect), and the share of each level flagged at a few
thresholds. With all-MiniLM-L6-v2 the AUC stays near 0.8 and a threshold that catches most
wrong answers also flags many right ones, which is why the grader does not use it to mark
answers down: it would tell candidates who were right that they made a mistake.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.backend import DEFAULT_MODEL, load_backend  # noqa: E402
from assistant.grading.cache import EmbeddingCache  # noqa: E402
from assistant.grading.scorer import (  # noqa: E402
    DEFAULT_PARAMETERS,
    Grader,
    GradingTarget,
    _candidates,
    _demote,
)
from assistant.knowledge.loader import load_bank  # noqa: E402

LEVELS = ("complete", "good", "vague", "wrong")
SETS = ("labelled_answers.jsonl", "heldout_answers.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    bank = load_bank([ROOT / "knowledge"]).bank
    backend = load_backend(args.model)
    grader = Grader(backend, EmbeddingCache(None), bank.version)
    share = DEFAULT_PARAMETERS.question_demotion

    rows = []
    for name in SETS:
        for line in (ROOT / "bench/data" / name).read_text().splitlines():
            row = json.loads(line)
            if row["level"] in LEVELS and bank.get(row["question_id"]) is not None:
                rows.append(row)
    questions = [bank.questions[row["question_id"]] for row in rows]
    targets = [
        GradingTarget.from_question(question, row["lang"])
        for question, row in zip(questions, rows, strict=True)
    ]
    evidence = grader.collect_many([(t, r["answer"]) for t, r in zip(targets, rows, strict=True)])

    # Per answer, the strongest signal over its question's pitfalls.
    signals: dict[str, dict[str, list[float]]] = {
        "claim similarity": defaultdict(list),
        "claim minus key point": defaultdict(list),
        "claim minus correction": defaultdict(list),
    }
    for row, question, target, ev in zip(rows, questions, targets, evidence, strict=True):
        lang = row["lang"]
        _, vectors = _candidates(ev, DEFAULT_PARAMETERS)
        q = ev.question_vector
        pieces = _demote(vectors, q, share)
        claims = _demote(backend.encode([p.claim.get(lang) for p in question.pitfalls]), q, share)
        fixes = _demote(
            backend.encode([p.correction.get(lang) for p in question.pitfalls]), q, share
        )
        points = _demote(ev.point_vectors, q, share)
        ids = [pid for pid, _ in target.points()]
        claim_sim, fix_sim, point_sim = claims @ pieces.T, fixes @ pieces.T, points @ pieces.T
        best = {name: -9.0 for name in signals}
        for i, pitfall in enumerate(question.pitfalls):
            j = int(claim_sim[i].argmax())
            rival = (
                point_sim[ids.index(pitfall.key_point), j]
                if pitfall.key_point in ids
                else point_sim[:, j].max()
            )
            best["claim similarity"] = max(best["claim similarity"], float(claim_sim[i, j]))
            best["claim minus key point"] = max(
                best["claim minus key point"], float(claim_sim[i, j] - rival)
            )
            best["claim minus correction"] = max(
                best["claim minus correction"], float(claim_sim[i, j] - fix_sim[i, j])
            )
        for name, value in best.items():
            signals[name][row["level"]].append(value)

    print(f"model {backend.model_id}; {len(rows)} answers from {', '.join(SETS)}")
    print(f"\nAUC of 'wrong' against{'':14}" + "".join(f"{lv:>10}" for lv in LEVELS[:3]))
    for name, by_level in signals.items():
        wrong = np.array(by_level["wrong"])
        aucs = [
            float(np.mean(wrong[:, None] > np.array(by_level[lv])[None, :])) for lv in LEVELS[:3]
        ]
        print(f"  {name:34}" + "".join(f"{a:>10.3f}" for a in aucs))
    print("\nshare flagged by 'claim minus key point' >= threshold:")
    print(f"  {'threshold':12}" + "".join(f"{lv:>10}" for lv in LEVELS))
    values = signals["claim minus key point"]
    for threshold in (0.05, 0.10, 0.15, 0.20):
        shares = [float(np.mean(np.array(values[lv]) >= threshold)) for lv in LEVELS]
        print(f"  {threshold:<12.2f}" + "".join(f"{s:>10.2f}" for s in shares))


if __name__ == "__main__":
    main()
