"""Does the grader order answers of known quality? Prints the numbers, grader beside plain cosine.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_quality.py [--labelled FILE...] [--verbose]`.

Two labelled sets, on different bank questions, by different authors: labelled_answers.jsonl
(written with the grader, 12 questions) and heldout_answers.jsonl (written afterwards by someone
who saw neither the grader nor the bank beyond the 12 other questions' texts; never used to
choose a parameter). Both are read by default. Each holds answers written at
known levels: complete > good > vague > wrong (confidently wrong, reusing the right words) >
off-topic, plus adversarial answers (restated question, keyword list, "I don't know") that must
score below the vague answer to the same question in the same language. Each answer is graded
against the shipped bank's reference and key points in the answer's language.

Printed: pairwise ordering accuracy over all pairs of levels (target >= 0.95), the same per pair
of levels, and the share of adversarial answers below the vague one (target >= 0.90), each for
the grader and for plain cosine (whole answer vs reference with the same model).
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.cache import EmbeddingCache  # noqa: E402
from assistant.grading.pipeline import Grader, GradingTarget  # noqa: E402
from assistant.knowledge.loader import load_bank  # noqa: E402

LEVELS = ("complete", "good", "vague", "wrong", "off-topic")
"""Quality levels, best first: each pair must be scored in this order."""
ADVERSARIAL = ("restated", "keywords", "dont-know")
"""Answers that must score below the vague answer to the same question."""

Scores = dict[tuple[str, str], dict[str, float]]


def ordering(scores: Scores) -> tuple[float, dict[str, tuple[int, int]], float, list[str]]:
    """Pairwise accuracy, per-pair counts, adversarial-below-vague rate, and the failures."""
    right = total = adv_right = adv_total = 0
    per_pair: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: list[str] = []
    for (qid, lang), by_level in sorted(scores.items()):
        for better, worse in itertools.combinations(LEVELS, 2):
            if better in by_level and worse in by_level:
                ok = by_level[better] > by_level[worse]
                right += ok
                total += 1
                per_pair[f"{better} > {worse}"][0] += ok
                per_pair[f"{better} > {worse}"][1] += 1
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
    pairs = {k: (v[0], v[1]) for k, v in per_pair.items()}
    return right / max(1, total), pairs, adv_right / max(1, adv_total), failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--labelled",
        type=Path,
        nargs="+",
        default=[
            ROOT / "bench/data/labelled_answers.jsonl",
            ROOT / "bench/data/heldout_answers.jsonl",
        ],
    )
    parser.add_argument("--verbose", action="store_true", help="list every misordered pair")
    args = parser.parse_args()

    bank = load_bank([ROOT / "knowledge"]).bank
    rows = [
        json.loads(line)
        for path in args.labelled
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    known = [r for r in rows if bank.get(r["question_id"]) is not None]
    skipped = sorted({r["question_id"] for r in rows} - {r["question_id"] for r in known})

    backend = load_backend()
    grader = Grader(backend, EmbeddingCache(None), bank.version)
    targets = []
    for r in known:
        question = bank.get(r["question_id"])
        assert question is not None
        targets.append(GradingTarget.from_question(question, r["lang"]))
    grades = grader.grade_many([(t, r["answer"]) for t, r in zip(targets, known, strict=True)])

    model = backend.model
    answers = model.encode([r["answer"] for r in known], normalize_embeddings=True)
    references = model.encode([t.reference for t in targets], normalize_embeddings=True)
    cosines = (answers * references).sum(axis=1)

    graded: Scores = defaultdict(dict)
    plain: Scores = defaultdict(dict)
    for r, grade, cos in zip(known, grades, cosines, strict=True):
        key = (r["question_id"], r["lang"])
        graded[key][r["level"]] = grade.score
        plain[key][r["level"]] = float(cos)

    langs = sorted({r["lang"] for r in known})
    per_lang = ", ".join(f"{lang}: {sum(r['lang'] == lang for r in known)}" for lang in langs)
    print(f"sets: {', '.join(path.name for path in args.labelled)}")
    print(
        f"labelled answers: {len(known)} on {len(graded)} question/language pairs "
        f"({per_lang}); bank {bank.version}"
    )
    if skipped:
        print(f"skipped (question not in the bank): {', '.join(skipped)}")
    results = {"grader": ordering(graded), "plain cosine": ordering(plain)}
    print(f"\n{'':34}{'grader':>10}{'plain cosine':>14}")
    print(
        f"{'pairwise ordering accuracy':34}{results['grader'][0]:>10.3f}"
        f"{results['plain cosine'][0]:>14.3f}   (target >= 0.95)"
    )
    no_wrong = {
        name: ordering({k: {lv: v for lv, v in d.items() if lv != "wrong"} for k, d in sc.items()})[
            0
        ]
        for name, sc in (("grader", graded), ("plain cosine", plain))
    }
    print(
        f"{'  same, without the wrong level':34}{no_wrong['grader']:>10.3f}"
        f"{no_wrong['plain cosine']:>14.3f}"
    )
    print(
        f"{'adversarial below vague':34}{results['grader'][2]:>10.3f}"
        f"{results['plain cosine'][2]:>14.3f}   (target >= 0.90)"
    )
    for lang in langs:
        sub_g = {k: v for k, v in graded.items() if k[1] == lang}
        sub_p = {k: v for k, v in plain.items() if k[1] == lang}
        g, p = ordering(sub_g), ordering(sub_p)
        print(f"{'  pairwise, ' + lang + ' only':34}{g[0]:>10.3f}{p[0]:>14.3f}")
        print(f"{'  adversarial, ' + lang + ' only':34}{g[2]:>10.3f}{p[2]:>14.3f}")
    print("\nper pair of levels (right / total):")
    for pair, (ok, n) in results["grader"][1].items():
        pok, pn = results["plain cosine"][1][pair]
        print(f"  {pair:30}{f'{ok}/{n}':>10}{f'{pok}/{pn}':>14}")
    print("\nmean grader score by level (min-max):")
    for level in (*LEVELS, *ADVERSARIAL):
        values = [by[level] for by in graded.values() if level in by]
        if values:
            print(
                f"  {level:12}{statistics.mean(values):6.1f}  ({min(values):.0f}-{max(values):.0f})"
            )
    if args.verbose:
        print("\ngrader failures:")
        for failure in results["grader"][3]:
            print("  " + failure)


if __name__ == "__main__":
    main()
