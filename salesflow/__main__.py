"""The command line as a program: `python -m salesflow` and the `salesflow` command."""

import gc


def main() -> None:
    # Loading click and the command line makes tens of thousands of objects that live as long as
    # the program and leave no garbage behind: the cyclic collector would walk them again and
    # again as they load (about a thirtieth of a short command), and at each full collection
    # after. It waits until they are loaded, then leaves them out of its walks for good.
    gc.disable()
    from salesflow.cli import main as run

    gc.freeze()
    gc.enable()
    try:
        run()
    except SystemExit as done:
        end_now(done.code)
        raise


def end_now(code: object) -> None:
    """End the program with `code` once the command is done, without Python's own shutdown.

    That shutdown takes every module and object apart one by one, only for the system to free
    the memory at once right after: about a fifth of a short `salesflow lint` beyond what
    `python -c pass` does. What it does that a user would notice is done here first, in its
    order: the functions registered to run at exit (the kept regular expressions,
    salesflow/regex_cache.py), then the output still buffered. Anything unusual — an exit code
    that is a message, threads or a process pool that shutdown must wait for, output that
    cannot be written — is left to Python's own shutdown, which reports it as it always has.
    """
    import sys

    if code is None:
        code = 0
    if not isinstance(code, int) or "threading" in sys.modules:
        return
    import atexit
    import os

    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:
        return
    os._exit(code)


if __name__ == "__main__":
    main()
