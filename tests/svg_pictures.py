"""Graphviz SVG pictures read for comparison: each node's, link's and lane's group by its id, with
the coordinates of what it draws on the canvas (the graph group's `translate` applied), so that
two drawings of one layout can be compared point for point whatever canvas each was given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from typing import Iterable, NamedTuple, Optional

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?[0-9.]+")


class Shape(NamedTuple):
    tag: str  # path, polygon, polyline, ellipse, text
    points: tuple[tuple[float, float], ...]  # on the canvas
    radii: tuple[float, ...] = ()  # an ellipse's
    text: str = ""


class Picture(NamedTuple):
    width: str
    height: str
    view_box: str
    groups: dict[str, list[Shape]]  # id → what it draws, in order


def read(svg: bytes) -> Picture:
    """The picture an SVG drawn by Graphviz shows (it must be well-formed XML)."""
    root = ElementTree.fromstring(svg)
    graph = root.find(f"{SVG}g")
    assert graph is not None and graph.get("class") == "graph"
    tx, ty = (float(n) for n in re.search(r"translate\(([-0-9.]+) ([-0-9.]+)\)", graph.get("transform", "")).groups())
    groups: dict[str, list[Shape]] = {}
    for group in graph.iter(f"{SVG}g"):
        if group.get("class", "").split(" ")[0] not in ("node", "edge", "cluster"):
            continue
        shapes = []
        for element in group.iter():
            tag = element.tag.replace(SVG, "")
            if tag in ("path", "polygon", "polyline"):
                numbers = [float(n) for n in _NUMBER.findall(element.get("d") or element.get("points") or "")]
                points = tuple((x + tx, y + ty) for x, y in zip(numbers[0::2], numbers[1::2]))
                shapes.append(Shape(tag, points))
            elif tag == "ellipse":
                centre = ((float(element.get("cx")) + tx, float(element.get("cy")) + ty),)
                shapes.append(Shape(tag, centre, (float(element.get("rx")), float(element.get("ry")))))
            elif tag == "text":
                at = ((float(element.get("x")) + tx, float(element.get("y")) + ty),)
                shapes.append(Shape(tag, at, (), element.text or ""))
        groups[group.get("id")] = shapes
    return Picture(root.get("width"), root.get("height"), root.get("viewBox"), groups)


def differences(one: Picture, other: Picture, tolerance: float, only: Optional[Iterable[str]] = None) -> list[str]:
    """Where the groups of two pictures (`only` those of these ids) draw something else, or
    more than `tolerance` points apart; empty when they agree."""
    out = []
    for identifier in sorted(set(one.groups) | set(other.groups) if only is None else set(only)):
        mine, theirs = one.groups.get(identifier), other.groups.get(identifier)
        if mine is None or theirs is None:
            out.append(f"{identifier}: only in one picture")
            continue
        if [s.tag for s in mine] != [s.tag for s in theirs]:
            out.append(f"{identifier}: drawn with {[s.tag for s in mine]} against {[s.tag for s in theirs]}")
            continue
        for a, b in zip(mine, theirs):
            if a.text != b.text or len(a.points) != len(b.points) or len(a.radii) != len(b.radii):
                out.append(f"{identifier}: a {a.tag} differs: {a} against {b}")
                continue
            far = max(
                [max(abs(p[0] - q[0]), abs(p[1] - q[1])) for p, q in zip(a.points, b.points)]
                + [abs(r - s) for r, s in zip(a.radii, b.radii)]
            )
            if far > tolerance:
                out.append(f"{identifier}: a {a.tag} {far:.2f} pt off: {a.points} against {b.points}")
    return out


def escaped_id(identifier: str) -> str:
    """An id as Graphviz writes it in an SVG attribute (its hyphens as character references)."""
    return identifier.replace("-", "&#45;")


def graphviz_commands(monkeypatch) -> list[list[str]]:
    """The command lines of the Graphviz runs started from now on, as they start (the test's
    `monkeypatch` undoes the watch): which runs a drawing took is what the speed of the repairs
    rests on."""
    from salesflow.render import graphviz_child

    commands: list[list[str]] = []
    real = graphviz_child.Graphviz.__init__

    def started(self, command, environment, limit) -> None:
        commands.append(list(command))
        real(self, command, environment, limit)

    monkeypatch.setattr(graphviz_child.Graphviz, "__init__", started)
    return commands
