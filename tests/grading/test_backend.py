"""Loading the model: the bundled default loads offline; a missing model fails clearly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.grading.backend import ModelLoadError, SentenceTransformerBackend, load_backend


def test_bundled_model_is_loaded(backend: SentenceTransformerBackend) -> None:
    assert backend.model_id == "all-MiniLM-L6-v2"
    assert backend.max_seq_length == 256
    vectors = backend.encode(["model drift", "dérive du modèle"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_missing_local_path_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    with pytest.raises(ModelLoadError) as caught:
        load_backend(str(missing))
    assert str(missing) in str(caught.value)
    assert "does not exist" in str(caught.value)


def test_directory_that_is_not_a_model_names_it(tmp_path: Path) -> None:
    (tmp_path / "junk.txt").write_text("not a model")
    with pytest.raises(ModelLoadError) as caught:
        load_backend(str(tmp_path))
    assert f"local directory {tmp_path}" in str(caught.value)


def test_unknown_name_lists_the_cache_names_tried() -> None:
    with pytest.raises(ModelLoadError) as caught:
        load_backend("no-such-model-zz9")
    message = str(caught.value)
    assert "'no-such-model-zz9'" in message
    assert "'sentence-transformers/no-such-model-zz9'" in message
    assert "offline" in message


def test_grading_modules_import_no_torch() -> None:
    code = (
        "import sys, assistant.grading.pipeline, assistant.grading.batch, "
        "assistant.grading.feedback, assistant.grading.backend\n"
        "heavy = {'torch', 'sentence_transformers', 'transformers'} & set(sys.modules)\n"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
