"""Atomic file output: write to a temporary file in the target directory, then rename.

``os.replace`` within one directory is atomic on POSIX and Windows, so a reader
sees either the old file or the complete new one. An interrupted run (an
exception, Ctrl-C) removes its temporary file and leaves the target untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    The temporary name keeps the target's suffix, so tools that infer a format
    from the extension (matplotlib, pdflatex) behave as for the target. The parent
    directory is created if needed. If the block raises, the temporary file is
    removed and the exception propagates.
    """
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _create_temporary(path)
    try:
        yield temporary
        _fsync_file(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the target path."""
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
    return Path(target)


def atomic_write_text(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically and return the target path."""
    return atomic_write_bytes(target, text.encode(encoding))


def atomic_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Copy ``source`` onto ``target`` atomically, also across file systems, and return the target."""
    with atomic_output(target) as temporary:
        shutil.copyfile(source, temporary)
    return Path(target)


def _create_temporary(path: Path) -> Path:
    # Unlike tempfile.mkstemp (mode 0600), os.open with mode 0666 lets the umask
    # decide the permissions, so the final file gets the usual ones. O_EXCL makes
    # a name collision fail instead of sharing a file.
    for _ in range(100):
        candidate = path.with_name(f".{path.stem}.{secrets.token_hex(6)}{path.suffix}.part")
        try:
            handle = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(handle)
        return candidate
    raise FileExistsError(f"could not create a temporary file next to {path}")


def _fsync_file(path: Path) -> None:
    # Flush the data to disk before the rename, so that a crash right after the
    # rename cannot leave an empty file under the target's name.
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def output_directory(path: str | os.PathLike[str], option: str = "--out") -> Path:
    """Return ``path`` as the directory the outputs go to; it need not exist yet.

    Raises InvalidParameterError naming ``option`` when ``path`` or one of its
    parents is an existing file other than a directory, because the outputs
    could then not be written there.
    """
    from telemigration.errors import InvalidParameterError

    directory = Path(path)
    for candidate in (directory, *directory.parents):
        if not candidate.exists():
            continue
        if candidate.is_dir():
            return directory
        where = "is" if candidate == directory else f"is inside {str(candidate)!r}, which is"
        raise InvalidParameterError(
            option, str(directory), f"the path {where} an existing file, not a directory; pass a directory"
        )
    return directory
