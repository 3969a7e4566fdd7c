"""A throwaway PostgreSQL server for tests and benches, in a temporary data directory.

Debian's server binaries (`apt-get install postgresql`, which `make test` runs when they are
missing) are started with initdb and pg_ctl, on a free TCP port of 127.0.0.1 and with the unix
socket in the data directory. initdb refuses to run as root, so as root (the CI) the server runs
as the `postgres` OS user that Debian's package creates. pytest-postgresql does the same job but
runs the binaries as the current user, which fails as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PASSWORD = "cohort-secret"
"""The `postgres` role's password: connections over TCP must give it (scram-sha-256)."""

INSTALL_HINT = (
    "PostgreSQL's server binaries (initdb, pg_ctl) were not found. The store tests run against "
    "a real server: run the README's test command (`make test`, which installs Debian's "
    "`postgresql` package when it is missing), or `apt-get install postgresql`."
)


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_binaries() -> Path:
    """The folder holding initdb and pg_ctl; PostgresMissing (saying what to run) if none."""
    found = shutil.which("pg_ctl")
    if found is not None and shutil.which("initdb") is not None:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=_version)
    if versions:
        return Path(versions[-1]).parent
    raise PostgresMissing(INSTALL_HINT)


def _version(pg_ctl: str) -> int:
    try:
        return int(Path(pg_ctl).parent.parent.name)
    except ValueError:
        return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PostgresServer:
    """One server in its own temporary directory; `start()`, `stop()`, `remove()`."""

    def __init__(self, *, durable: bool = False, max_connections: int = 200) -> None:
        self.bin = server_binaries()
        """Where initdb and pg_ctl are."""
        self.root = Path(tempfile.mkdtemp(prefix="mock-interview-pg-"))
        """The temporary directory: data directory, socket and log."""
        self.data = self.root / "data"
        self.port = _free_port()
        """The TCP port on 127.0.0.1."""
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self._as_postgres:
            shutil.chown(pwfile, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--pwfile",
            str(pwfile),
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = [
            f"-p {self.port}",
            f"-k {self.root}",
            "-c listen_addresses=127.0.0.1",
            f"-c max_connections={max_connections}",
        ]
        if not durable:
            # Tests only: a crash of the test machine loses nothing that matters.
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._options = " ".join(options)

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr or done.stdout}")

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", self._options, "-l", str(self.root / "log"),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        """Stop the server (fast: open connections are told to end), and wait for it."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server if it runs, and delete its directory."""
        with contextlib.suppress(RuntimeError):  # it was not running
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str, *, password: str = PASSWORD) -> str:
        """The app's `--db` URL for `database` on this server."""
        return f"postgresql+psycopg://postgres:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> Any:
        """An autocommit psycopg connection to the `postgres` database, to create and drop."""
        import psycopg

        return psycopg.connect(
            host=str(self.root), port=self.port, user="postgres", dbname="postgres",
            autocommit=True,
        )  # fmt: skip

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop `name`, closing any connection still on it."""
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """A started server, stopped and its directory deleted afterwards."""
    server = PostgresServer(durable=durable)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextlib.contextmanager
def server_for_tests() -> Iterator[PostgresServer]:
    """`running_server` for a test: missing binaries fail the test, never skip it (the
    PostgreSQL backend must be exercised)."""
    import pytest

    try:
        server_binaries()
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    with running_server() as server:
        yield server
