"""Every file the session log keeps: what no command's output may ever replace.

One list for `export`, `export --cohort` and `grade`, so a new file of the store is protected
everywhere at once: the SQLite database and the files SQLite keeps beside it, the journal of
answers not yet stored, and the configuration (mentors, remembered choices).
"""

from __future__ import annotations

from pathlib import Path

from assistant.settings import LAST_CHOICES, ROLES_FILE, DatabaseTarget
from assistant.store.journal import journal_path


def kept_files(db: DatabaseTarget, config_dir: Path | None = None) -> dict[Path, str]:
    """Each file of the store (those that do not exist yet too) and what it is, for a message."""
    files: dict[Path, str] = {}
    if isinstance(db, Path):
        files[db] = "the session database"
        for suffix in ("-wal", "-shm", "-journal"):
            files[db.with_name(db.name + suffix)] = "part of the session database"
    files[journal_path(db)] = "the journal of answers not yet in the session log"
    if config_dir is not None:
        files[config_dir / ROLES_FILE] = "the mentors' configuration"
        files[config_dir / LAST_CHOICES] = "the remembered choices"
    return files
