"""The `verify` stage with our bundled verifier, on a small fixed set of pairs (EN and FR), and
the grader's fallback when no verifier loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.grade import Coverage, NoteCode, Verdict
from assistant.grading.parameters import THRESHOLDS_STEP
from assistant.grading.pipeline import Grader, load_grader
from assistant.grading.target import GradingTarget
from assistant.grading.verify import (
    BUNDLED_DIR,
    CrossEncoderVerifier,
    VerifierLoadError,
    label_order,
    load_verifier,
)
from assistant.settings import Settings

KEY_POINT_EN = "The model's performance is monitored continuously in production."
KEY_POINT_FR = "Les performances du modèle sont surveillées en continu en production."


@pytest.mark.parametrize(
    ("premise", "hypothesis", "label"),
    [
        # Clear cases: the wiring and label order are tested here; how well the verifier reads
        # looser paraphrases is measured in bench/ (it calls some of them contradictions).
        ("In production we monitor the model's performance continuously.", KEY_POINT_EN, 0),
        ("The model is packaged in a Docker container.", KEY_POINT_EN, 1),
        ("Once deployed, the model is never monitored at all.", KEY_POINT_EN, 2),
        ("On suit en permanence la précision du modèle en production.", KEY_POINT_FR, 0),
        ("Une fois déployé, le modèle n'est jamais surveillé.", KEY_POINT_FR, 2),
    ],
)
def test_verifier_reads_entailment_neutral_and_contradiction(
    verifier: CrossEncoderVerifier, premise: str, hypothesis: str, label: int
) -> None:
    probabilities = verifier.judge([(premise, hypothesis)])[0]
    assert probabilities.shape == (3,)
    assert abs(float(probabilities.sum()) - 1.0) < 1e-4
    assert int(probabilities.argmax()) == label


def test_the_bundled_adapter_is_folded_into_the_weights_once_loaded(
    verifier: CrossEncoderVerifier,
) -> None:
    """Merged LoRA layers skip the adapter's own matrix products on every call (speed)."""
    from peft.tuners.lora import LoraLayer

    layers = [m for m in verifier._model.model.modules() if isinstance(m, LoraLayer)]
    assert len(layers) == 36  # six linear layers in each of the six transformer blocks
    assert all(layer.merged for layer in layers)


def test_the_shipped_verifier_is_small_and_has_its_model_card() -> None:
    weights = BUNDLED_DIR / "adapter_model.safetensors"
    assert weights.stat().st_size < 5 * 1024 * 1024  # an adapter, not a copy of the base model
    card = (BUNDLED_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for needed in ("SNLI", "SemEval", "DACCORD", "licence", "seed"):
        assert needed in card


def test_label_order_is_read_from_the_config() -> None:
    assert label_order({0: "contradiction", 1: "entailment", 2: "neutral"}) == (1, 2, 0)
    with pytest.raises(VerifierLoadError):
        label_order({0: "negative", 1: "positive"})


def test_none_turns_verification_off_and_a_missing_one_says_what_was_tried(
    tmp_path: Path,
) -> None:
    assert load_verifier("none") is None
    with pytest.raises(VerifierLoadError, match="does not exist"):
        load_verifier(str(tmp_path / "no-such-verifier"))


def test_full_weights_load_over_the_installed_model_and_a_wrong_file_is_named(
    tmp_path: Path,
) -> None:
    """A folder written by `verifier/train.py --full --init` holds every weight but the word
    embeddings; loading it gives exactly those weights (the head starts random, so a match means
    the file was read), and a file that does not fit says which file."""
    from safetensors.torch import save_file

    from assistant.grading.verify import ENCODER_FILE, _installed_cross_encoder

    network = _installed_cross_encoder().model
    assert network is not None
    trained = {
        k: v.half().contiguous()
        for k, v in network.state_dict().items()
        if not k.startswith("bert.embeddings.")
    }
    folder = tmp_path / "full"
    folder.mkdir()
    save_file(trained, folder / ENCODER_FILE)
    loaded = load_verifier(str(folder))
    assert loaded is not None
    state = loaded._model.model.state_dict()
    for name in ("classifier.weight", "bert.encoder.layer.5.output.dense.weight"):
        assert (state[name] == trained[name].float()).all()
    probabilities = loaded.judge([("The model is packaged in a Docker container.", KEY_POINT_EN)])
    assert probabilities.shape == (1, 3)

    broken = tmp_path / "broken"
    broken.mkdir()
    save_file({k: v for k, v in trained.items() if "layer.5." not in k}, broken / ENCODER_FILE)
    with pytest.raises(VerifierLoadError, match=r"encoder\.safetensors does not fit"):
        load_verifier(str(broken))


DEPLOY = GradingTarget(
    question="How would you deploy a trained model to the cloud?",
    reference=(
        "Package the model in a container, expose it through an endpoint, roll it out "
        "gradually and monitor its performance continuously."
    ),
    key_points=[
        ("container", "The model is packaged in a container."),
        ("endpoint", "The model is exposed through an endpoint."),
        ("monitor", KEY_POINT_EN),
    ],
)
WRONG = (
    "I put the model in a Docker container and expose it through a REST endpoint. "
    "Then I deploy it to every user at once, and no monitoring is needed since the model "
    "was validated offline."
)


def test_a_contradicting_answer_is_marked_with_its_verbatim_span(
    backend: SentenceTransformerBackend, verifier: CrossEncoderVerifier
) -> None:
    """Read with thresholds, the contradiction is marked ≠ on its own words; the shipped fitted
    step shows ≠ only from a probability chosen for precision, and below it never gives the
    contradicted point any credit or a "partly covered" mark."""
    grader = Grader(backend, EmbeddingCache(None), "", THRESHOLDS_STEP, verifier=verifier)
    grade = grader.grade(DEPLOY, WRONG)
    by_id = {k.id: k for k in grade.key_points}
    monitor = by_id["monitor"]
    assert monitor.status is Coverage.CONTRADICTED
    assert monitor.span is not None and monitor.evidence == WRONG[slice(*monitor.span)]
    shipped = Grader(backend, EmbeddingCache(None), verifier=verifier).grade(DEPLOY, WRONG)
    fitted = {k.id: k for k in shipped.key_points}["monitor"]
    assert fitted.status in (Coverage.CONTRADICTED, Coverage.MISSED)
    assert shipped.score == grade.score  # the marks are fitted, the score is the same
    assert "no monitoring is needed" in monitor.evidence
    assert by_id["container"].status is Coverage.COVERED
    assert grade.verdict is not Verdict.STRONG
    assert grade.verifier_id == "bundled"
    right = grader.grade(DEPLOY, WRONG.replace("no monitoring is needed", "I monitor it closely"))
    assert right.score > grade.score


def test_a_verifier_that_cannot_load_falls_back_to_similarity_with_a_note(
    tmp_path: Path,
) -> None:
    settings = Settings.from_env(db=tmp_path / "s.db", verifier=str(tmp_path / "missing"))
    grader = load_grader(settings, "test")
    assert grader.verifier is None
    grade = grader.grade(DEPLOY, WRONG)
    assert grade.verifier_id == ""
    notes = [n for n in grade.notes if n.code is NoteCode.NOT_VERIFIED]
    assert notes and "missing" in (notes[0].detail or "")
    assert {k.status for k in grade.key_points} <= {
        Coverage.COVERED,
        Coverage.PARTIAL,
        Coverage.MISSED,
    }


def test_windows_keep_a_list_s_head_with_each_of_its_items() -> None:
    """A list item loses its verb ("datasets in DVC"): the head that carries it goes along."""
    from assistant.grading.verify import premise_windows, sentence_windows

    answer = (
        "Pin everything that can vary:\n- code in Git\n- datasets in DVC\n"
        "- the environment in a Docker image\n- the random seeds\nThen log every run."
    )
    windows = sentence_windows(answer)
    assert len(windows) >= 2
    assert all(w.startswith("Pin everything that can vary:") for w in windows)
    assert any("datasets in DVC" in w for w in windows[1:])
    # Read whole while it fits; in windows past the bound.
    assert premise_windows(answer, max_words=200) == [answer]
    assert premise_windows(answer, max_words=10) == windows


def test_an_expert_answer_in_its_own_words_earns_every_key_point_of_the_bank_question(
    backend: SentenceTransformerBackend, verifier: CrossEncoderVerifier
) -> None:
    """The issue's headline case: the key points stated in the candidate's words, not the
    bank's ("latency p95, CPU and memory" for "Latency, CPU and memory usage"), are covered;
    a vague answer to the same question earns far less."""
    from assistant.knowledge.loader import load_bank
    from assistant.settings import shipped_bank_dir

    question = load_bank([shipped_bank_dir()]).bank.questions["why-monitor-models"]
    grader = Grader(backend, EmbeddingCache(None), verifier=verifier)
    expert = grader.grade_question(
        question,
        "Models decay silently once live, so you watch them to catch that before users do. I "
        "track two layers: the service (latency p95, CPU and memory, error rate, throughput) and "
        "the model (accuracy, precision and recall against delayed labels, plus input and "
        "prediction drift versus the training data), with alerts on thresholds.",
        "en",
    )
    vague = grader.grade_question(
        question, "You need to keep an eye on the model and check that things are fine.", "en"
    )
    assert [k.status for k in expert.key_points] == [Coverage.COVERED] * len(question.key_points)
    assert expert.verdict in (Verdict.STRONG, Verdict.ADEQUATE)
    assert vague.score < expert.score - 40
