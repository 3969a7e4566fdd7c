"""Fit the grader's status step and score on the authored corpus's training split.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/fit_status.py [--verifier V] [--cache FILE]`.

Screening, alignment and verification (spans) run once per answer of the corpus's training
split (general and bank parts) and of its validation split. Then, from what the verifier read
of each key point (`assistant.grading.score.STATUS_FEATURES`):
- a multinomial logistic regression to the examiner's label (stated / not stated /
  contradicted), full-batch gradient descent from zero with a small L2 penalty (deterministic);
- a least-squares line from the mean probability that a key point is stated and the mean that
  it is contradicted to the examiner's 0-100 score, on the answers the screen does not flag;
- the probability of "contradicted" from which ≠ is shown: the lowest of a grid whose
  precision on the validation split reaches `--precision` (the issue asks that a ≠ be one an
  examiner would also mark) over at least `--min-flagged` marks (a precision of 5 of 5 says
  little), else the most precise one over that many.
Printed: the fitted parameters (to paste into `assistant/grading/parameters.py`), and on both
splits, through the product's `score` and `explain`, three-way accuracy, contradiction
precision and recall, Pearson and Spearman with the examiner, for the thresholds' step, the
fitted marks with the thresholds' score (what ships: `score_weights=()`), and both fitted.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "verifier"))

from authored import Item, read_corpus  # noqa: E402

from assistant.grading.parameters import (  # noqa: E402
    THRESHOLDS_STEP,
    ScoringParameters,
)
from assistant.grading.score import STATUS_FEATURES, status_inputs  # noqa: E402
from bench.fit_scoring import corpus_outputs, evaluate  # noqa: E402

LABELS = ("stated", "not-stated", "contradicted")
"""The examiner's labels, in the order of the fitted step's columns."""
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def examples(
    items: list[Item], outputs: list, params: ScoringParameters
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Each (answer, key point)'s features and label, and each answer's number of key points."""
    features: list[list[float]] = []
    labels: list[int] = []
    sizes: list[int] = []
    answers = [(i, a) for i in items for a in i.answers]
    for (item, answer), (screening, _, alignment, verification) in zip(
        answers, outputs, strict=True
    ):
        rows = status_inputs(screening, alignment, verification, params)
        features += rows
        labels += [LABELS.index(answer.labels[k.id]) for k in item.key_points]
        sizes.append(len(rows))
    return np.array(features), np.array(labels), sizes


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, steps: int, rate: float) -> np.ndarray:
    """Weights (features x labels) of a multinomial logistic regression, by gradient descent."""
    weights = np.zeros((x.shape[1], len(LABELS)))
    truth = np.eye(len(LABELS))[y]
    for _ in range(steps):
        probabilities = softmax(x @ weights)
        weights -= rate * (x.T @ (probabilities - truth) / len(x) + l2 * weights)
    return weights


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    odds = np.exp(logits - logits.max(axis=1, keepdims=True))
    return odds / odds.sum(axis=1, keepdims=True)


def fit_score(
    probabilities: np.ndarray, sizes: list[int], items: list[Item], outputs: list
) -> np.ndarray:
    """(a, b, c): the examiner's score as a x mean P(stated) + b x mean P(contradicted) + c,
    least squares over the answers no screen flag scales or stops."""
    rows, scores, start = [], [], 0
    answers = [a for i in items for a in i.answers]
    for answer, size, (screening, *_) in zip(answers, sizes, outputs, strict=True):
        chunk = probabilities[start : start + size]
        start += size
        flagged = screening.stops or screening.keyword_list or screening.other_language
        if flagged or not size:
            continue
        rows.append([chunk[:, 0].mean(), chunk[:, 2].mean(), 1.0])
        scores.append(answer.score)
    coefficients, *_ = np.linalg.lstsq(np.array(rows), np.array(scores, dtype=float), rcond=None)
    return np.asarray(coefficients)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verifier", default="bundled")
    parser.add_argument("--precision", type=float, default=0.85)
    parser.add_argument(
        "--min-flagged", type=int, default=30, help="marks a threshold's precision is measured on"
    )
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=0.5)
    parser.add_argument("--cache", type=Path, help="keep the stages' outputs in this file")
    args = parser.parse_args()

    # The thresholds' step (no fitted weights), which the stages' outputs do not depend on.
    base = replace(THRESHOLDS_STEP, verify_premise="spans")
    corpus = read_corpus()
    train = [i for i in corpus if i.split == "train"]
    valid = [i for i in corpus if i.split == "validation"]
    key = (args.verifier, "spans", 0)
    train_out, valid_out = corpus_outputs(train, valid, args.verifier, base, args.cache, key)

    x, y, sizes = examples(train, train_out, base)
    weights = fit_logistic(x, y, args.l2, args.steps, args.rate)
    a, b, c = fit_score(softmax(x @ weights), sizes, train, train_out)
    fitted = replace(
        base,
        status_weights=tuple(tuple(round(float(w), 4) for w in row) for row in weights),
        score_weights=(round(float(a), 2), round(float(b), 2), round(float(c), 2)),
    )
    print(f"training split: {len(train)} questions, {len(y)} pairs; features x labels {LABELS}")
    for name, row in zip(STATUS_FEATURES, fitted.status_weights, strict=True):
        print(f"  {name:40} {row}")
    print(f"score = {a:.2f} x mean P(stated) + {b:.2f} x mean P(contradicted) + {c:.2f}")

    print("\nfitted_contradicted_at on validation: threshold -> precision / recall (marks)")
    picked, best = None, (0.0, THRESHOLDS[0])
    for threshold in THRESHOLDS:
        found = evaluate(valid, valid_out, replace(fitted, fitted_contradicted_at=threshold))
        print(
            f"  {threshold:.2f} -> {found['precision']:.3f} / {found['recall']:.3f} "
            f"({found['flagged']:.0f})"
        )
        if found["flagged"] < args.min_flagged:
            continue
        if picked is None and found["precision"] >= args.precision:
            picked = threshold
        if found["precision"] > best[0]:
            best = (found["precision"], threshold)
    chosen = replace(fitted, fitted_contradicted_at=picked if picked is not None else best[1])
    print(
        f"chosen: {chosen.fitted_contradicted_at} (precision {args.precision} reached: "
        f"{picked is not None})"
    )

    print("\nsplit       step        accuracy  contradicted P / R  Pearson  Spearman")
    for split, items, outputs in (("train", train, train_out), ("validation", valid, valid_out)):
        steps = (
            ("thresholds", base),
            ("marks", replace(chosen, score_weights=())),  # what ships: the score is unchanged
            ("fitted", chosen),
        )
        for name, params in steps:
            f = evaluate(items, outputs, params)
            print(
                f"{split:11} {name:11} {f['accuracy']:.3f}     {f['precision']:.3f} / "
                f"{f['recall']:.3f}       {f['pearson']:.3f}    {f['spearman']:.3f}"
            )
    print("\nparameters:")
    print(f"    status_weights = {chosen.status_weights}")
    print(f"    score_weights = {chosen.score_weights}")
    print(f"    fitted_contradicted_at = {chosen.fitted_contradicted_at}")


if __name__ == "__main__":
    main()
