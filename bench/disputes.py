"""Does the verifier learn from settled disputes? Agreement before and after training on 200 pairs.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/disputes.py [--pairs 200] [--seed 22]
[--out verifier/build/disputes-bench] [--reuse]` (measured on this project's 2 CPU cores, while
another job shared them: 89 training steps in 16.5 minutes, 20 with loading the data; then 12
minutes grading the validation split with each verifier).

1. From the authored corpus's validation split (general questions no training or tuning choice
   looks at), answers are drawn (seeded) until `--pairs` (answer, key point) pairs are taken,
   the last answer cut to the key points needed. They play settled disputes: each answer is
   written as a dispute line (`assistant.grading.labelled`, part and kind `dispute`), as
   `mock-interview disputes export` writes a dispute a mentor settled.
2. The shipped adapter is trained on with them, as a team would (`verifier/train.py --init
   assistant/grading/weights/verifier --extra ...`): the disputes, seen `--repeat` times,
   beside a replay of `--replay` pairs of the corpus's training split (a seeded sample of its
   answers, general and bank parts) and `--nli-sample` pairs of the public NLI sets, so the
   adapter does not forget what it knew: one epoch, learning rate 3e-4.
3. The REST of the validation split (every answer none of whose pairs was a dispute; other
   answers to the disputed questions stay, as a team's next candidates answer the questions
   that were disputed) is graded by the product's grader with the shipped verifier, then with
   the new one, and the agreement with the labels is printed as `mock-interview verifier check`
   prints it. The agreement on the disputes themselves follows, as a check that training took
   (they were trained on: it measures nothing else).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "verifier"))

from authored import read_corpus  # noqa: E402

from assistant.grading.labelled import (  # noqa: E402
    DISPUTE,
    Item,
    agreement_lines,
    grade_items,
    judge,
    line_of,
    read_labelled,
)

SHIPPED = ROOT / "assistant" / "grading" / "weights" / "verifier"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200, help="(answer, key point) disputes")
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--repeat", type=int, default=3, help="times each dispute is seen")
    parser.add_argument("--replay", type=int, default=1200, help="corpus training pairs replayed")
    parser.add_argument("--nli-sample", type=int, default=1000, help="public NLI pairs replayed")
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--out", type=Path, default=ROOT / "verifier" / "build" / "disputes-bench")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the adapter already in --out, if there"
    )
    return parser.parse_args()


def draw_disputes(
    validation: list[Item], pairs: int, rng: random.Random
) -> tuple[list[Item], list[Item]]:
    """(disputes, rest): `pairs` pairs of seeded answers as dispute lines, one answer a line;
    and the validation items without those answers."""
    answers = [(item, answer) for item in validation for answer in item.answers]
    rng.shuffle(answers)
    disputes: list[Item] = []
    taken: set[tuple[str, str]] = set()
    left = pairs
    for item, answer in answers:
        if left <= 0:
            break
        points = item.key_points[:left]
        left -= len(points)
        taken.add((item.id, answer.id))
        disputes.append(
            replace(
                item,
                id=f"dispute-{item.id}-{answer.id}",
                part=DISPUTE,
                key_points=points,
                answers=(
                    replace(
                        answer,
                        kind=DISPUTE,
                        labels={k.id: answer.labels[k.id] for k in points},
                    ),
                ),
            )
        )
    rest = [
        replace(item, answers=tuple(a for a in item.answers if (item.id, a.id) not in taken))
        for item in validation
    ]
    return disputes, [item for item in rest if item.answers]


def draw_replay(train: list[Item], pairs: int, rng: random.Random) -> list[Item]:
    """Seeded answers of the corpus's training split, about `pairs` pairs, grouped by item."""
    answers = [(item, answer) for item in train for answer in item.answers]
    rng.shuffle(answers)
    chosen: dict[str, list[str]] = {}
    for item, answer in answers:
        if pairs <= 0:
            break
        chosen.setdefault(item.id, []).append(answer.id)
        pairs -= len(item.key_points)
    return [
        replace(item, answers=tuple(a for a in item.answers if a.id in chosen[item.id]))
        for item in train
        if item.id in chosen
    ]


def write_lines(path: Path, items: list[Item]) -> None:
    """`items` as lines of the corpus's format."""
    path.write_text(
        "".join(json.dumps(line_of(i), ensure_ascii=False) + "\n" for i in items),
        encoding="utf-8",
    )


def train(args: argparse.Namespace, disputes: Path, replay: Path, empty: Path) -> float:
    """Continue the shipped adapter on the disputes and the replay into `args.out`; minutes."""
    command = [
        sys.executable,
        str(ROOT / "verifier" / "train.py"),
        "--recipe",
        "corpus",
        "--init",
        str(SHIPPED),
        "--corpus",
        str(empty),  # the replay file stands for the corpus: no whole epoch of it
        "--extra",
        *[str(disputes)] * args.repeat,
        str(replay),
        "--nli-sample",
        str(args.nli_sample),
        "--epochs",
        "1",
        "--lr",
        str(args.lr),
        "--seed",
        str(args.seed),
        "--out",
        str(args.out),
    ]
    print("$ " + " ".join(c.replace(str(ROOT) + "/", "") for c in command), flush=True)
    began = time.time()
    subprocess.run(command, check=True, cwd=ROOT)
    return (time.time() - began) / 60


def measure(name: str, sets: dict[str, list[Item]]) -> dict[str, dict[str, object]]:
    """Each set graded with verifier `name`; its agreement printed and returned."""
    from assistant.grading.backend import load_backend
    from assistant.grading.cache import EmbeddingCache
    from assistant.grading.pipeline import Grader
    from assistant.grading.verify import load_verifier

    grader = Grader(load_backend(), EmbeddingCache(None), "corpus", verifier=load_verifier(name))
    found: dict[str, dict[str, object]] = {}
    for label, items in sets.items():
        began = time.time()
        predictions = grade_items(items, grader)
        figures = judge(items, predictions.labels, predictions.scores, predictions.verdicts)
        print(f"\n== verifier {name!r} on {label} ({time.time() - began:.0f}s)")
        for line in agreement_lines(figures):
            print(line)
        found[label] = figures
    return found


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    corpus = read_corpus()
    validation = [i for i in corpus if i.split == "validation"]
    disputes, rest = draw_disputes(validation, args.pairs, rng)
    replay = draw_replay([i for i in corpus if i.split == "train"], args.replay, rng)
    data = args.out.with_name(args.out.name + "-data")
    (data / "empty").mkdir(parents=True, exist_ok=True)
    write_lines(data / "disputes.jsonl", disputes)
    write_lines(data / "replay.jsonl", replay)
    # The disputes are read back by the product's reader, as `verifier check` reads an export.
    disputes, problems = read_labelled(data / "disputes.jsonl", {})
    assert not problems, problems[:1]
    print(
        f"disputes: {sum(i.pairs for i in disputes)} pairs of {len(disputes)} answers to "
        f"{len({i.question for i in disputes})} validation questions; rest of the split: "
        f"{sum(i.pairs for i in rest)} pairs of {sum(len(i.answers) for i in rest)} answers; "
        f"replay: {sum(i.pairs for i in replay)} corpus pairs, {args.nli_sample} NLI pairs",
        flush=True,
    )
    if args.reuse and (args.out / "adapter_model.safetensors").is_file():
        print(f"reusing the adapter in {args.out}")
    else:
        minutes = train(args, data / "disputes.jsonl", data / "replay.jsonl", data / "empty")
        print(f"trained in {minutes:.1f} min", flush=True)
    sets = {"the rest of the validation split": rest, "the disputes (trained on)": disputes}
    before = measure("bundled", sets)
    after = measure(str(args.out), sets)
    print("\n== after - before, three-way accuracy")
    for label in sets:
        old, new = before[label]["accuracy"], after[label]["accuracy"]
        assert isinstance(old, dict) and isinstance(new, dict)
        print(f"{label}: " + ", ".join(f"{k} {new[k] - old[k]:+.3f}" for k in old))


if __name__ == "__main__":
    main()
