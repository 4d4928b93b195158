"""How well the estimate that wraps a long flow (salesflow/render/dot_bands.py) matches what dot
draws: over the generated charts of several seeds (tests/generated_charts.py) and the layout
corpus (tests/layout_corpus.py), each in its own direction and flipped, plain and highlighted,
every drawing is laid out by dot as `render` draws it, and again unwrapped (`wrap=0`), and two
kinds of miss are counted, by the way the flow runs (across the page, or down it):

- needless wraps: drawings wrapped into rows (or columns) whose unwrapped drawing dot makes no
  more than WRAP_ASPECT:1 (5:1); wrapped, their text is smaller on paper for nothing;
- strips: drawings, as `render` keeps them, over 5:1.

    python bench/wrap_estimate.py [--seeds 20261201,777001,...] [--count 400] [--save FILE]
                                  [--compare FILE] [-v]

`--save` keeps each drawing's measures as JSON; `--compare` an earlier such file prints the
drawings whose DOT text changed and the misses gained or lost. Layouts are kept by their DOT
text's digest in out/wrap_estimate_layouts.json, so a second run lays out only the drawings
the change made anew.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

SEEDS = (20261201, 777001, 424242, 20261203, 7, 8675309)
COUNT = 400
CACHE = ROOT / "out" / "wrap_estimate_layouts.json"
BAR = 5.0  # the aspect a drawing may reach (tests/geometry.py MAX_ASPECT, dot_constants.WRAP_ASPECT)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _sources(seeds: list[int], count: int) -> list[tuple[str, str, str]]:
    """(name, path, text) of every chart measured."""
    import generated_charts
    import layout_corpus

    out = [(f"corpus:{chart.name}", chart.path, chart.text) for chart in layout_corpus.charts()]
    for seed in seeds:
        out += [(f"{seed}:{chart.name}", chart.name, chart.text) for chart in generated_charts.charts(count, seed)]
    return out


def _drawings(sources: list[tuple[str, str, str]]) -> list[dict]:
    """Each chart every way (own direction and flipped, plain and highlighted): its DOT text as
    `render` writes it and unwrapped, and whether it wraps."""
    from generated_charts import FLIPPED
    from salesflow.lint import lint
    from salesflow.parse import parse_text
    from salesflow.render.dot import Options, _Writer, to_dot

    out = []
    for name, path, text in sources:
        process = parse_text(text, path)
        found = tuple(lint(process, source=text))
        for flip in (False, True):
            drawn = dataclasses.replace(process, direction=FLIPPED[process.direction]) if flip else process
            for highlight in (False, True):
                findings = found if highlight else ()
                writer = _Writer(drawn, Options(findings=findings))
                bands = writer.bands
                wrapped = len(bands) > len({band.lane for band in bands})
                final = writer.write()
                unwrapped = to_dot(drawn, findings=findings, wrap=0)
                out.append({
                    "key": f"{name}{' flipped' if flip else ''}{' highlighted' if highlight else ''}",
                    "across": writer.across,
                    "lanes": bool(writer.swimlanes),
                    "wrapped": wrapped,
                    "final": _digest(final),
                    "unwrapped": _digest(unwrapped),
                    "texts": (final, unwrapped),
                })
    return out


def sizes(texts: dict[str, str]) -> dict[str, list[float]]:
    """The width and height in points of each DOT text as `render` draws it, by digest; [] when
    dot fails on it. Kept in CACHE between runs."""
    import generated_charts

    cache: dict[str, list[float]] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    wanted = [digest for digest in texts if digest not in cache]
    for start in range(0, len(wanted), 400):
        batch = wanted[start:start + 400]
        for digest, document in zip(batch, generated_charts.lay_out([texts[d] for d in batch])):
            if "error" in document:
                document = document.get("strayed") or document
            if "error" in document:
                cache[digest] = []
                continue
            x0, y0, x1, y1 = (float(part) for part in document["bb"].split(","))
            cache[digest] = [round(x1 - x0, 2), round(y1 - y0, 2)]
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_text(json.dumps(cache, sort_keys=True))
        print(f"  laid out {min(start + 400, len(wanted))} of {len(wanted)}", file=sys.stderr)
    return {digest: cache[digest] for digest in texts}


def measure(seeds: list[int], count: int) -> list[dict]:
    drawings = _drawings(_sources(seeds, count))
    texts = {}
    for drawing in drawings:
        final, unwrapped = drawing.pop("texts")
        texts[drawing["final"]] = final
        texts[drawing["unwrapped"]] = unwrapped
    measured = sizes(texts)
    for drawing in drawings:
        drawing["final_aspect"] = _aspect(measured[drawing["final"]])
        drawing["unwrapped_aspect"] = _aspect(measured[drawing["unwrapped"]])
        drawing["unwrapped_size"] = measured[drawing["unwrapped"]]
    return drawings


def _aspect(size: list[float]) -> float:
    """The longer side over the shorter; -1 for a drawing dot failed on, 0 for one of no size."""
    if not size:
        return -1.0
    width, height = size
    return round(max(width / height, height / width), 3) if width > 0 and height > 0 else 0.0


def _needless(drawing: dict) -> bool:
    return drawing["wrapped"] and 0 <= drawing["unwrapped_aspect"] <= BAR


def _strip(drawing: dict) -> bool:
    return drawing["final_aspect"] > BAR


def summary(drawings: list[dict]) -> list[str]:
    lines = [f"{len(drawings)} drawings"]
    for title, chosen in (("across the page (LR, RL)", True), ("down the page (TD, BT)", False)):
        part = [d for d in drawings if d["across"] == chosen]
        plain = [d for d in part if not d["lanes"]]
        lines.append(
            f"  {title}: {len(part)} drawings, {sum(d['wrapped'] for d in part)} wrapped, "
            f"needless wraps {sum(map(_needless, part))} (without lanes {sum(map(_needless, plain))}), "
            f"strips {sum(map(_strip, part))}, dot failed {sum(d['final_aspect'] < 0 for d in part)}")
    return lines


def compare(before: list[dict], after: list[dict], verbose: bool) -> list[str]:
    old = {d["key"]: d for d in before}
    changed = [d for d in after if d["key"] in old and d["final"] != old[d["key"]]["final"]]
    lines = [f"{len(changed)} of {len(after)} drawings changed "
             f"({sum(d['key'].startswith('corpus:') for d in changed)} of the corpus and samples)"]
    for label, test in (("needless wraps", _needless), ("strips", _strip)):
        gained = [d["key"] for d in after if d["key"] in old and test(d) and not test(old[d["key"]])]
        lost = [d["key"] for d in after if d["key"] in old and test(old[d["key"]]) and not test(d)]
        lines.append(f"  {label}: {len(lost)} fewer, {len(gained)} new")
        if verbose or label == "strips":
            lines += [f"    new: {key} ({next(d for d in after if d['key'] == key)['final_aspect']:.2f}:1)" for key in gained]
    return lines


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="bench/wrap_estimate.py",
        description="Count the drawings the wrap estimate wraps needlessly and the strips it leaves (see the module docstring).")
    parser.add_argument("--seeds", default=",".join(map(str, SEEDS)),
                        help="the generated charts' seeds, comma-separated (default: %(default)s)")
    parser.add_argument("--count", type=int, default=COUNT, help="charts a seed (default: %(default)s)")
    parser.add_argument("--save", type=Path, help="keep each drawing's measures in this JSON file")
    parser.add_argument("--compare", type=Path, help="report the changes against a file --save wrote earlier")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every needless wrap and strip")
    args = parser.parse_args(argv)
    try:
        seeds = [int(part) for part in args.seeds.split(",") if part]
    except ValueError:
        parser.error(f"--seeds: whole numbers separated by commas, not {args.seeds!r}")
    count, save, against = args.count, args.save, args.compare
    drawings = measure(seeds, count)
    for line in summary(drawings):
        print(line)
    if against is not None:
        for line in compare(json.loads(against.read_text()), drawings, args.verbose):
            print(line)
    if save is not None:
        save.write_text(json.dumps(drawings, indent=0, sort_keys=True))
    if args.verbose:
        for drawing in drawings:
            if _needless(drawing) or _strip(drawing):
                print(f"  {drawing['key']}: unwrapped {drawing['unwrapped_aspect']:.2f}:1, "
                      f"drawn {drawing['final_aspect']:.2f}:1{' (wrapped)' if drawing['wrapped'] else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
