"""The bank loader: the shipped bank is complete and valid; each broken pack is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.knowledge.loader import load_bank
from assistant.knowledge.models import LANGS
from assistant.settings import shipped_bank_dir

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
VALID = HERE / "valid_pack.yaml"

ARTICLE_SECTIONS = {
    "fundamentals": 8,
    "intermediate": 2,
    "technical": 8,
    "cloud": 7,
    "behavioural": 6,
    "career": 5,
}


def test_shipped_bank_loads_clean_with_every_question_of_the_article() -> None:
    report = load_bank([shipped_bank_dir()])
    assert report.problems == ()
    bank = report.bank
    assert len(bank.questions) == 36
    per_category = {c: 0 for c in ARTICLE_SECTIONS}
    for q in bank.questions.values():
        per_category[q.category] += 1
    assert per_category == ARTICLE_SECTIONS


def test_shipped_bank_has_both_languages_in_every_field() -> None:
    bank = load_bank([shipped_bank_dir()]).bank
    for q in bank.questions.values():
        for lang in LANGS:
            assert q.question.get(lang).strip(), (q.id, "question", lang)
            assert len(q.answer.get(lang).split()) >= 25, (q.id, "answer", lang)
            for kp in q.key_points:
                assert len(kp.text(lang).split()) >= 4, (q.id, kp.id, lang)
            for hint in q.hints:
                assert hint.get(lang).strip()
        # The two languages are really two texts, not one copied.
        assert q.answer.en != q.answer.fr


def test_shipped_bank_names_common_mistakes_with_corrections() -> None:
    bank = load_bank([shipped_bank_dir()]).bank
    for q in bank.questions.values():
        assert 2 <= len(q.pitfalls) <= 4, q.id
        ids = {kp.id for kp in q.key_points}
        for pitfall in q.pitfalls:
            assert pitfall.key_point is None or pitfall.key_point in ids
            for lang in LANGS:
                assert pitfall.claim.get(lang) != pitfall.correction.get(lang)
            assert pitfall.claim.en != pitfall.claim.fr


def test_shipped_bank_header_and_version() -> None:
    bank = load_bank([shipped_bank_dir()]).bank
    assert {p.header.subject for p in bank.packs} == {"mlops"}
    assert len(bank.packs) == 6
    assert bank.version.startswith("mlops@1.0")
    assert [c.stage for c in sorted(bank.categories.values(), key=lambda c: c.stage)] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]


@pytest.mark.parametrize(
    ("file", "line", "question_id", "field", "message"),
    [
        ("syntax_error.yaml", 30, None, None, "YAML syntax error"),
        ("missing_field.yaml", 9, "missing-answer", "answer", "missing field"),
        ("empty_field.yaml", 14, "empty-q", "question.en", "empty text"),
        ("wrong_type.yaml", 11, "wrong-type", "difficulty", "expected a whole number, got 'hard'"),
        ("unknown_key.yaml", 12, "typo-q", "tagz", "unknown field"),
        ("missing_language.yaml", 17, "no-french", "answer.fr", "missing field"),
        ("few_key_points.yaml", 20, "few-kp", "key_points", "expected at least 3"),
        ("difficulty_range.yaml", 11, "hard-q", "difficulty", "less than or equal to 3"),
        ("duplicate_id.yaml", 9, "valid-one", "id", "duplicate question id"),
        (
            "pitfall_key_point.yaml",
            30,
            "bad-pitfall",
            "pitfalls[0].key_point",
            "names key point 'no-sleeps'",
        ),
    ],
)
def test_broken_pack_is_reported_with_file_line_question_and_field(
    file: str, line: int, question_id: str | None, field: str | None, message: str
) -> None:
    broken = BROKEN / file
    report = load_bank([VALID, broken])
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.path == broken.resolve()
    assert problem.line == line
    assert problem.question_id == question_id
    assert problem.field == field
    assert message in problem.message
    # The broken pack is skipped; the valid one still loads.
    assert report.skipped == (broken.resolve(),)
    assert list(report.bank.questions) == ["valid-one"]


def test_every_error_of_a_run_is_reported_together() -> None:
    report = load_bank([BROKEN])
    # Alone, duplicate_id.yaml is valid: its id clashes only with valid_pack.yaml.
    assert len(report.skipped) == 9
    assert len(report.problems) == 9
    assert list(report.bank.questions) == ["valid-one"]


def test_several_errors_in_one_pack_are_all_reported(tmp_path: Path) -> None:
    text = (BROKEN / "unknown_key.yaml").read_text().replace("difficulty: 2", "difficulty: 0")
    pack = tmp_path / "two.yaml"
    pack.write_text(text)
    fields = sorted(p.field or "" for p in load_bank([pack]).problems)
    assert fields == ["difficulty", "tagz"]


def test_undeclared_category_is_named(tmp_path: Path) -> None:
    pack = tmp_path / "cat.yaml"
    pack.write_text(VALID.read_text().replace("category: basics", "category: advanced"))
    (problem,) = load_bank([pack]).problems
    assert problem.field == "category"
    assert "'advanced' is not declared" in problem.message
    assert problem.line == 10


def test_follow_up_must_name_a_key_point_of_its_question(tmp_path: Path) -> None:
    pack = tmp_path / "fu.yaml"
    pack.write_text(
        VALID.read_text()
        + "    follow_ups:\n      - key_point: nowhere\n"
        + '        question: {en: "Why?", fr: "Pourquoi ?"}\n'
    )
    (problem,) = load_bank([pack]).problems
    assert problem.question_id == "valid-one"
    assert "'nowhere'" in problem.message


def test_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    report = load_bank([tmp_path / "nope"])
    assert "no such file or directory" in report.problems[0].message
    assert report.bank.questions == {}


def test_bank_version_changes_when_content_changes(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(VALID.read_text())
    before = load_bank([pack]).bank.version
    pack.write_text(VALID.read_text().replace("can fail.", "can fail!"))
    assert load_bank([pack]).bank.version != before
