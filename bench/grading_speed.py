"""Warm grading latency of one 150-word answer against 5 key points, beside a bare model.encode.

Run: `HF_HUB_OFFLINE=1 .venv/bin/python bench/grading_speed.py [--runs N]`.

"Warm" means the model is loaded and the question's reference and key points are already in the
embedding cache, as during an interview after the first answer. Both timings are taken in the
same run, interleaved, so machine load affects them alike. Target: grading p95 <= 50 ms.
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
from assistant.grading.pipeline import Grader, GradingTarget  # noqa: E402

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
    args = parser.parse_args()

    backend = load_backend()
    grader = Grader(backend, EmbeddingCache(None))
    grader.warm_up([TARGET])
    model = backend.model
    for _ in range(5):
        grader.grade(TARGET, ANSWER)
        model.encode([ANSWER], normalize_embeddings=True)

    grading: list[float] = []
    bare: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        grade = grader.grade(TARGET, ANSWER)
        grading.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        model.encode([ANSWER], normalize_embeddings=True)
        bare.append((time.perf_counter() - started) * 1000)

    words = len(ANSWER.split())
    print(f"answer: {words} words, {len(TARGET.key_points)} key points, {args.runs} runs each")
    print(
        f"grade: score {grade.score} ({grade.verdict.value}), "
        f"{len(grade.covered)} of {len(grade.key_points)} key points covered"
    )
    print(f"\n{'':28}{'p50 ms':>10}{'p95 ms':>10}{'mean ms':>10}")
    for label, values in (("grader.grade (warm)", grading), ("bare model.encode", bare)):
        print(
            f"{label:28}{percentile(values, 50):>10.1f}{percentile(values, 95):>10.1f}"
            f"{statistics.mean(values):>10.1f}"
        )
    print("\ntarget: grading p95 <= 50 ms")


if __name__ == "__main__":
    main()
