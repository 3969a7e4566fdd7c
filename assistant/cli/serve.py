"""`mock-interview serve`: the coach in web browsers."""

from __future__ import annotations

import argparse
from typing import TextIO

from assistant.cli.common import settings_of


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve the coach to browsers until Ctrl+C; exit 2 when the address needs a token."""
    from assistant.serve.auth import check_token, is_loopback, new_token
    from assistant.serve.server import ServeOptions, serve

    if not 0 < args.port < 65536:
        print("error: --port must be from 1 to 65535", file=err)
        return 2
    token = args.token
    if token is not None and (problem := check_token(token)) is not None:
        print(f"error: {problem}", file=err)
        return 2
    if token is None and not is_loopback(args.host):
        token = new_token()
        print(f"{args.host} is reachable from other machines: generated an access token.", file=out)
    settings = settings_of(args)
    options = ServeOptions(
        host=args.host,
        port=args.port,
        token=token,
        public_url=args.public_url,
        grading=args.grading,
        kb=tuple(getattr(args, "kb", None) or ()),
    )
    try:
        serve(settings, options)
    except (OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=err)
        return 1
    return 0
