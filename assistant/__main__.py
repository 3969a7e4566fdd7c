"""`python -m assistant` and the `mock-interview` script: the command line in `assistant.cli`."""

from __future__ import annotations

import sys

from assistant.cli import EXIT_BROKEN_PIPE, main

__all__ = ["EXIT_BROKEN_PIPE", "main"]

if __name__ == "__main__":
    sys.exit(main())
