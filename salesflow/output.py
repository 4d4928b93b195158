"""Writing outputs so that nothing is ever half-written or lost.

Each output goes to a temporary file in the target's own directory and is renamed into place, so a
failed or interrupted run leaves whatever was there before. An output that would overwrite one of
the inputs is refused (only `fmt` rewrites inputs, and says so explicitly).
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Iterable, Union

from .errors import OutputError


def _identity(path: str) -> tuple:
    """What makes two paths the same file: device and inode, or the absolute path when there is none yet."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return ("path", os.path.abspath(path))
    return ("file", status.st_dev, status.st_ino)


class InputFiles:
    """The inputs of a run, by identity: checking each of many outputs against them is one look-up each."""

    def __init__(self, inputs: Iterable[str]) -> None:
        self.identities = {_identity(source) for source in inputs if source != "-"}

    def refuse_overwrite(self, target: str) -> None:
        if _identity(target) in self.identities:
            raise OutputError(f"{target}: refusing to overwrite an input file; choose another output path")


def refuse_input_overwrite(target: str, inputs: Iterable[str]) -> None:
    InputFiles(inputs).refuse_overwrite(target)


def write_atomic(path: str, data: Union[str, bytes]) -> None:
    """Write `data` to `path` in one step: a temporary file in the same directory, then a rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the directory {directory}: {exc.strerror or exc}") from None
    try:
        fd, temporary = tempfile.mkstemp(prefix=".salesflow-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if os.path.exists(path):
            # Keep the permissions of the file being replaced (fmt rewrites the user's own files).
            try:
                os.chmod(temporary, os.stat(path).st_mode & 0o7777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def write_stdout(data: Union[str, bytes]) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()
