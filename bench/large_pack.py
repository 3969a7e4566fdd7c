"""Time the question-bank commands and the app's start on a pack of 10,000 questions.

Writes one valid pack of `--questions` questions (two languages, five key points, a hint, a
pitfall each: about the size of the shipped questions) in a temporary directory, then times, each
as a fresh process with its own empty user directories:

- `kb check DIR` and `kb list --kb DIR`, each the first time (empty cache) and the second
  (unchanged pack);
- the app with `--kb DIR --subject bench --questions 3`, from process start to the first question
  on screen (in tmux, as `bench/startup.py` does), the first time and the second.

`--root` runs another checkout's code (e.g. `git archive main | tar -x -C /tmp/before`), so the
same pack can be timed before and after a change:

    .venv/bin/python bench/large_pack.py [--questions 10000] [--root DIR] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from startup import time_to_text  # noqa: E402

CATEGORIES = ("design", "data", "serving", "monitoring", "teamwork")


def write_pack(path: Path, count: int) -> None:
    """A pack of `count` valid questions, spread over five categories and three difficulties."""
    lines = [
        "pack:",
        "  id: bench-large",
        '  title: {en: "A large pack", fr: "Un gros paquet"}',
        "  subject: bench",
        '  version: "1.0.0"',
        "  categories:",
    ]
    for stage, cat in enumerate(CATEGORIES, start=1):
        lines += [
            f"    - id: {cat}",
            f'      title: {{en: "Category {cat}", fr: "Catégorie {cat}"}}',
            f"      stage: {stage}",
        ]
    lines.append("questions:")
    for i in range(count):
        lines += [
            f"  - id: bench-question-{i}",
            f"    category: {CATEGORIES[i % len(CATEGORIES)]}",
            f"    difficulty: {i % 3 + 1}",
            f"    tags: [bench, topic-{i % 50}]",
            "    question:",
            f'      en: "How would you design the system number {i} for production use?"',
            f'      fr: "Comment concevriez-vous le système numéro {i} pour la production ?"',
            "    answer:",
            "      en: >-",
            f"        System {i} is designed by first stating the needs of its users, then",
            "        choosing the data it reads, the model it serves and the way it is monitored,",
            "        so that a change can be tested, shipped and rolled back without a stop.",
            "      fr: >-",
            f"        Le système {i} se conçoit en énonçant d'abord les besoins des utilisateurs,",
            "        puis en choisissant les données lues, le modèle servi et sa supervision, afin",
            "        qu'un changement soit testé, livré et annulé sans arrêter le service.",
            "    key_points:",
        ]
        for k in range(5):
            lines += [
                f"      - id: point-{k}",
                f'        en: "Point {k} of system {i} is stated as a full sentence here."',
                f'        fr: "Le point {k} du système {i} est énoncé en une phrase complète."',
            ]
        lines += [
            "    hints:",
            f'      - {{en: "Think of the users of system {i}.", fr: "Pensez aux usagers."}}',
            "    pitfalls:",
            "      - id: no-rollback",
            "        key_point: point-0",
            '        claim: {en: "A deployment never needs a rollback plan.",'
            ' fr: "Un déploiement n\'a jamais besoin de plan de retour."}',
            '        correction: {en: "Every deployment needs a way back.",'
            ' fr: "Tout déploiement a besoin d\'un retour arrière."}',
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    """Seconds one command takes, run in `cwd` (`-m` imports from there first); it must succeed."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout whose code is timed")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median shown)")
    parser.add_argument("--no-app", action="store_true", help="skip the app timings (tmux)")
    args = parser.parse_args()
    root = args.root.resolve()
    work = Path(tempfile.mkdtemp(prefix="large-pack-"))
    packs = work / "packs"
    packs.mkdir()
    write_pack(packs / "large.yaml", args.questions)
    size = (packs / "large.yaml").stat().st_size
    print(f"code: {root}")
    print(f"pack: {args.questions} questions, {size / 1e6:.1f} MB")
    python = sys.executable
    cli = [python, "-m", "assistant"]
    figures: dict[str, list[float]] = {}
    for run in range(args.runs):
        home = work / f"home{run}"
        env = {
            **os.environ,
            "PYTHONPATH": str(root),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "HF_HUB_OFFLINE": "1",
            "TERM": "xterm-256color",
        }
        env.pop("MOCK_INTERVIEW_KB", None)
        check = [*cli, "kb", "check", str(packs)]
        listing = [*cli, "kb", "list", "--kb", str(packs)]
        timings = {"kb check, first": run_timed(check, env, root)}
        timings["kb check, second"] = run_timed(check, env, root)
        # A fresh cache directory: the first `kb list` does not find what `kb check` kept.
        env["XDG_CACHE_HOME"] = str(home / "cache2")
        timings["kb list, first"] = run_timed(listing, env, root)
        timings["kb list, second"] = run_timed(listing, env, root)
        if not args.no_app:
            tmux_env = {k: env[k] for k in ("PYTHONPATH", "HF_HUB_OFFLINE", "TERM")} | {
                k: env[k] for k in env if k.startswith("XDG_")
            }
            # A fresh home: the first start finds no cache that `kb list` wrote.
            for k in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
                tmux_env[k] = str(home / "app" / k.lower())
            app = (
                f"{python} -m assistant --kb {packs} --subject bench --questions 3 --seed 1"
                f" --db {home / 'app' / 'sessions.db'}"
            )
            # `cd` so that `-m assistant` finds the checkout timed, whatever tmux's directory.
            command = f"sh -c 'cd {root} && exec {app}'"
            timings["app start, first"] = time_to_text(command, "Question 1 of 3", tmux_env)
            timings["app start, second"] = time_to_text(command, "Question 1 of 3", tmux_env)
        for name, seconds in timings.items():
            figures.setdefault(name, []).append(seconds)
    for name, values in figures.items():
        print(f"{name:<20} median {statistics.median(values):6.2f} s over {len(values)} runs")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
