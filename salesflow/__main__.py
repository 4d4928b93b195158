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
    run()


if __name__ == "__main__":
    main()
