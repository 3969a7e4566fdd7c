"""Shared fixtures: every test runs with its own user directories, never the developer's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.grading.backend import SentenceTransformerBackend
from assistant.grading.verify import CrossEncoderVerifier
from assistant.settings import DatabaseUrl
from tests.store.postgres_server import PostgresServer, server_for_tests

REPO = Path(__file__).resolve().parent.parent
"""The project root."""


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point platformdirs (XDG) and the app's env overrides at a temporary home."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    for var in (
        "MOCK_INTERVIEW_DB",
        "MOCK_INTERVIEW_KB",
        "MOCK_INTERVIEW_MODEL",
        "MOCK_INTERVIEW_VERIFIER",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield home


@pytest.fixture(scope="session")
def backend() -> SentenceTransformerBackend:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole run (it takes seconds)."""
    from assistant.grading.backend import load_backend

    return load_backend()


@pytest.fixture(scope="session")
def verifier() -> CrossEncoderVerifier:
    """Our bundled verifier (adapter on the bundled weights), loaded once for the whole run."""
    from assistant.grading.verify import load_verifier

    loaded = load_verifier()
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run, in a temporary directory (see postgres_server).

    Missing binaries fail the test, never skip it: the PostgreSQL backend must be exercised.
    """
    with server_for_tests() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[DatabaseUrl]:
    """A new, empty database on the run's server for this test alone; dropped after it."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    url = DatabaseUrl.parse(postgres_server.create_database(name))
    try:
        yield url
    finally:
        postgres_server.drop_database(name)
