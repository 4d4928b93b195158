"""Which reader an import file needs, known by its name or, for `.xml`, by its document element."""

from __future__ import annotations

import os
from typing import Optional

from ..i18n import N_, _
from ..errors import InputError
from .. import limits
from .draft import Draft
from .report import Report

KINDS = ("bpmn", "drawio")
BY_EXTENSION = {".bpmn": "bpmn", ".bpmn2": "bpmn", ".drawio": "drawio", ".dio": "drawio"}

MESSAGES = {
    "unknown_kind": N_("cannot tell what this file is: name it .bpmn or .drawio, or say which with --from bpmn|drawio"),
    "unreadable": N_("cannot read the file: {reason}"),
    "too_large": N_("the file is {size:,} bytes"),
}


def kind_of(path: str, data: bytes, wanted: Optional[str]) -> str:
    if wanted:
        return wanted
    extension = os.path.splitext(path)[1].lower()
    if extension in BY_EXTENSION:
        return BY_EXTENSION[extension]
    head = data[:4096].decode("utf-8", "replace")
    if "<mxfile" in head or "<mxGraphModel" in head:
        return "drawio"
    if "20100524/MODEL" in head or ":definitions" in head or "<definitions" in head:
        return "bpmn"
    raise InputError(path, _(MESSAGES["unknown_kind"]))


def read_file(path: str) -> bytes:
    limit = limits.INPUT_MEGABYTES
    try:
        size = os.path.getsize(path)
        if size > limit.value * 1024 * 1024:
            raise InputError(path, limit.exceeded(_(MESSAGES["too_large"], size=size)))
        with open(path, "rb") as handle:
            return handle.read(limit.value * 1024 * 1024 + 1)
    except OSError as exc:
        raise InputError(path, _(MESSAGES["unreadable"], reason=exc.strerror or exc)) from None


def read_draft(path: str, data: bytes, kind: str) -> tuple[Draft, Report]:
    if kind == "bpmn":
        from .bpmn_in import read_bpmn

        return read_bpmn(data, path)
    from .drawio_in import read_drawio

    return read_drawio(data, path)
