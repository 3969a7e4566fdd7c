"""`mock-interview where`: every location the coach reads or writes."""

from __future__ import annotations

import argparse
from typing import TextIO

from assistant.cli.common import settings_of
from assistant.settings import (
    ENV_KB,
)


def cmd_where(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print every location the app reads or writes."""
    s = settings_of(args)
    print(f"database:      {s.db}", file=out)
    print(f"cache:         {s.cache_dir}", file=out)
    print(f"config:        {s.config_dir}", file=out)
    print(f"shipped bank:  {s.bank_dir}", file=out)
    extra = ", ".join(str(p) for p in s.extra_kb_dirs) or f"(none; --kb DIR or ${ENV_KB})"
    print(f"extra packs:   {extra}", file=out)
    print(f"model:         {s.model}", file=out)
    print(f"verifier:      {s.verifier}", file=out)
    return 0
