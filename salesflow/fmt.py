"""`salesflow fmt`: process files rewritten in one canonical layout, their meaning untouched.

The formatter tidies the layout and keeps everything the author wrote: the front matter as it is,
every comment where it was, the statements in their order (so the node order, the chains and the
way each label is written stay the author's), blank lines between groups (at most one). What it
makes uniform:

- one statement per line, without `;` separators; four spaces per level (`subgraph … end`);
- one space around links and `&`, none between a link and its `|label|` or between a node and
  its brackets, `@{ … }` or `:::class`; `|label|` and `@{ … }` without padding inside;
- multi-line node data with `@{` ending the node's line, its YAML indented two spaces deeper
  than the node (relative indentation kept), and `}` alone on the last line;
- keywords followed by one space (`classDef hot fill:#f96`, `accTitle: …`), the header as
  `flowchart TD`, no trailing spaces, one newline at the end.

Formatting is idempotent, and it never changes meaning: the result is parsed again and compared
with the original model (positions aside) before anything is written; if they differed, the file
would be left alone and the difference reported.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from .errors import SalesflowError
from .i18n import _
from .mermaid_vocabulary import BRACKETS, comment_blocks
from .model import Process

INDENT = "    "

# Fields that say where something was written, not what it means.
POSITION_FIELDS = frozenset({"span", "data_span", "front_matter_span", "line_offset", "path"})


def meaning_differences(a: Process, b: Process, comments: str = "ordered") -> list[str]:
    """How two processes differ in meaning: every field compared, positions and the path ignored.

    `comments`: "ordered" compares comment texts in order, "unordered" as a multiset (a canonical
    rewrite may move a comment along with the element it precedes), "ignore" leaves them out.
    """
    out: list[str] = []
    for f in dataclasses.fields(Process):
        if f.name in POSITION_FIELDS or f.name.startswith("_"):
            continue
        left, right = getattr(a, f.name), getattr(b, f.name)
        if f.name == "comments":
            if comments == "ignore":
                continue
            left = [c.text.rstrip() for c in left]
            right = [c.text.rstrip() for c in right]
            if comments == "unordered":
                left, right = sorted(left), sorted(right)
            if left != right:
                out.append(_("{field}: {before} before, {after} after", field="comments", before=repr(left), after=repr(right)))
            continue
        _compare(f.name, left, right, out)
    return out


def _plain(value: Any) -> Any:
    """`value` with every position field dropped, as nested tuples and dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple(
                (f.name, _plain(getattr(value, f.name)))
                for f in dataclasses.fields(value)
                if f.name not in POSITION_FIELDS and not f.name.startswith("_")
            ),
        )
    if isinstance(value, (tuple, list)):
        return tuple(_plain(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _plain(item)) for key, item in value.items()))
    return value


def _compare(name: str, left: Any, right: Any, out: list[str]) -> None:
    if _plain(left) == _plain(right):
        return
    if isinstance(left, tuple) and isinstance(right, tuple):
        if len(left) != len(right):
            out.append(_("{field}: {before} items before, {after} after", field=name, before=len(left), after=len(right)))
        for index, (x, y) in enumerate(zip(left, right)):
            label = getattr(x, "id", None) or getattr(x, "name", None) or index
            _compare(f"{name}[{label}]", x, y, out)
        return
    if dataclasses.is_dataclass(left) and dataclasses.is_dataclass(right):
        for f in dataclasses.fields(left):
            if f.name in POSITION_FIELDS or f.name.startswith("_"):
                continue
            _compare(f"{name}.{f.name}", getattr(left, f.name), getattr(right, f.name), out)
        return
    out.append(_("{field}: {before} before, {after} after", field=name, before=repr(left), after=repr(right)))


# ---------------------------------------------------------------------------------------------
# The formatter


class FormatError(SalesflowError):
    """A chart that fmt will not rewrite, because the rewrite would not mean the same.

    The message starts with the file (and line) it is about, like a parse error's."""

    def format(self) -> str:
        return str(self)


_KEYWORDS = {
    "CLASSDEF_STMT": "classDef",
    "CLASS_STMT": "class",
    "STYLE_STMT": "style",
    "LINKSTYLE_STMT": "linkStyle",
    "CLICK_STMT": "click",
}


def _first_line(item: Any) -> int:
    """The 1-based line a statement starts on."""
    if hasattr(item, "items"):  # a chain: its first node
        return item.items[0][0].id.line
    if hasattr(item, "head"):  # a subgraph
        return item.head.line
    if hasattr(item, "keyword"):  # the header
        return item.keyword.line
    return item.line


def _last_line(token: Any, start: Optional[int] = None) -> int:
    line = getattr(token, "line", None) or start or 1
    return line + str(token).count("\n")


def _statement_end(item: Any) -> int:
    if hasattr(item, "items"):
        end = 0
        for position, part in enumerate(item.items):
            if position % 2:
                for token in (part.edge_id, part.body, part.pipe_label):
                    if token is not None:
                        end = max(end, _last_line(token))
            else:
                for ref in part:
                    end = max(end, _last_line(ref.id))
                    if ref.label is not None:
                        end = max(end, ref.id.line + str(ref.label).count("\n"))
                    for token in (ref.data, ref.class_suffix):
                        if token is not None:
                            end = max(end, _last_line(token))
        return end
    if hasattr(item, "head"):
        return item.end.line
    if hasattr(item, "keyword"):
        return (item.direction or item.keyword).line
    return _last_line(item)


def _data_text(raw: str, indent: str) -> str:
    """`@{ … }` on one line, or as a block: `@{`, the YAML two spaces deeper, `}` at `indent`.

    The YAML lines all move by the same amount, so their structure (and meaning) is kept.
    """
    content = raw[2:-1]
    if "\n" not in content:
        inner = content.strip()
        return "@{ " + inner + " }" if inner else "@{}"
    lines = content.split("\n")
    widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(widths) if widths else 0
    body = [(indent + "  " + line[cut:]).rstrip() if line.strip() else "" for line in lines]
    while body and not body[0]:
        body.pop(0)
    while body and not body[-1]:
        body.pop()
    return "@{\n" + "\n".join(body) + "\n" + indent + "}"


def _node_text(ref: Any, indent: str) -> str:
    text = str(ref.id)
    if ref.shape is not None and ref.label is not None:
        opening, closing = BRACKETS[ref.shape]
        text += opening + str(ref.label) + closing
    if ref.data is not None:
        text += _data_text(str(ref.data), indent)
    if ref.class_suffix is not None:
        text += str(ref.class_suffix)
    return text


def _pipe(raw: str) -> str:
    inner = raw[1:-1]
    return "|" + inner.strip() + "|"


def _chain_text(chain: Any, indent: str) -> str:
    parts = []
    for position, part in enumerate(chain.items):
        if position % 2:
            link = (str(part.edge_id) if part.edge_id is not None else "") + str(part.body)
            if part.pipe_label is not None:
                link += _pipe(str(part.pipe_label))
            parts.append(link)
        else:
            parts.append(" & ".join(_node_text(ref, indent) for ref in part))
    return " ".join(parts)


_QUOTED_OR_SPACE = re.compile(r'("[^"]*")|[ \t]+')


def _squeeze(text: str) -> str:
    """Runs of blanks outside double quotes as one space."""
    return _QUOTED_OR_SPACE.sub(lambda m: m.group(1) or " ", text.strip())


def _keyword_text(token: Any, indent: str) -> str:
    kind = token.type
    raw = str(token)
    if kind in _KEYWORDS:
        keyword = _KEYWORDS[kind]
        rest = raw[len(keyword) :].strip()
        if kind in ("CLASSDEF_STMT", "STYLE_STMT", "LINKSTYLE_STMT"):
            # `classDef NAMES STYLE`, `style ID STYLE`: the style text itself is kept as written.
            parts = rest.split(None, 1)
            rest = parts[0] + (" " + parts[1].strip() if len(parts) > 1 else "")
        elif kind == "CLASS_STMT":
            parts = rest.rsplit(None, 1)
            if len(parts) == 2:
                ids = ",".join(i.strip() for i in parts[0].split(",") if i.strip())
                rest = ids + " " + parts[1]
        else:  # click: words, some quoted
            rest = _squeeze(rest)
        return keyword + " " + rest
    if kind == "DIRECTION_STMT":
        return "direction " + raw.split()[-1]
    if kind in ("ACC_TITLE", "ACC_DESCR"):
        keyword, value = raw.split(":", 1)
        return keyword.strip() + ": " + value.strip() if value.strip() else keyword.strip() + ":"
    if kind == "ACC_DESCR_BLOCK":
        body = raw[raw.index("{") + 1 : -1].strip()
        lines = [line.strip() for line in body.split("\n")]
        if len(lines) == 1:
            return "accDescr { " + lines[0] + " }" if lines[0] else "accDescr { }"
        return "accDescr {\n" + "\n".join((indent + INDENT + line).rstrip() for line in lines) + "\n" + indent + "}"
    return raw.strip()


class _Formatter:
    def __init__(self, prepared: Any, statements: list) -> None:
        self.lines = prepared.lines  # the original lines
        self.out: list[str] = []
        self.previous_end = 0  # the last source line of what was last written
        self.block_start = True  # nothing written yet in the current block
        self.comments = self._comment_lines(prepared)
        self.header = statements[0]
        self.body = statements[1:]
        self.front_end = prepared.front_matter_span.end_line if prepared.front_matter_span else 0
        self.open_directive = self._open_directive(prepared)

    @staticmethod
    def _comment_lines(prepared: Any) -> list[tuple[int, str, bool]]:
        """(line, text, keep verbatim) for each comment line. A directive over several lines
        (`%%{` … `}%%`) is kept exactly as written: its inside is the author's JSON."""
        out = []
        for block in comment_blocks(prepared.comments):
            if block.directive and (len(block.comments) > 1 or not block.closed):
                out += [(c.span.line, prepared.lines[c.span.line - 1].rstrip(), True) for c in block.comments]
            else:
                out.append((block.comments[0].span.line, block.lines[0], False))
        return out

    def _open_directive(self, prepared: Any) -> bool:
        """Whether the text ends inside a directive that is never closed (`%%{` without `}%%`)."""
        blocks = comment_blocks(prepared.comments)
        return bool(blocks) and not blocks[-1].closed

    def _blank_between(self, start: int) -> bool:
        if self.block_start:
            return False
        return any(not self.lines[i - 1].strip() for i in range(self.previous_end + 1, start))

    def _emit(self, start: int, end: int, text: str, indent: str, verbatim: bool = False) -> None:
        if self._blank_between(start):
            self.out.append("")
        if verbatim:
            self.out.append(text)
        else:
            first, *rest = text.split("\n")
            # A statement over several lines may end its first line inside a quoted label, where
            # a trailing space is part of the label: only one-line statements lose theirs.
            self.out.append(indent + first if rest else (indent + first).rstrip())
            self.out.extend(rest)
        self.previous_end = max(self.previous_end, end)
        self.block_start = False

    def _comments_before(self, line: int, indent: str) -> None:
        while self.comments and self.comments[0][0] < line:
            where, text, verbatim = self.comments.pop(0)
            self._emit(where, where, text, indent, verbatim)

    def run(self) -> str:
        if self.front_end:
            self.out.extend(self.lines[: self.front_end])
            self.previous_end = self.front_end
        header_line = self.header.keyword.line
        self._comments_before(header_line, "")
        header = str(self.header.keyword) + (" " + str(self.header.direction) if self.header.direction else "")
        self._emit(header_line, _statement_end(self.header), header, "")
        self.block_start = True
        self._block(self.body, 1)
        self._comments_before(len(self.lines) + 1, INDENT)
        text = "\n".join(line.rstrip() if not line.strip() else line for line in self.out)
        # A directive left open makes every later line a comment, even the empty one a final
        # line end would add; so then the text ends where the directive does.
        return text if self.open_directive else text + "\n"

    def _block(self, statements: list, depth: int) -> None:
        indent = INDENT * depth
        for statement in statements:
            start = _first_line(statement)
            self._comments_before(start, indent)
            if hasattr(statement, "head"):
                head = "subgraph " + str(statement.head)[len("subgraph") :].strip()
                self._emit(start, _last_line(statement.head), head.rstrip(), indent)
                self.block_start = True
                self._block(statement.body, depth + 1)
                self._comments_before(statement.end.line, indent + INDENT)
                self.block_start = True  # no blank line before `end`
                self._emit(statement.end.line, statement.end.line, "end", indent)
            elif hasattr(statement, "items"):
                self._emit(start, _statement_end(statement), _chain_text(statement, indent), indent)
            else:
                self._emit(start, _statement_end(statement), _keyword_text(statement, indent), indent)


def _statements(text: str) -> list:
    """The statements of `text` (the prepared chart) as `parse_text` reads them: by the fast
    reader when it reads the chart to its end, else by Lark (both give the same statements)."""
    from . import parse
    from .parsing import fastpath

    statements = fastpath.read(text) if parse.FAST_PATH else None
    if statements is None:
        from .parsing import syntax

        statements = syntax.parser().parse(text)
    return statements


def format_chart(text: str, path: str = "<string>", line_offset: int = 0) -> str:
    """One chart in canonical layout. Raises ParseError for a chart that does not parse, and
    FormatError if the rewrite would not read back as the same process."""
    from .parse import parse_text
    from .parsing import preprocess

    original = parse_text(text, path, line_offset)
    prepared = preprocess.prepare(text)
    formatted = _Formatter(prepared, _statements(prepared.text)).run()
    try:
        again = parse_text(formatted, path, line_offset)
    except SalesflowError as exc:
        raise FormatError(_("{path}: error: {command} would write a chart that does not parse ({error}); the file is left as it was", path=path, command="fmt", error=exc)) from None
    problems = meaning_differences(original, again)
    if problems:
        raise FormatError(
            _("{path}: error: {command} would change what the chart means ({difference}); the file is left as it was",
              path=path, command="fmt", difference=problems[0])
        )
    return formatted


def format_markdown(text: str, path: str = "<string>") -> str:
    """A Markdown text with each of its flowchart blocks formatted; every other byte untouched.

    A block keeps its place in the document: its lines keep the container markers before them
    (`> ` in a block quote, the indentation of a list item) and the fence's own indentation,
    and the chart keeps its indentation relative to the fence. Line ends outside the blocks stay
    as they are, even mixed; a block's new lines end as its opening fence's line does. The
    result is read again: if its blocks are not the same blocks holding the formatted charts,
    nothing is changed.
    """
    import re

    from .sources import mermaid_blocks

    # CommonMark ends a line at LF, CR LF or CR (and nothing else, unlike str.splitlines).
    parts = re.split(r"(\r\n|\r|\n)", text)
    lines, ends = parts[0::2], parts[1::2] + [""]
    normal = "\n".join(lines)
    rewrites = []
    for _number, block in mermaid_blocks(normal):
        formatted = format_chart("\n".join(block.lines), path, block.first_line)
        content = _keep_indentation(block.lines, formatted, path, block.first_line)
        rewrites.append((block, content))
    for block, content in reversed(rewrites):
        where = slice(block.first_line, block.first_line + len(block.lines))
        lines[where] = [block.placed(line) for line in content]
        ends[where] = [ends[block.fence_line]] * len(content)
    _check_blocks(normal, "\n".join(lines), dict((block.fence_line, content) for block, content in rewrites), path)
    return "".join(line + end for line, end in zip(lines, ends))


def _keep_indentation(original: tuple[str, ...], formatted: str, path: str, line_offset: int) -> list[str]:
    """The formatted chart's lines, indented as deep below the fence as the original chart was
    (its least indented line), unless that would change what the chart means (a label over
    several lines would gain the spaces)."""
    from .parse import parse_text

    body = (formatted[:-1] if formatted.endswith("\n") else formatted).split("\n")
    depths = [len(line) - len(line.lstrip(" ")) for line in original if line.strip()]
    base = " " * min(depths) if depths else ""
    if not base:
        return body
    shifted = [base + line if line else line for line in body]
    plain = parse_text("\n".join(body), path, line_offset)
    if meaning_differences(plain, parse_text("\n".join(shifted), path, line_offset)):
        return body
    return shifted


def _check_blocks(before: str, after: str, rewritten: dict, path: str) -> None:
    """Refuse a rewrite after which a Markdown reader would not find the same fenced blocks,
    with the new charts in the rewritten ones: the document around them would read differently."""
    from .markdown import fenced_blocks

    old, new = fenced_blocks(before), fenced_blocks(after)
    shift = 0
    for index, block in enumerate(old):
        expected = rewritten.get(block.fence_line, list(block.lines))
        again = new[index] if index < len(new) else None
        if (again is None or again.fence_line != block.fence_line + shift or again.info != block.info
                or list(again.lines) != expected or again.closed != block.closed):
            raise FormatError(
                _("{place}: error: {command} cannot rewrite this code block without changing how the Markdown "
                  "around it reads; the file is left as it was", place=f"{path}:{block.fence_line + 1}", command="fmt")
            )
        shift += len(expected) - len(block.lines)
    if len(new) != len(old):
        raise FormatError(_("{path}: error: {command} would change the code blocks this Markdown holds; the file is left as it was", path=path, command="fmt"))


def format_text(text: str, path: str = "<string>", markdown: bool = False) -> str:
    """A process file (or, with `markdown`, a Markdown file) in canonical layout.

    Line ends follow the input: a text written with CR LF comes back with CR LF (in Markdown,
    each line outside the charts keeps its own).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if markdown:
        return format_markdown(text, path)
    crlf = "\r\n" in text
    result = format_chart(text.replace("\r\n", "\n").replace("\r", "\n"), path)
    return result.replace("\n", "\r\n") if crlf else result
