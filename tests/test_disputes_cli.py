"""`disputes export` and `verifier check`: settled disputes out as labelled pairs, and a file of
labelled pairs graded against its labels, on a real SQLite log and the real bundled models."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.cli.verifier import EXIT_BAD_FILE, check_agreement
from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.cache import EmbeddingCache
from assistant.grading.grade import Coverage
from assistant.grading.labelled import Item, read_labelled
from assistant.grading.pipeline import Grader
from assistant.grading.target import GradingTarget
from assistant.grading.verify import CrossEncoderVerifier
from assistant.knowledge.loader import Bank, load_bank
from assistant.settings import shipped_bank_dir
from assistant.store import SessionStore, open_store
from tests.grading.conftest import GOOD_EN, GOOD_FR, VAGUE_EN
from tests.store.conftest import graded_answer
from tests.test_cli import run_cli

ANSWERS = {
    "ada-accepted": "Inputs drift away from the training data, and I watch the live model.",
    "ada-rejected": "Drift is when inputs change; nothing needs watching afterwards.",
    "ada-open": "Drift? The inputs change.",
    "bob-accepted": "The data in production moves, so monitoring the model matters.",
}
"""Each answer of the log by what becomes of its dispute."""


def _answer(store: SessionStore, text: str, days: int) -> int:
    """One graded answer (the machine: drift covered, monitor missed) on day `days`."""
    return graded_answer(
        store,
        days=days,
        question_id="drift",
        question_text="What is data drift, and what do you do about it?",
        reference="Inputs move away from the training data; the live model is monitored.",
        answer=text,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """ada and bob disputed grades; mia (a mentor, in the log's mentor table) accepted ada's
    first and bob's, rejected ada's second; ada's third is still open."""
    path = tmp_path / "disputes.db"
    mentors = frozenset({"mia"})
    with (
        open_store(path, candidate="ada", mentors=mentors) as ada,
        open_store(path, candidate="bob", mentors=mentors) as bob,
        open_store(path, candidate="mia", mentors=mentors) as mia,
    ):
        mia.add_mentor("mia")
        disputes = {}
        for day, (key, text) in enumerate(ANSWERS.items()):
            store = bob if key.startswith("bob") else ada
            turn = _answer(store, text, day)
            # The candidate says "monitor" was covered; "drift" they mark partly covered once.
            marks = {"monitor": Coverage.COVERED}
            if key == "ada-accepted":
                marks["drift"] = Coverage.PARTIAL
            dispute = store.dispute_turn(turn, marks, "I did say it")
            assert dispute is not None
            disputes[key] = dispute.id
        mia.settle_dispute(disputes["ada-accepted"], accept=True)
        mia.settle_dispute(disputes["ada-rejected"], accept=False, note="no monitoring said")
        mia.settle_dispute(disputes["bob-accepted"], accept=True)
    return path


def _read(path: Path) -> dict[str, Item]:
    """The exported file as the format's reader reads it, by answer text's key in ANSWERS."""
    items, problems = read_labelled(path, {})
    assert problems == []
    by_text = {text: key for key, text in ANSWERS.items()}
    return {by_text[item.answers[0].text]: item for item in items}


def test_a_mentor_exports_everyones_settled_disputes_labelled_by_the_grade_that_stands(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "disputes.jsonl"
    result = run_cli("disputes", "export", "--db", str(db), "--candidate", "mia", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"wrote 3 settled dispute(s), 5 labelled pairs, to {out}\n"
    assert "1 partly covered key point(s) left out" in result.stderr

    found = _read(out)

    assert sorted(found) == ["ada-accepted", "ada-rejected", "bob-accepted"]  # not the open one
    assert {item.part for item in found.values()} == {"dispute"}
    assert {item.split for item in found.values()} == {"train"}
    accepted, rejected = found["ada-accepted"], found["ada-rejected"]
    # Accepted: the candidate's marks; their "partly covered" drift is left out.
    assert [k.id for k in accepted.key_points] == ["monitor"]
    assert accepted.answers[0].labels == {"monitor": "stated"}
    assert (accepted.answers[0].score, accepted.answers[0].verdict) == (75, "strong")
    # Rejected: the machine's marks, which the mentor upheld.
    assert rejected.answers[0].labels == {"drift": "stated", "monitor": "not-stated"}
    assert (rejected.answers[0].score, rejected.answers[0].verdict) == (50, "adequate")
    assert rejected.question == "What is data drift, and what do you do about it?"
    assert rejected.key_points[1].text == "Monitor the live model"
    assert found["bob-accepted"].answers[0].labels == {"drift": "stated", "monitor": "stated"}
    assert "bob" not in out.read_text(encoding="utf-8")  # who answered stays in the log


def test_accepted_keeps_only_the_disputes_a_mentor_accepted(db: Path) -> None:
    result = run_cli("disputes", "export", "--accepted", "--db", str(db), "--candidate", "mia")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["dispute"]["status"] for line in lines] == ["accepted", "accepted"]
    assert [line["answers"][0]["text"] for line in lines] == [
        ANSWERS["ada-accepted"],
        ANSWERS["bob-accepted"],
    ]


def test_a_candidate_who_is_not_a_mentor_exports_their_own_only(db: Path) -> None:
    result = run_cli("disputes", "export", "--db", str(db), "--candidate", "bob")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["answers"][0]["text"] for line in lines] == [ANSWERS["bob-accepted"]]
    assert "'bob' is not a mentor: only their own" in result.stderr


def test_the_export_never_writes_over_the_database_nor_a_file_without_force(
    db: Path, tmp_path: Path
) -> None:
    before = db.read_bytes()
    refused = run_cli(
        "disputes", "export", "--db", str(db), "--candidate", "mia", "-o", str(db), "--force"
    )
    assert refused.returncode == 1
    assert f"refusing to write over {db}: it is the session database" in refused.stderr
    assert db.read_bytes() == before

    kept = tmp_path / "kept.jsonl"
    kept.write_text("mine\n", encoding="utf-8")
    args = ("disputes", "export", "--db", str(db), "--candidate", "mia", "-o", str(kept))
    assert run_cli(*args).returncode == 1
    assert kept.read_text(encoding="utf-8") == "mine\n"
    assert run_cli(*args, "--force").returncode == 0
    assert len(_read(kept)) == 3


def test_verifier_check_names_the_file_line_and_field_of_a_broken_line(tmp_path: Path) -> None:
    broken = tmp_path / "labelled.jsonl"
    good = _line("d-1", "en", GOOD_EN, dict.fromkeys(_POINTS["en"], "stated"))
    bad = _line("d-2", "en", VAGUE_EN, {"k1": "not-stated", "k2": "maybe", "k3": "not-stated"})
    broken.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")

    result = run_cli("verifier", "check", str(broken))

    assert result.returncode == EXIT_BAD_FILE
    assert result.stderr == (
        f"error: {broken}:2: answer 1: field 'labels': 'maybe' is not one of stated, "
        "not-stated, contradicted\n"
    )
    assert result.stdout == ""


_POINTS = {
    "en": {
        "k1": "Model drift happens when production data moves away from the training data.",
        "k2": "Concept drift is when the relationship between inputs and target changes.",
        "k3": "Models in production must be monitored and retrained regularly.",
    },
    "fr": {
        "k1": "La dérive du modèle survient quand les données de production s'éloignent des "
        "données d'entraînement.",
        "k2": "La dérive conceptuelle, c'est quand la relation entre les entrées et la cible "
        "change.",
        "k3": "Les modèles en production doivent être surveillés et réentraînés régulièrement.",
    },
}
"""The drift question's key points (tests/grading/conftest.py's DRIFT), in both languages."""


QUESTION = "What is model drift, and what is concept drift?"
REFERENCE = "Drift is the loss of performance as data moves; concept drift is a kind."
AGREES = {Coverage.COVERED: "stated", Coverage.CONTRADICTED: "contradicted"}
"""The label a mark agrees with; any other mark (partly covered, missed) is "not stated"."""


def _line(id_: str, lang: str, answer: str, labels: dict[str, str]) -> dict[str, object]:
    """A dispute line on the drift question with one answer."""
    score = 90 if "stated" in labels.values() else 10
    return {
        "id": id_,
        "part": "dispute",
        "lang": lang,
        "question": QUESTION,
        "reference": REFERENCE,
        "key_points": [{"id": k, "text": t} for k, t in _POINTS[lang].items()],
        "answers": [
            {
                "id": "a",
                "kind": "dispute",
                "text": answer,
                "labels": labels,
                "score": score,
                "verdict": "strong" if score >= 70 else "off-target",
            }
        ],
    }


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank([shipped_bank_dir()]).bank


def test_verifier_check_prints_the_agreement_of_the_real_grader(
    tmp_path: Path,
    bank: Bank,
    backend: SentenceTransformerBackend,
    verifier: CrossEncoderVerifier,
) -> None:
    question = bank.get("model-and-concept-drift")
    assert question is not None
    labelled = tmp_path / "labelled.jsonl"
    lines = [
        _line("d-1", "en", GOOD_EN, dict.fromkeys(_POINTS["en"], "stated")),
        _line("d-2", "en", VAGUE_EN, dict.fromkeys(_POINTS["en"], "not-stated")),
        _line("d-3", "fr", GOOD_FR, dict.fromkeys(_POINTS["fr"], "stated")),
        # A bank line: resolved against the loaded bank's question and key points.
        {
            "id": "b-1",
            "part": "bank",
            "lang": "en",
            "question_id": question.id,
            "answers": [
                {
                    "id": "a",
                    "kind": "keywords",
                    "text": "drift, data, model",
                    "labels": {k.id: "not-stated" for k in question.key_points},
                    "score": 0,
                    "verdict": "off-target",
                }
            ],
        },
    ]
    labelled.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    code = check_agreement(
        labelled,
        bank,
        lambda: Grader(backend, EmbeddingCache(None), verifier=verifier),
        out,
        err,
        verifier="bundled",
    )

    assert code == 0, err.getvalue()
    printed = out.getvalue().splitlines()
    assert printed[0] == (
        f"{labelled}: 4 answer(s) to 4 question(s) (bank 1, dispute 3), graded with the "
        "verifier 'bundled'"
    )
    # The same grader, answer by answer, counted here: a key point agrees when its mark is its
    # label (covered = stated, contradicted = contradicted, partly covered or missed = not).
    grader = Grader(backend, EmbeddingCache(None), verifier=verifier)
    targets = [
        GradingTarget(QUESTION, REFERENCE, list(_POINTS[lang].items()), lang)
        for lang in ("en", "en", "fr")
    ]
    targets.append(GradingTarget.from_question(question, "en"))
    hits: dict[str, list[bool]] = {"en": [], "fr": []}
    stated = [0, 0, 0]  # right, graded so, labelled so
    for target, line in zip(targets, lines, strict=True):
        answer: dict[str, Any] = line["answers"][0]  # type: ignore[index]
        for point in grader.grade(target, answer["text"]).key_points:
            said = AGREES.get(point.status, "not-stated")
            truth = answer["labels"][point.id]
            hits[target.lang].append(said == truth)
            stated[0] += said == truth == "stated"
            stated[1] += said == "stated"
            stated[2] += truth == "stated"
    every = hits["en"] + hits["fr"]
    assert len(every) == 9 + len(question.key_points)

    def ratio(part: float, whole: float) -> str:
        return f"{part / whole:.3f}"

    assert printed[1] == (
        f"three-way accuracy: all {ratio(sum(every), len(every))} ({len(every)} pairs), "
        f"en {ratio(sum(hits['en']), len(hits['en']))} ({len(hits['en'])} pairs), "
        f"fr {ratio(sum(hits['fr']), 3)} (3 pairs)"
    )
    assert printed[2] == (
        f"stated: precision {ratio(stated[0], stated[1])}, recall {ratio(stated[0], 6)} "
        f"(6 labelled so, {stated[1]} graded so)"
    )
    assert printed[4].startswith("contradicted: ") and "(0 labelled so, " in printed[4]


def test_verifier_check_offers_no_database_option_it_would_ignore(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from assistant.cli.parser import build_parser

    parser = build_parser()
    parsed = parser.parse_args(["verifier", "check", "answers.jsonl", "--verifier", "none"])
    assert parsed.verifier == "none"
    with pytest.raises(SystemExit) as refused:
        parser.parse_args(["verifier", "check", "answers.jsonl", "--db", "sessions.db"])
    assert refused.value.code == 2
    assert "unrecognized arguments: --db sessions.db" in capsys.readouterr().err
