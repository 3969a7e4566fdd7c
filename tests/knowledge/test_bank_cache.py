"""The validated-pack cache: a hit gives the same bank; any change or damage is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.knowledge.bank_cache import load_bank_cached
from assistant.knowledge.loader import LazyQuestions, load_bank
from assistant.settings import shipped_bank_dir

HERE = Path(__file__).parent


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_bank_cached([shipped_bank_dir()], cache)
    entries = sorted(cache.glob("pack-*.pickle"))
    assert len(entries) == 6  # one per shipped pack
    second = load_bank_cached([shipped_bank_dir()], cache)
    fresh = load_bank([shipped_bank_dir()]).bank
    assert second.bank.questions == fresh.questions
    assert second.bank.summaries == fresh.summaries
    assert second.bank.categories == fresh.categories
    assert second.bank.version == first.bank.version == fresh.version
    assert sorted(cache.glob("pack-*.pickle")) == entries


def test_a_cached_bank_builds_only_the_questions_asked_for(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached([shipped_bank_dir()], cache)
    bank = load_bank_cached([shipped_bank_dir()], cache).bank
    assert isinstance(bank.questions, LazyQuestions)
    held = bank.questions.raw()
    assert all(isinstance(item, bytes) for item in held.values())
    assert bank.questions["what-is-mlops"].category == "fundamentals"
    built = [qid for qid, item in bank.questions.raw().items() if not isinstance(item, bytes)]
    assert built == ["what-is-mlops"]


def test_an_edited_pack_is_a_miss(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    shutil.copy(HERE / "valid_pack.yaml", packs / "p.yaml")
    cache = tmp_path / "cache"
    before = load_bank_cached([packs], cache)
    (old_entry,) = cache.glob("pack-*.pickle")
    text = (packs / "p.yaml").read_text().replace("What is a good test", "What makes a good test")
    (packs / "p.yaml").write_text(text)
    after = load_bank_cached([packs], cache)
    assert after.bank.questions["valid-one"].question.en.startswith("What makes")
    assert after.bank.version != before.bank.version
    (new_entry,) = cache.glob("pack-*.pickle")  # the old version's entry was replaced
    assert new_entry != old_entry


def test_a_damaged_cache_is_ignored_and_problems_are_never_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached([shipped_bank_dir()], cache)
    for entry in cache.glob("pack-*.pickle"):
        entry.write_bytes(b"garbage")
    assert len(load_bank_cached([shipped_bank_dir()], cache).bank.questions) == 36

    broken = load_bank_cached([HERE / "broken" / "unknown_key.yaml"], tmp_path / "other")
    assert broken.problems
    assert not list((tmp_path / "other").glob("pack-*.pickle"))


def test_ids_colliding_across_cached_packs_are_still_reported(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    shutil.copy(HERE / "valid_pack.yaml", packs / "a.yaml")
    shutil.copy(HERE / "valid_pack.yaml", packs / "b.yaml")
    cache = tmp_path / "cache"
    load_bank_cached([packs], cache)
    again = load_bank_cached([packs], cache)
    (problem,) = again.problems
    assert problem.path == (packs / "b.yaml").resolve()
    assert "duplicate question id" in problem.message
