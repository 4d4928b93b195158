"""Output formats: each is a module with a `render(process, options) -> str | bytes`, loaded on use."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    extension: str
    binary: bool
    help: str

    def renderer(self) -> Callable:
        return import_module(self.module).render


FORMATS = {
    f.name: f
    for f in (
        Format("json", "salesflow.render.json_model", ".json", False, "the parsed model as JSON"),
    )
}
