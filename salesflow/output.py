"""Writing outputs so that nothing is ever half-written or lost.

Each output goes to a temporary file in the target's own directory and is renamed into place, so a
failed or interrupted run leaves whatever was there before: on an error, Ctrl-C, SIGTERM or SIGHUP
the temporary file is removed. An output that would overwrite one of the inputs is refused (only
`fmt` rewrites inputs, and says so explicitly), and so are two outputs of one run that name the
same file.
"""

from __future__ import annotations

import os
import stat
import sys

from .errors import OutputError
from .i18n import _

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Callable, Iterable, Optional, Sequence, Union

STDOUT = "-"

# Signals that end a run politely (a service manager stopping it, a closed terminal). Ctrl-C
# raises KeyboardInterrupt, which the writers below clean up after like any other exception.
_TERMINATING_NAMES = ("SIGTERM", "SIGHUP")
# Temporary files that exist right now and must not outlive the process.
_pending: set[str] = set()


def same_file(a: str, b: str) -> bool:
    """Whether two paths name one file: the same inode if both exist (links included), else
    the same path once `.`, `..` and linked directories are resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


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
            raise OutputError(_("{path}: refusing to overwrite an input file; choose another output path", path=target))


def refuse_input_overwrite(target: str, inputs: Iterable[str]) -> None:
    InputFiles(inputs).refuse_overwrite(target)


def refuse_shared_output(outputs: Sequence[tuple[str, Optional[str]]]) -> None:
    """Refuse two outputs of one run that would land in one place, whatever the spelling.

    `outputs` are (option, path) pairs such as ("-o", "x.html"); None is an output not asked
    for, `-` standard output. Without this, the second write silently replaces the first.
    """
    given = [(option, path) for option, path in outputs if path is not None]
    for index, (option, path) in enumerate(given):
        for other_option, other in given[:index]:
            if path == STDOUT or other == STDOUT:
                if path == other:
                    raise OutputError(_(
                        "{first} - and {second} - would both write to standard output; give one of them a file",
                        first=other_option, second=option,
                    ))
                continue
            if same_file(path, other):
                raise OutputError(_(
                    "{first} and {second} name the same file; give each output its own path",
                    first=f"{other_option} {other}", second=f"{option} {path}",
                ))


# The two blocks below are classes, not `contextlib.contextmanager`s: a lint imports this module,
# and `contextlib` (with `functools` and `collections`) is a tenth of a short one (salesflow/memo.py).
class _cleanup_on_termination:
    """While inside, SIGTERM and SIGHUP remove the pending temporary files before the process
    ends as the signal demands. Signals that already have a handler (or are ignored) are left
    alone: whoever installed it decides, and the writers clean up when that handler raises."""

    def __enter__(self) -> None:
        signal = _signal_module()
        self.installed = {}
        # Only the main thread may set handlers. A run without `threading` loaded has no other
        # thread, and importing it here would leave it for Python's shutdown (salesflow/__main__.py).
        threading = sys.modules.get("threading")
        if threading is not None and threading.current_thread() is not threading.main_thread():
            return
        for number in _terminating(signal):
            if signal.getsignal(number) == signal.SIG_DFL:
                self.installed[number] = signal.signal(number, _remove_pending_and_end)

    def __exit__(self, *raised: object) -> None:
        signal = _signal_module()
        for number, previous in self.installed.items():
            signal.signal(number, previous)


def _signal_module():
    """The interpreter's own signal functions and numbers, which the `signal` module wraps in
    enums: importing it loads the enum module, a tenth of drawing a small chart to a file."""
    import _signal

    return _signal


def _terminating(signal) -> tuple:
    return tuple(getattr(signal, name) for name in _TERMINATING_NAMES if hasattr(signal, name))


def _remove_pending_and_end(number: int, frame: object) -> None:
    signal = _signal_module()

    for path in list(_pending):
        try:
            os.unlink(path)
        except OSError:
            pass
    _pending.clear()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)  # end with the signal's own status, as if never caught


class _signals_held:
    """Hold SIGTERM and SIGHUP back (they are delivered on leaving) so that a step such as
    "create the temporary file and remember it" cannot be cut in the middle."""

    def __enter__(self) -> None:
        signal = _signal_module()
        terminating = _terminating(signal)
        self.previous = None
        if terminating and hasattr(signal, "pthread_sigmask"):
            self.previous = signal.pthread_sigmask(signal.SIG_BLOCK, terminating)

    def __exit__(self, *raised: object) -> None:
        if self.previous is not None:
            signal = _signal_module()
            signal.pthread_sigmask(signal.SIG_SETMASK, self.previous)


# The content on disk before the rename makes it the file: `fdatasync` flushes the data and what
# reading it back needs (its size, where it lies), not the times `fsync` flushes too. A 2.5 MB SVG
# here: fsync 6.3 ms, fdatasync 2.3 ms, no flush 2.0 ms (median of 15). macOS has no fdatasync.
_flush_to_disk = getattr(os, "fdatasync", os.fsync)


def write_atomic(path: str, data: Union[str, bytes], before_replace: Optional[Callable[[], None]] = None) -> None:
    """Write `data` to `path` in one step: a temporary file in the same directory, then a rename.

    `before_replace`, if given, runs once the new content is safely on disk and just before it
    takes the old file's place; it may raise (e.g. because the file changed meanwhile), and then
    nothing is replaced.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if is_special(path):
        _write_through(path, payload)
        return
    pending = NewFile(path)
    try:
        pending.write(payload)
        pending.keep(before_replace)
    finally:
        pending.drop()


class NewFile:
    """The new content of `path`, written in pieces into a temporary file in the same directory,
    that takes `path`'s place whole, in one step, when `keep` is called: until then (and for
    good after `drop`, or an error, Ctrl-C, SIGTERM or SIGHUP) `path` is as it was. What
    `write_atomic` writes at once; a drawing is written so piece by piece while Graphviz draws it
    (picture.py), as bare `dot -o` writes its file.

    Not for a device, pipe or socket (`is_special`): renaming over one would replace it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            raise OutputError(_(
                "{path}: cannot create the directory {directory}: {reason}", path=path, directory=directory,
                reason=exc.strerror or exc,
            )) from None
        self.fd = -1
        self.temporary: Optional[str] = None
        self.error: Optional[OutputError] = None  # why writing failed: every later call raises it again
        # What was written, as one object, when its writer says so (`holds`): the caller then
        # knows the file is complete without comparing it with what it has.
        self.whole: Optional[bytes] = None
        self.cleanup: Optional[_cleanup_on_termination] = _cleanup_on_termination()
        self.cleanup.__enter__()
        try:
            with _signals_held():
                self.fd, self.temporary = _new_temporary(directory)
                _pending.add(self.temporary)
        except OSError as exc:
            self.drop()
            raise OutputError(_("{path}: cannot write here: {reason}", path=path, reason=exc.strerror or exc)) from None

    def write(self, data: Union[bytes, memoryview]) -> None:
        """Add `data` to the new content."""
        if self.error is not None:
            raise self.error
        self.whole = None
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view):]
        except OSError as exc:
            self._failed(exc)

    def restart(self) -> None:
        """Drop what was written so far: the new content starts again empty."""
        if self.error is not None:
            raise self.error
        self.whole = None
        try:
            os.ftruncate(self.fd, 0)
            os.lseek(self.fd, 0, os.SEEK_SET)
        except OSError as exc:
            self._failed(exc)

    def holds(self, whole: bytes) -> None:
        """Say that what was written since the start (or `restart`) is `whole`, byte for byte."""
        self.whole = whole

    def keep(self, before_replace: Optional[Callable[[], None]] = None) -> None:
        """Put the new content in `path`'s place: on disk first, then renamed over it, with the
        permissions of the file it replaces (fmt rewrites the user's own files) or the umask's.
        `before_replace` as `write_atomic` takes it."""
        if self.error is not None:
            raise self.error
        if self.temporary is None:
            raise ValueError("a NewFile kept or dropped already")
        try:
            _flush_to_disk(self.fd)
            if os.path.exists(self.path):
                try:
                    os.chmod(self.temporary, os.stat(self.path).st_mode & 0o7777)
                except OSError:
                    pass
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(self.temporary, 0o666 & ~umask)
            if before_replace is not None:
                before_replace()
            with _signals_held():
                os.replace(self.temporary, self.path)
                _pending.discard(self.temporary)
                self.temporary = None
        except OSError as exc:
            self._failed(exc)
        finally:
            self.drop()

    def drop(self) -> None:
        """Let go of the new content: the temporary file is removed, `path` stays as it was.
        Nothing happens once it has been kept or dropped."""
        self.whole = None
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.temporary is not None:
            try:
                os.unlink(self.temporary)
            except OSError:
                pass
            _pending.discard(self.temporary)
            self.temporary = None
        if self.cleanup is not None:
            self.cleanup.__exit__(None, None, None)
            self.cleanup = None

    def _failed(self, exc: OSError) -> None:
        self.drop()
        self.error = OutputError(_("{path}: cannot write: {reason}", path=self.path, reason=exc.strerror or exc))
        raise self.error from None


def _new_temporary(directory: str) -> tuple[int, str]:
    """A new, empty file of this process only (mode 0600) in `directory`, open for writing: what
    `tempfile.mkstemp` makes, without importing tempfile, shutil and random (a tenth of a small
    chart's rendering time)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        temporary = os.path.join(directory, f".salesflow-{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o600), temporary
        except FileExistsError:
            continue
    import errno

    # Its text is the reason `write_atomic` gives the reader, so it is in the reader's language.
    raise FileExistsError(errno.EEXIST, _("no free temporary name in {directory}", directory=directory))


def rewrite_in_place(path: str, data: bytes, before_replace: Optional[Callable[[], None]] = None) -> None:
    """Overwrite the file at `path` itself, keeping its inode: every hard link to it sees the
    new content. Termination signals wait until the write is done, but unlike `write_atomic`
    a crash or power loss in the middle can leave the file partly written."""
    if before_replace is not None:
        before_replace()
    try:
        with _signals_held(), open(path, "r+b") as handle:
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OutputError(_("{path}: cannot write: {reason}", path=path, reason=exc.strerror or exc)) from None


def is_special(path: str) -> bool:
    """Whether `path` is a device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`, a FIFO).

    Renaming a temporary file over one of those would replace the device itself with a plain file;
    they are written to directly instead, as a shell redirection would.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_through(path: str, payload: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(payload)
    except OSError as exc:
        raise OutputError(_("{path}: cannot write: {reason}", path=path, reason=exc.strerror or exc)) from None


def write_stdout(data: Union[str, bytes]) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()
