"""The grader as it was released before, for benches that print before and after in one run:
the previous verifier (a folder: a copy of the adapter it shipped, e.g. from git history) read
with the previous parameters.

The previous release (commit d467c76) shipped the adapter trained on the authored corpus's
spans without its twins (the fifth design); this release's adapter continues it on the corpus
with its twins and changed no parameter, so the previous parameters are today's. To grade as it
did: `mkdir OLD && for f in adapter_config.json adapter_model.safetensors; do git show
d467c76:assistant/grading/weights/verifier/$f > OLD/$f; done`, then `--before OLD` (the release
before it: commit e15a7b8, the adapter trained on the public NLI sets alone).
"""

from __future__ import annotations

from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters

PREVIOUS_PARAMETERS: ScoringParameters = DEFAULT_PARAMETERS
"""The previous release's parameters (the same as this one's: see the module docstring)."""
