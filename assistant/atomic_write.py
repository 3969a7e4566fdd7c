"""Writing an output file all at once, and never over a file that must be kept.

`mock-interview export -o FILE` and `mock-interview grade --output FILE` write through
`atomic_write`: the text goes to a hidden temporary file in the target's own folder, and only once
every byte is on disk is it renamed over the target (one `os.replace`, atomic on POSIX and
Windows). A failure half-way (disk full, Ctrl+C, a crash) leaves the old file, or no file, never
half of one. Before a byte is written the target is checked by `check_output_path`:

- it must not be one of the files the command protects (the session database, the batch input),
  compared by inode (`os.path.samefile`), so another spelling or a hard link cannot get through;
- an existing file is replaced only when the caller says so (`--force`);
- its folder must exist and be a folder, and the target must not itself be a folder.

Each refusal is an `OutputPathError` whose message names the path and says what to do. Pipes and
devices (`/dev/stdout`, `>(gzip > f.gz)`) have nothing to lose and are written straight through.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

REPLACE_HINT = "add --force to replace it, or choose another file name"
"""How a command lets the user replace an existing file: every caller has a `--force` flag."""


class OutputPathError(Exception):
    """The output path cannot, or must not, be written; the message names it and says what to do."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def check_output_path(
    path: Path, *, replace: bool = False, protected: Mapping[Path, str] | None = None
) -> Path:
    """The file that writing to `path` would create or replace (symlinks followed).

    `protected` maps files that must never be written over to what they are ("the session
    database"); `replace` allows replacing any other existing file. Raises OutputPathError.
    """
    path = path.expanduser()
    for kept, what in (protected or {}).items():
        with suppress(OSError):  # a protected file that does not exist cannot be lost
            if os.path.samefile(path, kept):
                raise OutputPathError(
                    f"refusing to write over {path}: it is {what}; choose another output file",
                    path,
                )
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        raise OutputPathError(_parent_problem(path), path) from None
    except OSError as error:
        raise OutputPathError(f"cannot write {path}: {_reason(error)}", path) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputPathError(
            f"{path} is a folder; give the path of a file (for instance {path / 'out.txt'})",
            path,
        )
    if mode is not None and not stat.S_ISREG(mode):
        return path  # a pipe or a device: written straight through, nothing there to lose
    if mode is not None and not replace:
        raise OutputPathError(f"{path} already exists; {REPLACE_HINT}", path)
    target = Path(os.path.realpath(path))
    if not target.parent.is_dir():
        raise OutputPathError(_parent_problem(path), path)
    return target


@contextmanager
def atomic_write(
    path: Path,
    *,
    replace: bool = False,
    protected: Mapping[Path, str] | None = None,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Iterator[TextIO]:
    """A text file to write that appears at `path` only when the `with` block ends normally.

    Checked first by `check_output_path` (same `replace` and `protected`); an exception inside
    the block removes the temporary file and leaves `path` as it was. A new file gets the usual
    permissions (the umask applies); a replaced one keeps its own. Raises OutputPathError.
    """
    target = check_output_path(path, replace=replace, protected=protected)
    try:
        kind = target.stat().st_mode
    except FileNotFoundError:
        kind = None
    if kind is not None and not stat.S_ISREG(kind):
        try:
            stream = open(target, "w", encoding=encoding, newline=newline)  # noqa: SIM115
        except OSError as error:
            raise OutputPathError(f"cannot write {path}: {_reason(error)}", path) from None
        with stream:
            yield stream
        return
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise OutputPathError(f"cannot write {path}: {_reason(error)}", path) from None
    try:
        with open(descriptor, "w", encoding=encoding, newline=newline) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        if kind is not None:
            os.chmod(temporary, stat.S_IMODE(kind))
        _move_into_place(temporary, target, path, replace=replace)
    except OSError as error:
        raise OutputPathError(f"cannot write {path}: {_reason(error)}", path) from None
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


def _move_into_place(temporary: Path, target: Path, asked: Path, *, replace: bool) -> None:
    """Rename the finished file over the target; without `replace`, never over a file."""
    if replace:
        os.replace(temporary, target)
        return
    try:
        # A hard link fails if the name was taken meanwhile: no window to clobber a new file.
        os.link(temporary, target)
    except FileExistsError:
        raise OutputPathError(f"{asked} already exists; {REPLACE_HINT}", asked) from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise OutputPathError(f"{asked} already exists; {REPLACE_HINT}", asked) from None
        os.replace(temporary, target)


def _parent_problem(path: Path) -> str:
    """Why the folder of `path` cannot hold it: missing, or a file where a folder should be."""
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        return (
            f"cannot write {path}: {ancestor} is a file, not a folder; "
            "choose a path inside an existing folder"
        )
    return (
        f"cannot write {path}: the folder {path.parent} does not exist; "
        f"create it first (mkdir -p {path.parent}) or choose another path"
    )


def _reason(error: OSError) -> str:
    """What went wrong and what to do, for the failures a user can fix."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; choose a file in a folder you can write to"
    if error.errno == errno.EROFS:
        return "the file system is read-only; choose a file on another disk"
    if error.errno == errno.ENOSPC:
        return "no space left on the disk; free some space and run the command again"
    return error.strerror or str(error)
