"""The choices of the last interview, remembered in the user config directory."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.interview.flow import InterviewSettings

LAST_CHOICES = "last-choices.json"
"""File name in the config directory."""


def load_last_choices(config_dir: Path) -> InterviewSettings:
    """The remembered choices, or defaults when there are none or they are unreadable."""
    try:
        data = json.loads((config_dir / LAST_CHOICES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return InterviewSettings()
    return InterviewSettings.from_dict(data) if isinstance(data, dict) else InterviewSettings()


def save_last_choices(config_dir: Path, settings: InterviewSettings) -> None:
    """Remember the choices (without the seed, which is meant for one run); raises OSError."""
    config_dir.mkdir(parents=True, exist_ok=True)
    data = {**settings.to_dict(), "seed": None}
    (config_dir / LAST_CHOICES).write_text(json.dumps(data), encoding="utf-8")
