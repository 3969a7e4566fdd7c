"""Importing the session log's records is cheap: SQLModel loads only when a store is opened."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_records_import_without_sqlmodel_or_files() -> None:
    code = (
        "import sys\n"
        "from assistant.store import SessionStatus, StoreError, TurnRecord\n"
        "from assistant.knowledge.scheduler import pick_questions\n"
        "heavy = sorted(m for m in ('sqlmodel', 'sqlalchemy', 'torch') if m in sys.modules)\n"
        "print(heavy)\n"
        "from assistant.store import open_store\n"
        "print('sqlmodel' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )

    assert result.stdout.split("\n")[:2] == ["[]", "True"]
