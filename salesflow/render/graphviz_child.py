"""Graphviz run as a child process, given the DOT text while it is written, without `subprocess`.

Importing `subprocess` brings `threading`, `signal`, `selectors` and `locale` with it, and `locale`
brings `re` and the enum module: together about a quarter of drawing a 50-stage chart, all of it
before dot could read the first line. Here dot is started with `os.posix_spawnp`; the text goes
down a pipe that never blocks the writer, and when the pipe is full one `poll` waits both for
room in it and for what dot says on its standard error, up to the time limit; the drawing goes to
a file in memory, read once dot is done (or, an output at a time, while dot writes the next:
`written_through`). So no thread is needed, and none is left for Python's
shutdown to wait for. Where these calls are missing (`available()`), picture.py runs dot from a
thread through `subprocess`, as before.

Failures are the exceptions `subprocess.run` raises, so that both ways are told apart alike:
`OSError` when dot cannot be started, `subprocess.TimeoutExpired` once dot has been stopped at
the time limit, `subprocess.CalledProcessError` with dot's messages when it fails (`subprocess`
is imported then, for the exception alone).
"""

from __future__ import annotations

import _signal  # the interpreter's own signal numbers: `signal` would load the enum module
import os
import select
import time

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from typing import Iterator, Mapping, Optional, Sequence


GLANCE_MS = 1.0  # how often `written_through` looks at what dot has written


def available() -> bool:
    """Whether dot can be run this way here (Linux; elsewhere picture.py uses `subprocess`)."""
    return hasattr(os, "posix_spawnp") and hasattr(os, "memfd_create") and hasattr(select, "poll")


class Graphviz:
    """One run of a Graphviz program: started at once, fed with `send`, ended with `finish`."""

    def __init__(self, command: Sequence[str], environment: Mapping[str, str], limit: Optional[float]) -> None:
        self.command = list(command)
        self.limit = limit
        # As `subprocess.run(timeout=…)`: the limit counts from the start.
        self.deadline = None if limit is None else time.monotonic() + limit
        self.timed_out = False
        self.messages: list[bytes] = []
        self.messages_done = False
        self.written = bytearray()  # the drawing as read so far, while dot writes it (`written_through`)
        self.drawing = os.memfd_create("salesflow-drawing", os.MFD_CLOEXEC)
        reading, self.writing = os.pipe()
        self.errors, errors_end = os.pipe()
        try:
            if min(reading, errors_end, self.drawing) <= 2:
                # A process started without its standard streams got them as these: moving
                # them onto 0-2 in the child could close one another. Rare enough for an error
                # that sends the caller to `subprocess`, which sorts it out.
                raise Unusable
            self.pid = os.posix_spawnp(
                self.command[0], self.command, environment,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, reading, 0),
                    (os.POSIX_SPAWN_DUP2, self.drawing, 1),
                    (os.POSIX_SPAWN_DUP2, errors_end, 2),
                ],
                # Python ignores SIGPIPE; dot gets the default back, as `subprocess` gives it.
                setsigdef=(_signal.SIGPIPE, _signal.SIGXFSZ),
            )
        except BaseException:
            for descriptor in (self.writing, self.errors, self.drawing):
                os.close(descriptor)
            raise
        finally:
            os.close(reading)  # dot has its own copies of these two ends
            os.close(errors_end)
        os.set_blocking(self.writing, False)
        self.poll = select.poll()
        self.poll.register(self.writing, select.POLLOUT)
        self.poll.register(self.errors, select.POLLIN)

    def send(self, text: str) -> None:
        """Write `text` to dot; BrokenPipeError when dot no longer reads (it ended, failed or was
        stopped at the time limit: `finish` tells which)."""
        data = memoryview(text.encode("utf-8"))
        while data:
            try:
                data = data[os.write(self.writing, data):]
            except BlockingIOError:
                # Full: wait for room, reading dot's messages meanwhile (it may be waiting
                # for us to read them); past the limit, dot is stopped.
                if not self._wait(writing=True):
                    raise BrokenPipeError from None

    def end_text(self) -> None:
        """Close dot's input: the text is all written, and dot lays it out from here on."""
        if self.writing >= 0:
            os.close(self.writing)
            self.poll.unregister(self.writing)
            self.writing = -1

    def written_through(self, marker: bytes, start: int = 0) -> Optional[bytes]:
        """What dot has written, up to the end of the first `marker` at or after `start`, once it
        has written that far; None when dot ends (or is stopped) first. dot writes its outputs
        one after the other, each whole: the first can be read while it writes the next. The
        file in memory tells no one of a write, so it is looked at every `GLANCE_MS`, while
        dot's messages are read as `finish` reads them."""
        looked = start  # no marker begins before this
        ended = False
        while True:
            size = os.fstat(self.drawing).st_size
            if size > len(self.written):
                self.written += os.pread(self.drawing, size - len(self.written), len(self.written))
            at = self.written.find(marker, looked)
            if at >= 0:
                return bytes(self.written[: at + len(marker)])
            looked = max(start, len(self.written) - len(marker) + 1)
            if ended or self.timed_out:
                return None
            # dot's standard error closes as it ends, once its output is all written: what it
            # wrote last is read once more.
            ended = self.messages_done
            if not ended:
                self._wait(writing=False, at_most=GLANCE_MS)

    def follow(self, start: int = 0) -> Iterator[bytes]:
        """What dot writes from `start` on, a piece at a time as it writes it, until it ends (or
        is stopped); looked at as `written_through` looks. The pieces are read once: `written`
        holds them too."""
        sent = start
        ended = False
        while True:
            size = os.fstat(self.drawing).st_size
            if size > len(self.written):
                self.written += os.pread(self.drawing, size - len(self.written), len(self.written))
            if len(self.written) > sent:
                piece = bytes(self.written[sent:])
                sent = len(self.written)
                yield piece
            if ended or self.timed_out:
                return
            ended = self.messages_done  # as in `written_through`: what dot wrote last is read once more
            if not ended:
                self._wait(writing=False, at_most=GLANCE_MS)

    def finish(self) -> tuple[bytes, bytes]:
        """The drawing and dot's messages, once dot has ended; raises as `subprocess.run` would."""
        self.end_text()  # the end of the text, when the caller has not ended it
        while not self.messages_done and not self.timed_out:
            self._wait(writing=False)
        _pid, status = os.waitpid(self.pid, 0)
        os.close(self.errors)
        with open(self.drawing, "rb") as drawing:  # closes it
            drawing.seek(0)
            stdout = drawing.read()
        stderr = b"".join(self.messages)
        if self.timed_out:
            import subprocess

            raise subprocess.TimeoutExpired(self.command, self.limit, output=stdout, stderr=stderr)
        code = os.waitstatus_to_exitcode(status)
        if code:
            import subprocess

            raise subprocess.CalledProcessError(code, self.command, output=stdout, stderr=stderr)
        return stdout, stderr

    def abandon(self) -> None:
        """Stop a run whose drawing is no longer wanted, and let go of it."""
        self.end_text()
        try:
            os.kill(self.pid, _signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.errors)
        os.close(self.drawing)

    def _wait(self, writing: bool, at_most: Optional[float] = None) -> bool:
        """Wait until the pipe has room (`writing`) or dot's messages end, or `at_most`
        milliseconds; read the messages that came. False when the text can no longer be written:
        dot closed its standard error (it has ended) or was stopped at the time limit."""
        if self.deadline is None:
            timeout = at_most
        else:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self._stop()
                return False
            timeout = left * 1000 + 1  # milliseconds, rounded up: poll must not wake just short of it
            if at_most is not None:
                timeout = min(timeout, at_most)
        for descriptor, _events in self.poll.poll(timeout):
            if descriptor == self.errors:
                message = os.read(self.errors, 65536)
                if message:
                    self.messages.append(message)
                else:
                    self.messages_done = True
                    self.poll.unregister(self.errors)
            elif descriptor == self.writing:
                return True  # room, or an error that the next write raises
        return not self.messages_done

    def _stop(self) -> None:
        # As `subprocess.run` at its time limit: killed and reaped; the messages so far are kept.
        self.timed_out = True
        try:
            os.kill(self.pid, _signal.SIGKILL)
        except ProcessLookupError:
            pass


class Unusable(OSError):
    """This process's descriptors do not allow starting dot this way (see `Graphviz`)."""
