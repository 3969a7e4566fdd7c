"""Warm grading latency of one 150-word answer against 5 key points: the grader with its
verifier, by similarity alone, and a bare model.encode, side by side in one run.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_speed.py [--runs N] [--words N]`.

"Warm" means the models are loaded and the question's reference and key points are already in
the embedding cache, as during an interview after the first answer. The timings are taken in
the same run, interleaved, so machine load affects them alike. Target: verified grading p95 <=
150 ms. `--words` also times answers of that many words (repeating the answer), to show that
grading cost grows linearly with length up to the bound (3,000 words).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.grading.backend import load_backend  # noqa: E402
from assistant.grading.cache import EmbeddingCache  # noqa: E402
from assistant.grading.pipeline import Grader  # noqa: E402
from assistant.grading.target import GradingTarget  # noqa: E402
from assistant.grading.verify import load_verifier  # noqa: E402

TARGET = GradingTarget(
    question="How do you ensure high availability and fault tolerance for ML models in production?",
    reference=(
        "Deploy the model in several availability zones or regions with automated failover. "
        "Load balancers spread traffic to avoid bottlenecks. Redundant instances, regular "
        "backups and health checks let the system tolerate failures, and managed load "
        "balancing with auto-scaling replaces failed instances without downtime."
    ),
    key_points=[
        ("zones", "Deploy the model across several availability zones or regions."),
        ("failover", "Automated failover redirects traffic to healthy instances."),
        ("balancers", "Load balancers distribute traffic across instances to avoid bottlenecks."),
        ("redundancy", "Redundant instances and regular backups let the system tolerate failures."),
        ("health", "Health checks detect failing instances so they can be taken out of service."),
    ],
)

ANSWER = (
    "I start by deploying the model to at least two availability zones, and for critical "
    "services to a second region, so that losing one data centre does not take the service "
    "down. In front of the replicas sits a load balancer that spreads requests evenly, which "
    "also stops one instance from becoming a bottleneck. Each replica exposes a health check "
    "endpoint; when it fails, the balancer stops routing traffic there and auto-scaling "
    "starts a fresh instance. Failover between regions is automated with DNS health checks, "
    "so nobody has to wake up at night to switch traffic. We keep backups of the model "
    "artefacts and of the feature store, and we test restoring them every quarter. Finally, "
    "we run game days where we kill instances on purpose, to check that the redundancy "
    "really works and that latency stays within its target while it happens."
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--verifier", default="bundled", help="bundled, a path, or a name")
    parser.add_argument("--words", type=int, nargs="*", default=[1000, 2000, 3000, 6000])
    args = parser.parse_args()

    backend = load_backend()
    verified = Grader(backend, EmbeddingCache(None), verifier=load_verifier(args.verifier))
    similarity = Grader(backend, EmbeddingCache(None))
    verified.warm_up([TARGET])
    similarity.warm_up([TARGET])
    model = backend.model
    for _ in range(5):
        verified.grade(TARGET, ANSWER)
        similarity.grade(TARGET, ANSWER)
        model.encode([ANSWER], normalize_embeddings=True)

    timings: dict[str, list[float]] = {
        "grader + verifier (warm)": [],
        "grader, similarity alone": [],
        "bare model.encode": [],
    }
    calls = (
        lambda: verified.grade(TARGET, ANSWER),
        lambda: similarity.grade(TARGET, ANSWER),
        lambda: model.encode([ANSWER], normalize_embeddings=True),
    )
    for _ in range(args.runs):
        for values, call in zip(timings.values(), calls, strict=True):
            started = time.perf_counter()
            call()
            values.append((time.perf_counter() - started) * 1000)
    grade = verified.grade(TARGET, ANSWER)

    words = len(ANSWER.split())
    print(f"answer: {words} words, {len(TARGET.key_points)} key points, {args.runs} runs each")
    print(
        f"verified grade: score {grade.score} ({grade.verdict.value}), "
        + ", ".join(f"{k.id} {k.status.value}" for k in grade.key_points)
    )
    print(f"\n{'':28}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for label, values in timings.items():
        print(
            f"{label:28}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}"
            f"{statistics.mean(values):>10.1f}"
        )
    print("\ntarget: verified grading p95 <= 150 ms")
    if args.words:
        print(f"\n{'long answers (verified)':28}{'ms':>10}{'ms / 1,000 words':>18}")
        for count in args.words:
            long_answer = " ".join((ANSWER.split() * (count // words + 1))[:count])
            started = time.perf_counter()
            long_grade = verified.grade(TARGET, long_answer)
            ms = (time.perf_counter() - started) * 1000
            graded = min(count, verified.params.max_graded_words)
            note = " (graded on a prefix)" if long_grade.notes and count > graded else ""
            print(f"{f'{count} words':28}{ms:>10.0f}{ms / graded * 1000:>18.0f}{note}")


if __name__ == "__main__":
    main()
