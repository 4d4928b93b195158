"""No text makes the parser fail with anything but a positioned ParseError.

Mutations of real charts (the samples and the differential corpus): byte flips, truncation,
duplicated and deleted lines, inserted brackets, quotes and keywords, random Unicode (right-to-left
marks, zero-width characters, NUL, lone surrogates), other line ends. A few hundred run in the
normal suite; `--run-slow` runs 20,000.
"""

from __future__ import annotations

import random

import pytest

from conftest import ROOT, SAMPLES
from salesflow.errors import ParseError
from salesflow.parse import parse_text

SEEDS = sorted(SAMPLES.glob("*.flow")) + sorted((ROOT / "tests" / "corpus" / "accept").glob("*.mmd"))
SNIPPETS = [
    "[", "]", "(", ")", "{", "}", '"', "`", "|", "-->", "---o", "==>", "-.", "~~~", "&", ":::", "@{", "}",
    "end", "subgraph", "%%", "%%{init: {}}%%", "\n", ";", "---\n", "\u200f", "\u200b", "\ufeff", "\x00",
    "\ud800", "é", "线索", "#quot;", "\\", "/", ">", "e1@", "click A call f()", "linkStyle 99 stroke:red",
    "A@{ shape: nope }", "A@{ due: soon }", "A@{ x: &a [*a] }", "\r", "\r\n", "\t",
    # code points XML cannot hold, raw and as references (the renderers' fuzz draws these)
    "\x01", "\x0c", "\x85", "\uffff", "\U0010ffff", "&#x1;", "&#xD800;", "#1;", "#65535;",
]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        if not text:
            text = rng.choice(SNIPPETS)
        position = rng.randrange(len(text) + 1)
        if choice == 0:
            text = text[:position] + rng.choice(SNIPPETS) + text[position:]
        elif choice == 1:
            text = text[:position]
        elif choice == 2:
            end = min(len(text), position + rng.randint(1, 20))
            text = text[:position] + text[end:]
        elif choice == 3:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i]) if rng.random() < 0.5 else lines.pop(i)
            text = "\n".join(lines)
        elif choice == 4:
            text = text[:position] + chr(rng.randrange(0x20, 0x3000)) + text[position + 1 :]
        elif choice == 5:
            data = bytearray(text.encode("utf-8", "surrogatepass"))
            if data:
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            text = data.decode("utf-8", "replace")
        else:
            text = text.replace("\n", rng.choice(["\r\n", "\r", "\n\n", ";"]))
    return text


def run(count: int, seed: int) -> tuple[int, int]:
    rng = random.Random(seed)
    texts = [path.read_text("utf-8") for path in SEEDS]
    accepted = rejected = 0
    for _ in range(count):
        text = mutate(rng.choice(texts), rng)
        try:
            parse_text(text, "fuzz.flow")
            accepted += 1
        except ParseError as error:
            rejected += 1
            assert error.line >= 1 and error.column >= 1
            assert "\n" not in error.message
            error.format()  # the caret line must be buildable for any text
        except Exception as exc:  # pragma: no cover - this is the failure the test looks for
            pytest.fail(f"{type(exc).__name__}: {exc} for input {text!r}")
    return accepted, rejected


def test_mutated_charts_give_a_model_or_a_parse_error() -> None:
    accepted, rejected = run(400, seed=1)
    assert accepted and rejected, "the mutations should give both valid and invalid charts"


@pytest.mark.slow
def test_twenty_thousand_mutated_charts() -> None:
    accepted, rejected = run(20_000, seed=2)
    print(f"20,000 mutated charts: {accepted} accepted, {rejected} rejected with a positioned error")
