"""How the `salesflow` command is installed; everything else about the package is in setup.cfg.

For an entry point, pip before 25.2 (Debian 12's and the one Python 3.11 brings) writes a wrapper
that imports `re` and compiles a pattern, to take `.exe` off the program's name, before it calls
salesflow: about a tenth of a short `salesflow lint`, which loads no `re` of its own
(tests/test_startup.py). So where a command is a script with a `#!` line, the command is
bin/salesflow itself, installed as a script: pip points its first line at the environment's
Python, in a regular and in an editable install alike (tests/test_install.py checks both).
Windows starts a command through a launcher that pip makes for an entry point only, so there the
entry point stays.
"""

import os

from setuptools import setup

if os.name == "nt":
    setup(entry_points={"console_scripts": ["salesflow = salesflow.__main__:main"]})
else:
    setup(scripts=["bin/salesflow"])
