"""The shipped templates' compiled code, kept beside salesflow's bytecode (salesflow/pycache.py).

Jinja2 turns each template into Python source and compiles it: some 240 ms for the handbook's
eighteen templates, which every `salesflow handbook` paid again (in a thread while the chart is
drawn, but that thread wants the interpreter the drawing wants). Kept, they load in about 4 ms.

Jinja2's own bytecode cache does the bookkeeping: a template's code is used only for the very
source it was compiled from (its checksum) by the Jinja2 release and Python that compiled it.
What Jinja2 does not check is how the environment was set up (autoescaping, whitespace control,
extensions), which changes the code too: it is part of each kept name here, so an environment
set up otherwise compiles afresh. A user's template folder is never kept (environment.py).
"""

from __future__ import annotations

import hashlib

import jinja2

from .. import pycache


class KeptTemplates(jinja2.BytecodeCache):
    """A Jinja2 bytecode cache in salesflow's `__pycache__`, for one environment's settings."""

    def __init__(self, environment: jinja2.Environment) -> None:
        self.settings = _settings(environment)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = pycache.load(self._name(bucket))
        if isinstance(kept, bytes):
            bucket.bytecode_from_string(kept)  # rejected there if the source or release differ

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pycache.keep(self._name(bucket), bucket.bytecode_to_string())

    def _name(self, bucket: jinja2.bccache.Bucket) -> str:
        return "template-" + hashlib.sha1(f"{self.settings}\n{bucket.key}".encode("utf-8")).hexdigest()[:24]


def _settings(environment: jinja2.Environment) -> str:
    """What of the environment's setup the compiled code depends on."""
    env = environment
    return repr((
        jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, sorted(env.extensions), env.optimized, env.is_async,
        # Whether values are escaped and passed through `finalize` is compiled into the code.
        env.autoescape if isinstance(env.autoescape, bool) else "callable", env.finalize is not None,
        type(env).__qualname__,
    ))
