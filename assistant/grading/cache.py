"""Disk cache of the embeddings of bank texts (questions, references, key points).

Keyed by the model's cache key and a hash of the text, so a second start encodes no reference
text, and a changed text or another model can never be served a stale vector. The store is one
SQLite file in the user cache directory, opened on first use (never at import or construction),
shared safely by the UI thread and grading workers. A cache that cannot be written (read-only
home, full disk) degrades to memory only: grading must never fail because of it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

CACHE_FILE = "embeddings.sqlite3"
"""File name inside the cache directory."""

Vector = npt.NDArray[np.float32]
"""One L2-normalised embedding."""


def text_digest(text: str) -> str:
    """Stable key of one text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Embeddings by (model key, text), in memory and, when a directory is given, on disk."""

    def __init__(self, directory: Path | None) -> None:
        self._directory = directory
        self._memory: dict[tuple[str, str], Vector] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._disk_failed = directory is None

    @property
    def path(self) -> Path | None:
        """The SQLite file, if this cache persists."""
        return None if self._directory is None else self._directory / CACHE_FILE

    def get_many(self, model_key: str, texts: Iterable[str]) -> dict[str, Vector]:
        """The cached embeddings among `texts` (missing ones are simply absent)."""
        wanted = {text: text_digest(text) for text in texts}
        found: dict[str, Vector] = {}
        with self._lock:
            missing: dict[str, str] = {}
            for text, digest in wanted.items():
                vector = self._memory.get((model_key, digest))
                if vector is None:
                    missing[digest] = text
                else:
                    found[text] = vector
            if missing:
                for digest, vector in self._read(model_key, list(missing)).items():
                    self._memory[(model_key, digest)] = vector
                    found[missing[digest]] = vector
        return found

    def put_many(self, model_key: str, vectors: Mapping[str, Vector]) -> None:
        """Remember `vectors` (text to embedding) for this model."""
        if not vectors:
            return
        rows = []
        with self._lock:
            for text, vector in vectors.items():
                digest = text_digest(text)
                stored = np.ascontiguousarray(vector, dtype=np.float32)
                self._memory[(model_key, digest)] = stored
                rows.append((model_key, digest, stored.shape[0], stored.tobytes()))
            self._write(rows)

    def close(self) -> None:
        """Close the SQLite connection (the cache reopens it on next use)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._disk_failed or self._directory is None:
            return None
        if self._db is None:
            try:
                self._directory.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self._directory / CACHE_FILE, check_same_thread=False)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS embedding ("
                    " model TEXT NOT NULL, digest TEXT NOT NULL, dim INTEGER NOT NULL,"
                    " vector BLOB NOT NULL, PRIMARY KEY (model, digest))"
                )
                db.commit()
            except (OSError, sqlite3.Error):
                self._disk_failed = True
                return None
            self._db = db
        return self._db

    def _read(self, model_key: str, digests: list[str]) -> dict[str, Vector]:
        db = self._connection()
        if db is None:
            return {}
        out: dict[str, Vector] = {}
        try:
            # SQLite caps bound parameters per statement; 500 stays well under every default.
            for start in range(0, len(digests), 500):
                chunk = digests[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    "SELECT digest, dim, vector FROM embedding"
                    f" WHERE model = ? AND digest IN ({marks})",
                    [model_key, *chunk],
                ).fetchall()
                for digest, dim, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] == dim:
                        out[digest] = vector
        except sqlite3.Error:
            self._disk_failed = True
            return {}
        return out

    def _write(self, rows: list[tuple[str, str, int, bytes]]) -> None:
        db = self._connection()
        if db is None:
            return
        try:
            db.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?, ?)", rows)
            db.commit()
        except sqlite3.Error:
            self._disk_failed = True
