"""The command line, one module per subcommand (see `main`)."""

from __future__ import annotations

from assistant.cli.main import EXIT_BROKEN_PIPE, main

__all__ = ["EXIT_BROKEN_PIPE", "main"]
