"""Fit the step from key-point judgements to the 0-100 score on the corpus's training split.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/fit_scoring.py [--verifier V] [--premise P]`.

Screening, alignment and verification run once per answer of the authored corpus's training
split (general and bank parts); then only `score` and `explain` (arithmetic) are re-run for
every point of a grid over the parameters that turn judgements into a score: the weight of the
key points' credit against whole-answer similarity and word overlap, the entailment that earns
full credit, the cost of a contradiction, and the thresholds of covered / contradicted. Each
setting is judged by the Pearson correlation of its score with the examiner's and by three-way
key-point accuracy, on the training split only. The contradiction threshold is then chosen on
the validation split for precision (the issue asks that a ≠ shown be one an examiner would also
mark wrong): the lowest threshold whose precision there reaches `--precision`.
Printed: the best settings, and the validation figures of the chosen one.

`--labelled` adds the one labelled set of answers to bank questions that parameters may be
chosen on (`bench/data/labelled_answers.jsonl`, never the held-out ones) to the objective: the
corpus's examiners score a confidently wrong answer about as high as a vague one (9.9 against
8.4 on average), so the examiner's score alone cannot teach the step to put wrong answers
below vague ones, which the product must. Each setting is then judged by the sum of the
training Pearson, the labelled set's pairwise ordering and its share of wrong answers below
vague ones.

`--kinds` judges settings instead by the ordering of the training split's own answers: each
question's answers of the kinds that match the quality levels of `bench/grading_quality.py`
(complete > partial > vague > confidently wrong > off-topic) must be scored in that order, and
the wrong one below the vague one. The corpus's training split is the fit's data in both parts
(general and bank questions), so nothing held out is looked at, and its 120 sampled questions
give some 1,300 ordered pairs where the labelled set gives 250. Each setting is judged by the
sum of the training Pearson, that pairwise ordering and the share of wrong below vague.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import statistics
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "verifier"))

from authored import Item, read_corpus  # noqa: E402

from assistant.grading.align import Aligner  # noqa: E402
from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.explain import explain  # noqa: E402
from assistant.grading.parameters import (  # noqa: E402
    DEFAULT_PARAMETERS,
    THRESHOLDS_STEP,
    ScoringParameters,
)
from assistant.grading.score import score  # noqa: E402
from assistant.grading.screen import screen  # noqa: E402
from assistant.grading.verify import load_verifier, verify_many  # noqa: E402
from bench.grading_corpus import LABEL_OF, judge, target_of  # noqa: E402

KIND_LEVELS = {
    "complete": "complete",
    "partial": "good",
    "vague": "vague",
    "wrong": "wrong",
    "off-topic": "off-topic",
}
"""The corpus's answer kinds that stand for `bench/grading_quality.py`'s quality levels."""

GRID = {
    "verified_weight_key_points": (0.75, 0.85, 0.95),
    "entailment_full": (0.5, 0.7, 0.9),
    "contradiction_cost": (0.5, 1.0, 1.5),
    "entailed_at": (0.4, 0.5, 0.6),
}
LABELLED_GRID = {
    "verified_weight_key_points": (0.75, 0.85, 0.95, 1.0),
    "entailment_full": (0.5, 0.7, 0.9),
    "contradiction_cost": (0.5, 1.0, 1.5, 2.0, 3.0),
    "entailed_at": (0.4, 0.5),
}

ORDER_COLUMNS = {
    "examiner": "",
    "labelled": ", labelled pairwise, wrong below vague",
    "kinds": ", training pairwise by kind, wrong below vague",
}
"""Per objective, the names of the ordering columns printed after the examiner's."""


def stage_outputs(items: list[Item], aligner: Aligner, verifier: object, params: ScoringParameters):
    """(screening, segmentation, alignment, verification) of every answer, in item order."""
    return work_outputs(
        [(target_of(i), a.text) for i in items for a in i.answers], aligner, verifier, params
    )


def work_outputs(work: list, aligner: Aligner, verifier: object, params: ScoringParameters):
    """(screening, segmentation, alignment, verification) of each (target, answer), in order."""
    screenings = [screen(t, text, params) for t, text in work]
    segmentations = [aligner.segment(s) for s in screenings]
    alignments = aligner.align_many(list(zip(screenings, segmentations, strict=True)))
    verifications = verify_many(
        verifier,  # type: ignore[arg-type]
        [
            (s.graded, [t for _, t in s.target.points()], a)
            for s, a in zip(screenings, alignments, strict=True)
        ],
        premise=params.verify_premise,
        max_words=params.premise_max_words,
    )
    return list(zip(screenings, segmentations, alignments, verifications, strict=True))


def evaluate(items: list[Item], outputs: list, params: ScoringParameters) -> dict[str, float]:
    """Pearson with the examiner, three-way accuracy, contradiction precision and recall (as
    `bench/grading_corpus.py` judges them), and the mean absolute score error."""
    grades = [explain(s, seg, score(s, a, v, params), params=params) for s, seg, a, v in outputs]
    predicted = [[LABEL_OF[p.status] for p in g.key_points] for g in grades]
    found = judge(items, predicted, [g.score for g in grades], [g.verdict.value for g in grades])
    truth = [a.score for i in items for a in i.answers]
    return {
        "pearson": float(found["pearson"]),  # type: ignore[arg-type]
        "spearman": float(found["spearman"]),  # type: ignore[arg-type]
        "accuracy": found["accuracy"]["all"],  # type: ignore[index]
        "precision": float(found["contradiction_precision"]),  # type: ignore[arg-type]
        "recall": float(found["contradiction_recall"]),  # type: ignore[arg-type]
        "flagged": float(found["flagged"]),  # type: ignore[arg-type]
        "mean_abs_error": statistics.mean(
            abs(g.score - t) for g, t in zip(grades, truth, strict=True)
        ),
    }


def labelled_work() -> tuple[list, list[dict]]:
    """The labelled set's (target, answer) pairs, and its rows (question, language, level)."""
    from bench.grading_quality import read_sets

    _, rows, targets = read_sets(["labelled"])
    return [(t, r["answer"]) for t, r in zip(targets, rows, strict=True)], rows


def labelled_ordering(rows: list[dict], outputs: list, params: ScoringParameters):
    """`bench/grading_quality.py`'s ordering figures of the labelled set under `params`."""
    from bench.grading_quality import by_question, ordering

    scores = [
        float(explain(s, seg, score(s, a, v, params), params=params).score)
        for s, seg, a, v in outputs
    ]
    return ordering(by_question(rows, scores))


def kind_ordering(items: list[Item], outputs: list, params: ScoringParameters):
    """`bench/grading_quality.py`'s ordering figures of the corpus answers whose kind stands
    for a quality level (`KIND_LEVELS`), each question and language apart, under `params`."""
    from bench.grading_quality import by_question, ordering

    answers = [(i, a) for i in items for a in i.answers]
    chosen = [n for n, (_, a) in enumerate(answers) if a.kind in KIND_LEVELS]
    rows = [
        {"question_id": i.id, "lang": i.lang, "level": KIND_LEVELS.get(a.kind, "")}
        for i, a in answers
    ]
    scores = [0.0] * len(answers)
    for n in chosen:
        s, seg, a, v = outputs[n]
        scores[n] = float(explain(s, seg, score(s, a, v, params), params=params).score)
    return ordering(by_question(rows, scores, chosen))


def read_cache(path: Path | None, key: tuple) -> tuple[list, list] | None:
    """The stages' outputs kept by an earlier run with the same `key`, if any."""
    if path is None or not path.exists():
        return None
    with path.open("rb") as f:
        found_key, outputs = pickle.load(f)  # a file this script wrote
    return outputs if found_key == key else None


def write_cache(path: Path, key: tuple, outputs: tuple[list, list]) -> None:
    """Keep the stages' outputs for the next run (a new file, then renamed over the old)."""
    part = path.with_name(path.name + ".part")
    with part.open("wb") as f:
        pickle.dump((key, outputs), f)
    part.replace(path)


def corpus_outputs(
    train: list[Item],
    valid: list[Item],
    verifier_name: str,
    params: ScoringParameters,
    cache: Path | None,
    key: tuple,
) -> tuple[list, list]:
    """The stages' outputs of the training and validation items: read from `cache` when it
    holds them for `key`, else computed (the models loaded only then) and kept there."""
    cached = read_cache(cache, key)
    if cached:
        return cached
    aligner = Aligner(load_backend(), None, params)
    verifier = load_verifier(verifier_name)
    outputs = (
        stage_outputs(train, aligner, verifier, params),
        stage_outputs(valid, aligner, verifier, params),
    )
    if cache:
        write_cache(cache, key, outputs)
    return outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verifier", default="bundled")
    parser.add_argument("--premise", default=DEFAULT_PARAMETERS.verify_premise)
    parser.add_argument("--precision", type=float, default=0.85)
    parser.add_argument(
        "--questions", type=int, default=120, help="training questions sampled (seeded) for speed"
    )
    parser.add_argument(
        "--labelled",
        action="store_true",
        help="judge settings by the labelled set's ordering too (see the module docstring)",
    )
    parser.add_argument(
        "--kinds",
        action="store_true",
        help="judge settings by the training answers' ordering by kind (see the docstring)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        help="keep the stages' outputs (training sample and validation) in this pickle file and "
        "read them from it on the next run with the same verifier, premise and sample",
    )
    args = parser.parse_args()
    if args.labelled and args.kinds:
        parser.error("--labelled and --kinds are two different objectives: choose one")
    objective_name = "labelled" if args.labelled else "kinds" if args.kinds else "examiner"
    grid = GRID if objective_name == "examiner" else LABELLED_GRID
    # The thresholds' step, whose parameters this searches (the fitted step ignores them).
    base = replace(THRESHOLDS_STEP, verify_premise=args.premise)
    corpus = read_corpus()
    train = [i for i in corpus if i.split == "train"]
    if args.questions and args.questions < len(train):
        import random

        train = random.Random(5).sample(train, args.questions)
    valid = [i for i in corpus if i.split == "validation"]
    key = (args.verifier, args.premise, args.questions)
    train_out, valid_out = corpus_outputs(train, valid, args.verifier, base, args.cache, key)
    if args.labelled:
        work, rows = labelled_work()
        aligner = Aligner(load_backend(), None, base)
        labelled_out = work_outputs(work, aligner, load_verifier(args.verifier), base)
    results = []
    for values in itertools.product(*grid.values()):
        params = replace(base, **dict(zip(grid, values, strict=True)))
        found = evaluate(train, train_out, params)
        objective = found["pearson"] + found["accuracy"]
        if objective_name != "examiner":
            order = (
                labelled_ordering(rows, labelled_out, params)
                if objective_name == "labelled"
                else kind_ordering(train, train_out, params)
            )
            right, total = order["wrong_below_vague"]  # type: ignore[misc]
            found["pairwise"], found["wrong_below_vague"] = order["pairwise"], right / total  # type: ignore[assignment]
            objective = found["pearson"] + found["pairwise"] + found["wrong_below_vague"]
        results.append((objective, values, found))
    results.sort(key=lambda r: r[0], reverse=True)
    ordered = objective_name != "examiner"
    extra = ORDER_COLUMNS[objective_name]
    print("  ".join(grid) + f"  ->  train: pearson, accuracy, contradiction P/R, MAE{extra}")
    for _, values, f in results[:10]:
        print(
            f"{values}  ->  {f['pearson']:.3f}  {f['accuracy']:.3f}  "
            f"{f['precision']:.3f}/{f['recall']:.3f}  {f['mean_abs_error']:.1f}"
            + (f"  {f['pairwise']:.3f}  {f['wrong_below_vague']:.3f}" if ordered else "")
        )
    chosen = replace(base, **dict(zip(grid, results[0][1], strict=True)))
    print("\ncontradicted_at on validation: threshold -> precision / recall")
    picked = None
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        f = evaluate(valid, valid_out, replace(chosen, contradicted_at=threshold))
        print(f"  {threshold:.2f} -> {f['precision']:.3f} / {f['recall']:.3f}")
        if picked is None and f["precision"] >= args.precision:
            picked = threshold
    final = replace(chosen, contradicted_at=picked or 0.95)
    f = evaluate(valid, valid_out, final)
    print(f"\nchosen: {dict(zip(grid, results[0][1], strict=True))}, contradicted_at {picked}")
    print(
        f"validation: pearson {f['pearson']:.3f}, spearman {f['spearman']:.3f}, accuracy "
        f"{f['accuracy']:.3f}, contradiction P/R {f['precision']:.3f}/{f['recall']:.3f}"
    )


if __name__ == "__main__":
    main()
