"""The choices of an interview and where each came from: the command line, the last session
(remembered in the user config directory), or the defaults."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path

from assistant.interview.flow import InterviewSettings
from assistant.interview.lines import line
from assistant.knowledge.models import Lang
from assistant.settings import LAST_CHOICES

CHOICE_FIELDS = ("subject", "categories", "difficulty", "count", "lang", "mode")
"""The choices the start screen shows, in its order (the seed is not shown)."""

KEPT_UNDER_FLAGS = ("count", "lang", "mode")
"""Choices the command line takes from the last session when not given as flags; the filters
(subject, categories, difficulty) are not: an old filter applied unseen would narrow the
interview without the candidate knowing."""

FLAG_OF = {
    "subject": "--subject",
    "categories": "--category",
    "difficulty": "--difficulty",
    "count": "--questions",
    "lang": "--lang",
    "mode": "--mode",
    "seed": "--seed",
}
"""The command-line flag that sets each choice."""


class ChoiceSource(StrEnum):
    """Where a choice came from."""

    COMMAND_LINE = "command-line"
    """Given as a flag: flags always win."""
    LAST_SESSION = "last-session"
    """Remembered from the last interview started."""
    DEFAULT = "default"
    """Nothing given or remembered."""


@dataclass(frozen=True)
class Choices:
    """Interview settings with the source of each choice."""

    settings: InterviewSettings = field(default_factory=InterviewSettings)
    sources: Mapping[str, ChoiceSource] = field(default_factory=dict)
    """Source by InterviewSettings field name; a field not listed came from the defaults."""

    def source(self, name: str) -> ChoiceSource:
        """Where the choice `name` (an InterviewSettings field) came from."""
        return self.sources.get(name, ChoiceSource.DEFAULT)

    def from_last_session(self) -> list[str]:
        """The choices taken from the last session, in the start screen's order."""
        return [n for n in CHOICE_FIELDS if self.source(n) is ChoiceSource.LAST_SESSION]


def _remembered_file(config_dir: Path) -> dict[str, object]:
    """The file's choices by candidate. A file from before candidates (one flat set of choices)
    is the file owner's: it is given to whoever asks on this machine until it is rewritten."""
    try:
        data = json.loads((config_dir / LAST_CHOICES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    by_candidate = data.get("candidates")
    if isinstance(by_candidate, dict):
        return by_candidate
    return {"": data}


def remembered_choices(
    config_dir: Path, candidate: str | None = "", *, inherit: bool = True
) -> InterviewSettings | None:
    """The candidate's remembered choices, or None when there are none or they are unreadable.
    `candidate` None (a served tab whose candidate has not said their name): nobody's. With
    `inherit`, a candidate with none of their own gets the choices saved before candidates
    (the machine owner's); a served tab does not."""
    if candidate is None:
        return None
    found = _remembered_file(config_dir)
    data = found.get(candidate, found.get("") if inherit else None)
    return InterviewSettings.from_dict(data) if isinstance(data, dict) else None


def load_last_choices(config_dir: Path, candidate: str | None = "") -> InterviewSettings:
    """The remembered choices, or defaults when there are none or they are unreadable."""
    return remembered_choices(config_dir, candidate) or InterviewSettings()


def start_screen_choices(
    config_dir: Path, candidate: str | None = "", *, inherit: bool = True
) -> Choices:
    """What the start screen offers with no flags: the candidate's last session's choices, or
    defaults (always, for a served tab whose candidate is not named yet)."""
    remembered = remembered_choices(config_dir, candidate, inherit=inherit)
    if remembered is None:
        return Choices()
    return Choices(remembered, dict.fromkeys(CHOICE_FIELDS, ChoiceSource.LAST_SESSION))


def command_line_choices(
    given: Mapping[str, object], config_dir: Path, candidate: str = ""
) -> Choices:
    """The interview the flags ask for: flags win; KEPT_UNDER_FLAGS come from the last session
    when remembered; everything else is the default.

    `given` maps InterviewSettings field names to the values of the flags given (and only them).
    """
    remembered = remembered_choices(config_dir, candidate)
    default = InterviewSettings()
    values: dict[str, object] = {}
    sources: dict[str, ChoiceSource] = {}
    for name in (f.name for f in fields(InterviewSettings)):
        if name in given:
            values[name], sources[name] = given[name], ChoiceSource.COMMAND_LINE
        elif remembered is not None and name in KEPT_UNDER_FLAGS:
            values[name] = getattr(remembered, name)
            sources[name] = ChoiceSource.LAST_SESSION
        else:
            values[name] = getattr(default, name)
    return Choices(InterviewSettings(**values), sources)  # type: ignore[arg-type]


def choice_text(settings: InterviewSettings, name: str, lang: Lang) -> str:
    """How one of KEPT_UNDER_FLAGS reads in a sentence, in `lang`."""
    if name == "count":
        return line("n_questions", lang, n=settings.count)
    if name == "lang":
        return "Français" if settings.lang == "fr" else "English"
    return line(f"{settings.mode.value}_short", lang)


def note_kept_choices(choices: Choices) -> str | None:
    """The line saying which choices the flags left to the last session, or None if none did.

    Flags win; what they do not set is taken from the last session, and this says so.
    """
    kept = choices.from_last_session()
    if not kept:
        return None
    lang = choices.settings.lang
    return line(
        "kept_choices",
        lang,
        what=", ".join(choice_text(choices.settings, n, lang) for n in kept),
        flags=", ".join(FLAG_OF[n] for n in kept),
    )


def save_last_choices(config_dir: Path, settings: InterviewSettings, candidate: str = "") -> None:
    """Remember the candidate's choices (without the seed, which is meant for one run), beside
    the other candidates'; raises OSError."""
    config_dir.mkdir(parents=True, exist_ok=True)
    by_candidate = {k: v for k, v in _remembered_file(config_dir).items() if k}
    by_candidate[candidate] = {**settings.to_dict(), "seed": None}
    text = json.dumps({"candidates": by_candidate})
    (config_dir / LAST_CHOICES).write_text(text, encoding="utf-8")
