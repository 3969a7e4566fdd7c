"""The validated-bank cache: a hit gives the same bank; any change or damage is a miss."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.knowledge.bank_cache import load_bank_cached
from assistant.knowledge.loader import load_bank
from assistant.settings import shipped_bank_dir

HERE = Path(__file__).parent


def test_a_second_load_comes_from_the_cache_and_equals_a_fresh_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_bank_cached([shipped_bank_dir()], cache)
    (cached_file,) = cache.glob("bank-*.pickle")
    second = load_bank_cached([shipped_bank_dir()], cache)
    assert second.bank.questions == load_bank([shipped_bank_dir()]).bank.questions
    assert second.bank.version == first.bank.version
    assert list(cache.glob("bank-*.pickle")) == [cached_file]


def test_an_edited_pack_is_a_miss(tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    shutil.copy(HERE / "valid_pack.yaml", packs / "p.yaml")
    cache = tmp_path / "cache"
    before = load_bank_cached([packs], cache)
    text = (packs / "p.yaml").read_text().replace("What is a good test", "What makes a good test")
    (packs / "p.yaml").write_text(text)
    after = load_bank_cached([packs], cache)
    assert after.bank.questions["valid-one"].question.en.startswith("What makes")
    assert after.bank.version != before.bank.version
    assert len(list(cache.glob("bank-*.pickle"))) == 1


def test_a_damaged_cache_is_ignored_and_problems_are_never_cached(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_bank_cached([shipped_bank_dir()], cache)
    (cached_file,) = cache.glob("bank-*.pickle")
    cached_file.write_bytes(b"garbage")
    assert len(load_bank_cached([shipped_bank_dir()], cache).bank.questions) == 36

    broken = load_bank_cached([HERE / "broken" / "unknown_key.yaml"], tmp_path / "other")
    assert broken.problems
    assert not list((tmp_path / "other").glob("bank-*.pickle"))
