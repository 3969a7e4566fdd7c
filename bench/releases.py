"""The grader as it was released before, for benches that print before and after in one run:
the previous verifier (a folder: a copy of the adapter it shipped, e.g. from git history) read
with the previous parameters.

The previous release (commit e15a7b8) shipped the adapter trained on the public NLI sets alone;
this release's adapter continues it on the authored corpus's spans (`verifier/train.py
--premise spans`) and changed no parameter, so the previous parameters are today's. To grade as
it did: `mkdir OLD && for f in adapter_config.json adapter_model.safetensors; do git show
e15a7b8:assistant/grading/weights/verifier/$f > OLD/$f; done`, then `--before OLD`.
"""

from __future__ import annotations

from assistant.grading.parameters import DEFAULT_PARAMETERS, ScoringParameters

PREVIOUS_PARAMETERS: ScoringParameters = DEFAULT_PARAMETERS
"""The previous release's parameters (the same as this one's: see the module docstring)."""
