"""Tasks shared between this process and forked workers, one per other CPU, with the results in
the tasks' order: how a lint run of many files uses every core (see `runner.lint_paths`).

Every process, this one included, takes the next task from one pipe as soon as it is free, so
they finish together however the tasks differ and whatever else the machine is running. A worker
sends each result back on a pipe of its own, as one message of plain data; this process reads
what has come between the steps of its own tasks, so that at the end only the last message is
left to read. A task a worker took and never sent back (it died) is done here afterwards, so a
failure is the one a single process would have met.

Plain fork and pipes rather than `multiprocessing` or `concurrent.futures`: on two CPUs a pool of
two workers and a process that only waits for them is three processes taking turns on two cores,
a pool's threads and queues cost more to start and to feed than the work of a task, and a task
here is four bytes, its number.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import Callable, Optional, Sequence, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")

_NUMBER = struct.Struct("=I")  # a task as it waits in the task pipe
_LENGTH = struct.Struct("=Q")  # the length of a worker's message, sent before it
_READ_AT_ONCE = 1 << 18
# A pipe holds 64 KiB unless asked for more (Linux allows 1 MiB): a worker whose pipe is full
# waits until this process reads, and the task numbers must all fit before any process reads.
_PIPE_SIZE = 1 << 20
MOST_TASKS = 8192  # task numbers that fit even in a pipe that could not be made larger (64 KiB / 4 bytes, halved)


def share(
    tasks: Sequence[Task],
    processes: int,
    work: Callable[[Task, Callable[[], None]], Result],
    pack: Callable[[Result], object],
    unpack: Callable[[object], Result],
    on_result: Callable[[Result], None],
    meanwhile: Optional[Callable[[], None]] = None,
) -> list[Result]:
    """`work(task, between)` for each of `tasks`, in `processes` processes (this one and forked
    workers), and each result in the tasks' order.

    `meanwhile()` is work of this process's own that needs no task, done here once the workers
    are started: they take the tasks this process would have done in that time.

    `work` calls `between()` after each step of its task (a file), for this process to read the
    workers' messages meanwhile. A worker's result crosses to this process as `pack(result)`,
    pickled, and is `unpack`ed here; `on_result(result)` hears of each result, in the order they
    are done, for progress. Forking is safe only in a process with no other threads.
    """
    import gc

    assert len(tasks) <= MOST_TASKS
    task_reader, task_writer = os.pipe()
    _enlarge(task_writer)
    os.write(task_writer, b"".join(_NUMBER.pack(number) for number in range(len(tasks))))
    os.close(task_writer)
    # Whatever waits in this process's buffers would be written by the workers too.
    sys.stdout.flush()
    sys.stderr.flush()
    # What the workers inherit stays out of their collector's sight: scanning it would only copy
    # the pages that fork shares.
    gc.freeze()
    workers: dict[int, int] = {}  # a worker's result pipe → its process id
    try:
        for _ in range(processes - 1):
            reader, writer = os.pipe()
            _enlarge(writer)
            try:
                pid = os.fork()
            except OSError:  # no more processes allowed: those there are do the work
                os.close(reader)
                os.close(writer)
                break
            if pid == 0:
                os.close(reader)
                for other in workers:
                    os.close(other)
                _work_in_worker(task_reader, writer, tasks, work, pack)
            os.close(writer)
            workers[reader] = pid
        return _share_here(task_reader, workers, tasks, work, unpack, on_result, meanwhile)
    finally:
        os.close(task_reader)
        # Workers still here after an error in this process (or an interrupt): stopped, not left behind.
        for reader, pid in workers.items():
            import signal

            os.close(reader)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        gc.unfreeze()


def _work_in_worker(task_reader: int, writer: int, tasks: Sequence[Task], work: Callable, pack: Callable) -> None:
    """A forked worker's life: take tasks until there are none left, send each result, exit."""
    status = 1
    try:
        from ..pipes import write_all

        while True:
            taken = os.read(task_reader, _NUMBER.size)
            if not taken:
                break
            (number,) = _NUMBER.unpack(taken)
            message = pickle.dumps((number, pack(work(tasks[number], _nothing))), pickle.HIGHEST_PROTOCOL)
            write_all(writer, _LENGTH.pack(len(message)) + message)
        status = 0
    finally:
        # Never back into the caller's code, nor its exit handlers and buffers, which are this
        # process's parent's. An error or an interrupt ends the worker without a word: the task
        # it was doing comes back undone, and the parent does it and meets the error itself.
        os._exit(status)


def _share_here(
    task_reader: int,
    workers: dict[int, int],
    tasks: Sequence[Task],
    work: Callable[[Task, Callable[[], None]], Result],
    unpack: Callable[[object], Result],
    on_result: Callable[[Result], None],
    meanwhile: Optional[Callable[[], None]],
) -> list[Result]:
    """This process's part: `meanwhile()`, tasks of its own, the workers' messages read in
    between, then the last messages, the tasks nobody sent back, and every result in order."""
    import select

    done: dict[int, Result] = {}
    received = {reader: bytearray() for reader in workers}
    arrived = select.poll()
    for reader in workers:
        arrived.register(reader, select.POLLIN)

    def between() -> None:
        # A look that costs one system call when nothing has come, as is usual between two files.
        for reader, _event in arrived.poll(0):
            chunk = os.read(reader, _READ_AT_ONCE)
            if not chunk:  # the worker is done: read its end below
                arrived.unregister(reader)
                continue
            received[reader] += chunk
            _take_messages(received[reader], done, unpack, on_result)

    if meanwhile is not None:
        meanwhile()
        between()
    while taken := os.read(task_reader, _NUMBER.size):
        (number,) = _NUMBER.unpack(taken)
        done[number] = result = work(tasks[number], between)
        on_result(result)
        between()
    # Every task is taken: what is left is the workers' last messages.
    for reader in list(workers):
        pending = received[reader]
        while chunk := os.read(reader, _READ_AT_ONCE):
            pending += chunk
            _take_messages(pending, done, unpack, on_result)
        pid = workers.pop(reader)
        os.close(reader)
        os.waitpid(pid, 0)
    for number, task in enumerate(tasks):
        if number not in done:  # a worker took it and died
            done[number] = result = work(task, _nothing)
            on_result(result)
    return [done[number] for number in range(len(tasks))]


def _take_messages(pending: bytearray, done: dict, unpack: Callable, on_result: Callable) -> None:
    """The whole messages at the start of `pending`, taken out of it into `done`."""
    start = 0
    while len(pending) - start >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(pending, start)
        end = start + _LENGTH.size + length
        if len(pending) < end:
            break
        number, packed = pickle.loads(pending[start + _LENGTH.size : end])
        done[number] = result = unpack(packed)
        on_result(result)
        start = end
    del pending[:start]


def _nothing() -> None:
    pass


def _enlarge(pipe: int) -> None:
    import fcntl

    try:
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (AttributeError, OSError):  # not Linux, or over the user's share of pipe memory: the pipe works as it is
        pass
