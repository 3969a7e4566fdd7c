"""A cache of the validated bank, so that starting an interview skips re-validating it.

Validating the packs means building the pydantic schemas, which costs about a tenth of a second
at every start; the result only changes when a pack file (or the schema code) changes. The cache
key is a hash of the packs' paths and bytes and of this package's schema and loader source, so
any edit is a miss. A cache that cannot be read or written is ignored: the bank is then loaded
and validated as usual. Only clean loads are cached, so every problem is always reported.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from assistant.knowledge import loader, models
from assistant.knowledge.loader import LoadReport, load_bank, pack_files


def _key(dirs: Sequence[Path]) -> str | None:
    digest = hashlib.sha256()
    try:
        for code in (models.__file__, loader.__file__):
            digest.update(Path(code).read_bytes())
        for path in pack_files(dirs):
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    except OSError:
        return None
    for d in dirs:
        digest.update(f"{d}:{d.exists()}".encode())
    return digest.hexdigest()[:32]


def load_bank_cached(dirs: Sequence[Path], cache_dir: Path) -> LoadReport:
    """`load_bank(dirs)`, from the cache when nothing it depends on has changed."""
    key = _key(dirs)
    if key is None:
        return load_bank(dirs)
    path = cache_dir / f"bank-{key}.pickle"
    try:
        report = pickle.loads(path.read_bytes())
        if isinstance(report, LoadReport):
            return report
    except Exception:  # a missing, stale or damaged cache is only a miss
        pass
    report = load_bank(dirs)
    if report.ok:
        _store(path, report)
    return report


def _store(path: Path, report: LoadReport) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("bank-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:
        pass  # caching is an optimisation; the app works without it
