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
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "verifier"))

from authored import Item, read_corpus  # noqa: E402

from assistant.grading.labelled import LABEL_OF, judge, target_of  # noqa: E402
from assistant.grading.labelled import grade_items as graded_by  # noqa: E402
from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters  # noqa: E402

__all__ = ["LABEL_OF", "judge", "target_of"]  # the package's, as bench/fit_scoring.py imports them


def chosen_items(split: str, part: str) -> list[Item]:
    """The corpus items of one part on one side of the split."""
    return [i for i in read_corpus() if i.part == part and i.split == split]


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
    found = graded_by(items, grader)
    return found.labels, found.scores, found.verdicts


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
