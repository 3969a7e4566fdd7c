"""How the grader judges the authored corpus: key point by key point, and as an examiner scores.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_corpus.py [--split validation|train]
[--part general|bank] [--verifier V ...] [--premise answer|windows|spans]`; a verifier given as
`previous:PATH` is read as the previous release read its own (spans, its parameters), so
`--verifier previous:OLD bundled` prints before and after in one run.

Every answer of the chosen slice of `verifier/corpus/` (default: the general part's validation
split, questions no training or tuning choice looks at) is graded by the product's pipeline,
once per verifier named, and compared with the examiner's labels:
- three-way accuracy per (answer, key point), English and French apart: covered = stated,
  contradicted = contradicted, partly covered or missed = not stated;
- contradiction precision and recall (the ≠ mark against the examiner's "contradicted");
- Pearson and Spearman correlation of the 0-100 score with the examiner's score;
- the share of `complete` answers graded adequate or strong, and the mean score per kind.
Also printed, from the data alone, the two shortcut baselines of the data card: a classifier
that sees only the answer's length, and one that sees only the key point's words, each trained
on the training split and scored on the chosen one, against the majority label's rate.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "verifier"))

from authored import Item, read_corpus  # noqa: E402

from assistant.grading.grade import Coverage  # noqa: E402
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters  # noqa: E402
from assistant.grading.target import GradingTarget  # noqa: E402

LABEL_OF = {
    Coverage.COVERED: "stated",
    Coverage.CONTRADICTED: "contradicted",
    Coverage.PARTIAL: "not-stated",
    Coverage.MISSED: "not-stated",
}
VERDICT_RANK = {"off-target": 0, "partial": 1, "adequate": 2, "strong": 3}


def chosen_items(split: str, part: str) -> list[Item]:
    """The corpus items of one part on one side of the split."""
    return [i for i in read_corpus() if i.part == part and i.split == split]


def target_of(item: Item) -> GradingTarget:
    """What the item's answers are graded against."""
    return GradingTarget(
        question=item.question,
        reference=item.reference,
        key_points=[(k.id, k.text) for k in item.key_points],
        lang=item.lang,
    )


def ranks(values: list[float]) -> list[float]:
    """Average ranks (for Spearman)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def correlations(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """(Pearson, Spearman)."""
    if len(set(xs)) < 2 or len(set(ys)) < 2:
        return float("nan"), float("nan")
    return statistics.correlation(xs, ys), statistics.correlation(ranks(xs), ranks(ys))


def judge(
    items: list[Item], predicted: list[list[str]], scores: list[int], verdicts: list[str]
) -> dict[str, object]:
    """The figures for one grader over `items` (answers in item order)."""
    hits: dict[str, list[int]] = defaultdict(list)
    tp = flagged = gold = 0
    examiner: list[float] = []
    ours: list[float] = []
    complete_ok: list[int] = []
    by_kind: dict[str, list[int]] = defaultdict(list)
    n = 0
    for item in items:
        for answer in item.answers:
            labels = [answer.labels[k.id] for k in item.key_points]
            for truth, guess in zip(labels, predicted[n], strict=True):
                hits[item.lang].append(int(truth == guess))
                hits["all"].append(int(truth == guess))
                tp += truth == guess == "contradicted"
                flagged += guess == "contradicted"
                gold += truth == "contradicted"
            examiner.append(answer.score)
            ours.append(scores[n])
            by_kind[answer.kind].append(scores[n])
            if answer.kind == "complete":
                complete_ok.append(int(VERDICT_RANK[verdicts[n]] >= 2))
            n += 1
    pearson, spearman = correlations(ours, examiner)
    return {
        "accuracy": {k: sum(v) / len(v) for k, v in sorted(hits.items())},
        "pairs": {k: len(v) for k, v in sorted(hits.items())},
        "contradiction_precision": tp / flagged if flagged else float("nan"),
        "contradiction_recall": tp / gold if gold else float("nan"),
        "flagged": flagged,
        "pearson": pearson,
        "spearman": spearman,
        "complete_adequate_or_strong": sum(complete_ok) / max(1, len(complete_ok)),
        "mean_by_kind": {k: statistics.mean(v) for k, v in sorted(by_kind.items())},
    }


def grade_items(
    items: list[Item], verifier: str, params: ScoringParameters
) -> tuple[list[list[str]], list[int], list[str]]:
    """Each answer's predicted labels, score and verdict, by the product's grader."""
    from assistant.grading.backend import load_backend
    from assistant.grading.cache import EmbeddingCache
    from assistant.grading.pipeline import Grader
    from assistant.grading.verify import load_verifier

    grader = Grader(
        load_backend(), EmbeddingCache(None), "corpus", params, verifier=load_verifier(verifier)
    )
    work = [(target_of(item), a.text) for item in items for a in item.answers]
    grades = []
    for start in range(0, len(work), 64):
        grades += grader.grade_many(work[start : start + 64])
    predicted = [[LABEL_OF[p.status] for p in g.key_points] for g in grades]
    return predicted, [g.score for g in grades], [g.verdict.value for g in grades]


def baselines(train: list[Item], test: list[Item]) -> dict[str, float]:
    """Majority-label rate, and the accuracy of a length-only and a key-point-only classifier
    (each fitted on `train`, scored on `test`): data without shortcuts keeps both near the
    majority rate."""

    def pairs(items: list[Item]) -> list[tuple[int, str, str]]:
        return [
            (len(a.text.split()), k.text, a.labels[k.id])
            for i in items
            for a in i.answers
            for k in i.key_points
        ]

    tr, te = pairs(train), pairs(test)
    majority = Counter(label for *_, label in tr).most_common(1)[0][0]
    majority_rate = sum(label == majority for *_, label in te) / len(te)
    # Length only: the majority label of each length decile of the training answers.
    cuts = sorted(length for length, *_ in tr)
    edges = [cuts[int(len(cuts) * q / 10)] for q in range(1, 10)]

    def bucket(length: int) -> int:
        return sum(length > e for e in edges)

    by_bucket: dict[int, Counter[str]] = defaultdict(Counter)
    for length, _, label in tr:
        by_bucket[bucket(length)][label] += 1
    length_rate = sum(
        by_bucket[bucket(length)].most_common(1)[0][0] == label for length, _, label in te
    ) / len(te)
    # Key point only: multinomial naive Bayes on the key point's words.
    words: dict[str, Counter[str]] = defaultdict(Counter)
    prior: Counter[str] = Counter()
    for _, text, label in tr:
        prior[label] += 1
        words[label].update(text.lower().split())
    vocab = {w for c in words.values() for w in c}

    def guess(text: str) -> str:
        best, best_score = majority, -math.inf
        for label in prior:
            total = sum(words[label].values()) + len(vocab)
            # Words never seen in training say nothing (they would favour the rarest label).
            value = math.log(prior[label]) + sum(
                math.log((words[label][w] + 1) / total) for w in text.lower().split() if w in vocab
            )
            if value > best_score:
                best, best_score = label, value
        return best

    point_rate = sum(guess(text) == label for _, text, label in te) / len(te)
    return {"majority": majority_rate, "length_only": length_rate, "key_point_only": point_rate}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("validation", "train"), default="validation")
    parser.add_argument("--part", choices=("general", "bank"), default="general")
    parser.add_argument(
        "--verifier",
        nargs="+",
        default=["bundled"],
        help="bundled, a path or a name; previous:PATH grades as the previous release did",
    )
    parser.add_argument("--premise", choices=("answer", "windows", "spans"), default=None)
    args = parser.parse_args()
    items = chosen_items(args.split, args.part)
    answers = sum(len(i.answers) for i in items)
    langs = Counter(i.lang for i in items)
    print(
        f"corpus {args.part}/{args.split}: {len(items)} questions ({dict(langs)}), "
        f"{answers} answers"
    )
    train = [i for i in read_corpus() if i.split == "train"]
    base = baselines(train, items)
    print(
        "data baselines (accuracy on this slice): majority {majority:.3f}, length only "
        "{length_only:.3f}, key point only {key_point_only:.3f}".format(**base)
    )
    for spec in args.verifier:
        # "previous:PATH": that verifier with the previous release's parameters (spans).
        if spec.startswith("previous:"):
            from bench.releases import PREVIOUS_PARAMETERS

            name, params = spec.removeprefix("previous:"), PREVIOUS_PARAMETERS
        else:
            name, params = spec, DEFAULT_PARAMETERS
        if args.premise:
            params = replace(params, verify_premise=args.premise)
        predicted, scores, verdicts = grade_items(items, name, params)
        r = judge(items, predicted, scores, verdicts)
        acc = r["accuracy"]
        print(f"\n== verifier {name!r}, premise {params.verify_premise!r}")
        print(
            "three-way accuracy: "
            + ", ".join(f"{k} {v:.3f} ({r['pairs'][k]})" for k, v in acc.items())  # type: ignore[index, union-attr]
        )
        print(
            f"contradicted: precision {r['contradiction_precision']:.3f}, recall "
            f"{r['contradiction_recall']:.3f} ({r['flagged']} flagged)"
        )
        print(f"examiner score: Pearson {r['pearson']:.3f}, Spearman {r['spearman']:.3f}")
        print(f"complete answers graded adequate or strong: {r['complete_adequate_or_strong']:.3f}")
        print(
            "mean score by kind: " + ", ".join(f"{k} {v:.0f}" for k, v in r["mean_by_kind"].items())  # type: ignore[union-attr]
        )


if __name__ == "__main__":
    main()
