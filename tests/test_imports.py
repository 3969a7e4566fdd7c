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


@pytest.mark.parametrize(
    ("modules", "forbidden"),
    [
        # The app shows its first question before the model libraries are imported.
        ("assistant,assistant.app,assistant.__main__", MODEL_LIBRARIES),
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
        },
        check=True,
    )
    assert result.stdout.strip() == ""
    # Nothing was created at import time.
    assert sorted(p.name for p in tmp_path.iterdir()) == []
