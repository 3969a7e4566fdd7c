"""The report code is headless: it imports no Textual and no model library, and writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECK = """
import sys
import assistant.reports, assistant.reports.progress
loaded = [m for m in ("textual", "torch", "sentence_transformers") if m in sys.modules]
print(",".join(loaded))
"""


def test_importing_the_reports_loads_no_textual_and_no_model(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
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
    assert list(tmp_path.iterdir()) == []
