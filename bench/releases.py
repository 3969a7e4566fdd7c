"""The grader as it was released before, for benches that print before and after in one run:
the previous verifier (a folder: a copy of the adapter it shipped, e.g. from git history) read
with the previous parameters.

The previous release (commit 57d9730) shipped the adapter this one ships (the seventh design,
trained on the authored corpus and its twins) and decided each key point's status by thresholds
on the verifier's probabilities; this release fits that step on the corpus
(`bench/fit_status.py`) and keeps the score as it was. To grade as it did: `--before
assistant/grading/weights/verifier` (the same adapter, read with the thresholds). The release
before it (commit d467c76) shipped the fifth design: `mkdir OLD && for f in adapter_config.json
adapter_model.safetensors; do git show d467c76:assistant/grading/weights/verifier/$f > OLD/$f;
done`, then `--before OLD`.
"""

from __future__ import annotations

from assistant.grading.parameters import THRESHOLDS_STEP, ScoringParameters

PREVIOUS_PARAMETERS: ScoringParameters = THRESHOLDS_STEP
"""The previous release's parameters: today's without the fitted status step (the thresholds and
weights it read are unchanged)."""
