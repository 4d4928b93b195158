"""The served path: one chart file, one Markdown file with mermaid blocks, or a folder of them.

The studio reads and writes only the files listed here (see `security.confined`). Each file is
read with a *version* — a digest of its bytes — and a save names the version it was based on:
if the file changed on disk since (another editor, `git pull`), the save is refused and the page
gets what is on disk now, so that nothing anyone wrote is lost. A save keeps the file's encoding
(UTF-8, with or without a byte-order mark, or UTF-16), its line endings and its permissions, and
replaces the file in one step (`output.write_atomic`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from typing import Optional

from ..i18n import N_, _
from ..sources import CHART_EXTENSIONS, MARKDOWN_EXTENSIONS, decode_bytes, expand_paths
from .security import OutsideRoot, confined

EDITABLE = CHART_EXTENSIONS + MARKDOWN_EXTENSIONS

NOT_SERVED = N_("{path}: not a chart or Markdown file of this studio")
TOO_LARGE = N_("{path}: the file is larger than {megabytes} MiB")
NO_SUCH_FILE = N_("no such file")
UNREADABLE = N_("cannot read: {why}")


@dataclass(frozen=True)
class Loaded:
    path: str  # relative to the root, with forward slashes
    text: str  # newlines as `\n`, whatever the file uses
    version: str


class Conflict(Exception):
    """The file changed on disk since the page loaded it: what is there now."""

    def __init__(self, current: Optional[Loaded]) -> None:
        super().__init__(current.path if current else "deleted")
        self.current = current  # None: the file was deleted meanwhile


@dataclass(frozen=True)
class _Encoding:
    codec: str  # "utf-8", "utf-16-le" or "utf-16-be"
    mark: bytes  # the byte-order mark the file starts with, if any
    newline: str  # "\n" or "\r\n"


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


class Workspace:
    """What `salesflow serve PATH` serves: PATH's charts, and nothing else."""

    def __init__(self, path: str) -> None:
        absolute = os.path.abspath(path)
        self.folder = os.path.isdir(absolute)
        # A single file is served from its folder, but only that file may be read or written.
        self.root = absolute if self.folder else os.path.dirname(absolute)
        self.only = None if self.folder else os.path.basename(absolute)
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- what is served

    def files(self) -> list[str]:
        """The served charts, relative to the root, sorted."""
        if self.only is not None:
            return [self.only]
        found = set()
        for full in expand_paths([self.root]):
            found.add(self.relative(full))
        for directory, folders, names in os.walk(self.root, followlinks=False):
            folders[:] = sorted(f for f in folders if not f.startswith(".") and f != "node_modules")
            for name in names:
                if name.lower().endswith(MARKDOWN_EXTENSIONS) and not os.path.islink(os.path.join(directory, name)):
                    found.add(self.relative(os.path.join(directory, name)))
        return sorted(found)

    def relative(self, full: str) -> str:
        return os.path.relpath(full, self.root).replace(os.sep, "/")

    def real_path(self, relative: str) -> str:
        """The file `relative` names, if the studio may touch it; `OutsideRoot` if not."""
        if self.only is not None and relative != self.only:
            raise OutsideRoot(relative)
        if not relative.lower().endswith(EDITABLE):
            raise OutsideRoot(relative)
        return confined(self.root, relative)

    def served(self, full: str) -> Optional[str]:
        """The relative name of a changed file, if it is one the studio serves."""
        try:
            relative = self.relative(os.path.abspath(full))
            self.real_path(relative)
        except (OutsideRoot, ValueError):
            return None
        return None if relative.startswith("../") else relative

    # ---------------------------------------------------------------- reading and writing

    def read(self, relative: str) -> Loaded:
        from ..errors import InputError
        from ..limits import INPUT_MEGABYTES

        full = self.real_path(relative)
        limit = INPUT_MEGABYTES.value * 1024 * 1024
        try:
            with open(full, "rb") as handle:
                data = handle.read(limit + 1)
        except FileNotFoundError:
            raise InputError(relative, _(NO_SUCH_FILE)) from None
        except OSError as exc:
            raise InputError(relative, _(UNREADABLE, why=exc.strerror or exc)) from None
        if len(data) > limit:
            raise InputError(relative, _(TOO_LARGE, path=relative, megabytes=INPUT_MEGABYTES.value))
        text = decode_bytes(data, relative).replace("\r\n", "\n")
        return Loaded(relative, text, version_of(data))

    def save(self, relative: str, text: str, based_on: str) -> Loaded:
        """Write `text` if the file is still at version `based_on`; `Conflict` if not.

        `based_on` is empty for a file the page means to create: then it must not exist yet.
        """
        from ..output import write_atomic

        full = self.real_path(relative)
        with self._lock:
            current = self._on_disk(full)
            if based_on != (version_of(current) if current is not None else ""):
                raise Conflict(self._loaded(relative, current))
            encoding = _encoding_of(current) if current else _Encoding("utf-8", b"", "\n")
            body = text.replace("\r\n", "\n").replace("\n", encoding.newline)
            payload = encoding.mark + body.encode(encoding.codec)

            def unchanged_meanwhile() -> None:
                # Another program may have written between the check above and the rename.
                now = self._on_disk(full)
                if now != current:
                    raise Conflict(self._loaded(relative, now))

            write_atomic(full, payload, before_replace=unchanged_meanwhile)
            return Loaded(relative, text.replace("\r\n", "\n"), version_of(payload))

    def _loaded(self, relative: str, data: Optional[bytes]) -> Optional[Loaded]:
        if data is None:
            return None
        return Loaded(relative, decode_bytes(data, relative).replace("\r\n", "\n"), version_of(data))

    @staticmethod
    def _on_disk(full: str) -> Optional[bytes]:
        try:
            with open(full, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None


def _encoding_of(data: bytes) -> _Encoding:
    for mark, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(mark):
            break
    else:
        mark, codec = b"", "utf-8"
    sample = data[len(mark):].decode(codec, errors="replace")
    return _Encoding(codec, mark, "\r\n" if "\r\n" in sample else "\n")
