"""A cache of validated packs, so that a pack is parsed and validated once, not at every run.

Parsing YAML is the slow part of loading a pack (about a second per thousand questions, even with
libyaml), then validating it; the result only changes when the pack's bytes (or the schema code)
change. Each pack that validates clean is kept in its own file, named by a hash of its resolved
path and keyed by a hash of its bytes and of this package's schema and loader source, so any edit
is a miss and replaces that pack's entry alone. An entry holds the pack's header, its index
(id, category, difficulty of each question) and each question pickled on its own: a hit rebuilds
only the questions that are then used. Packs with problems are never kept, and the checks that
span packs (colliding ids) run at every load, so every problem is always reported. A cache that
cannot be read or written is ignored: the pack is then parsed and validated as usual.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from assistant.knowledge import loader, models
from assistant.knowledge.loader import LazyQuestions, LoadedPack, LoadReport, load_bank

_FORMAT = b"pack-cache-2"
"""Changes whenever the layout of an entry changes, so older entries are misses."""


class PackFileCache:
    """Validated packs kept as pickle files in one directory (the platform cache directory)."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._schema: str | None = None

    def get(self, path: Path, digest: str) -> LoadedPack | None:
        """The pack validated earlier from exactly these bytes, if kept and readable."""
        entry = self._entry(path, digest)
        if entry is None:
            return None
        try:
            data = pickle.loads(entry.read_bytes())
            return LoadedPack(
                path, data["header"], data["summaries"], LazyQuestions(data["questions"]), digest
            )
        except Exception:  # a missing, stale or damaged entry is only a miss
            return None

    def put(self, pack: LoadedPack) -> None:
        """Keep a validated pack, replacing the entry of an earlier version of the same file."""
        entry = self._entry(pack.path, pack.digest)
        if entry is None:
            return
        data = {
            "header": pack.header,
            "summaries": pack.summaries,
            "questions": pack.questions.pickled(),
        }
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            # The entry of this file's previous version, and the whole-bank pickles of old
            # releases, are stale for good.
            stale = [*entry.parent.glob(f"{entry.name.rsplit('-', 1)[0]}-*.pickle")]
            for old in [*stale, *entry.parent.glob("bank-*.pickle")]:
                old.unlink(missing_ok=True)
            tmp = entry.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(entry)
        except OSError:
            pass  # caching is an optimisation; the app works without it

    def _entry(self, path: Path, digest: str) -> Path | None:
        """`pack-<hash of path>-<hash of schema and bytes>.pickle`, or None if unkeyable."""
        if self._schema is None:
            schema = hashlib.sha256(_FORMAT)
            try:
                for code in (models.__file__, loader.__file__):
                    schema.update(Path(code).read_bytes())
            except OSError:
                return None
            self._schema = schema.hexdigest()
        where = hashlib.sha256(str(path).encode()).hexdigest()[:16]
        what = hashlib.sha256(f"{self._schema}:{digest}".encode()).hexdigest()[:24]
        return self.cache_dir / f"pack-{where}-{what}.pickle"


def load_bank_cached(dirs: Sequence[Path], cache_dir: Path) -> LoadReport:
    """`load_bank(dirs)`, each unchanged pack read from the cache in `cache_dir`."""
    return load_bank(dirs, PackFileCache(cache_dir))
