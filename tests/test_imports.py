"""Start-up stays light: the app module loads no model library and touches no file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECK = """
import sys
import assistant, assistant.app, assistant.__main__
heavy = [m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules]
print(",".join(heavy))
"""


def test_importing_the_app_loads_no_model_library(tmp_path: Path) -> None:
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
    # Nothing was created at import time.
    assert sorted(p.name for p in tmp_path.iterdir()) == []
