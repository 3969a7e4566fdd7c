"""Start-up stays light and the core stays headless: what each import may not pull in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHECK = """
import importlib, sys
for name in sys.argv[1].split(","):
    importlib.import_module(name)
print(",".join(m for m in sys.argv[2].split(",") if m in sys.modules))
"""

MODEL_LIBRARIES = "torch,sentence_transformers,transformers"

STARTUP_DEFERRED = (
    "annotated_types,pydantic,yaml,fsrs,sqlmodel,sqlalchemy,assistant.store.records,"
    "assistant.reports,assistant.screens.start,assistant.screens.review,assistant.screens.summary"
)


@pytest.mark.parametrize(
    ("modules", "forbidden"),
    [
        # The app shows its first question before the model libraries are imported.
        ("assistant,assistant.app,assistant.__main__", MODEL_LIBRARIES),
        # Nor what the first question does without: validating packs (a cached bank is read),
        # scheduling reviews, the store and its records (opened after the first frame), the
        # other screens, the reports.
        ("assistant.app,assistant.__main__", STARTUP_DEFERRED),
        # The headless core imports no Textual and no model library.
        (
            "assistant.reports,assistant.reports.progress,assistant.knowledge.loader,"
            "assistant.knowledge.scheduler,assistant.interview.flow,assistant.store.records",
            f"textual,{MODEL_LIBRARIES}",
        ),
        ("assistant.grading.pipeline,assistant.grading.batch", f"textual,{MODEL_LIBRARIES}"),
    ],
)
def test_imports_load_nothing_forbidden_and_write_nothing(
    tmp_path: Path, modules: str, forbidden: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, modules, forbidden],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={
            "XDG_DATA_HOME": str(tmp_path / "d"),
            "XDG_CACHE_HOME": str(tmp_path / "c"),
            "XDG_CONFIG_HOME": str(tmp_path / "f"),
            "PATH": "/usr/bin:/bin",
            # This checkout's code, not whichever copy the virtualenv has installed.
            "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        },
        check=True,
    )
    assert result.stdout.strip() == ""
    # Nothing was created at import time.
    assert sorted(p.name for p in tmp_path.iterdir()) == []
