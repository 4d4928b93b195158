"""A large chart's SVG written to its file while dot is still writing it.

dot writes a large drawing's SVG over the last tenth or so of its run (2.5 MB in about 40 ms for
the bench's 2,000-stage chart), and Python waits for it meanwhile. Taken whole after dot has
ended, the drawing's lanes were stretched (lane_ends.py) and the file written and flushed to
disk after it as well: 13-17 ms on that chart, about a sixth of all that drawing adds to bare
dot. Here both are done while dot writes: its SVG draws the lanes before any link or stage (a
cluster's group comes before the rest, whatever `outputorder`), so once the first link's group
has begun, the lanes are all there to be planned and stretched, and what follows them is copied
into the output's new file (output.NewFile) as dot writes it. What is left for after dot has
ended is the last piece, the flush to disk and the rename, as for bare `dot -o`.

The file gets exactly the bytes the drawing is: what the whole drawing's stretch gives (the
stretch changes only the lanes' groups, all in the head, and reads only the head's transform and
view box), and where anything is not as expected (no link drawn, the head not found again at the
start of dot's output, a write that failed) the drawing is stretched and written whole after dot,
as before, and any error of the writing is raised then.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterator, Optional

    from ..output import NewFile

# Where the lanes are all drawn: the first link's group (dot 2.43 writes `class="edge"`, followed by
# the link's own classes if it has any).
LANES_DRAWN = b' class="edge'


class StreamedDrawing:
    """A drawing copied into `into` as dot writes it, `edit_head` applied to what precedes the
    first link (`LANES_DRAWN`; None: nothing edited, every byte copied as written). The edit
    must give for the head what it gives for the whole drawing there, and change nothing after."""

    def __init__(self, into: NewFile, edit_head: Optional[Callable[[bytes], bytes]] = None) -> None:
        self.into = into
        self.edit_head = edit_head
        self.head: Optional[bytes] = None  # dot's head, as written, once it has been read
        self.edited_head = b""
        self.copied = 0  # bytes of dot's output in `into` (the head's counted as dot wrote it)
        self.broken = False  # something went other than planned: the drawing is written whole after dot

    def alongside(self, written_through: Callable[[bytes, int], Optional[bytes]], follow: Callable[[int], Iterator[bytes]]) -> None:
        """Run while dot writes (picture.stream_graphviz's `alongside`)."""
        try:
            if self.edit_head is None:
                head = b""
            else:
                found = written_through(LANES_DRAWN, 0)
                if found is None:
                    return  # dot ended first (or failed): taken whole
                head = found
            edited = self.edit_head(head) if self.edit_head is not None else head
            self.into.restart()
            self.into.write(edited)
            self.head, self.edited_head, self.copied = head, edited, len(head)
            for piece in follow(len(head)):
                self.into.write(piece)
                self.copied += len(piece)
        except BaseException:
            self.broken = True
            raise

    def finished(self, drawing: bytes) -> bytes:
        """The drawing (`drawing`: dot's whole output, edited as the head was) as it is in
        `into` once this returns: its last piece added, or else written whole."""
        if self.broken or self.head is None or not drawing.startswith(self.head) or self.copied > len(drawing):
            edited = self.edit_head(drawing) if self.edit_head is not None else drawing
            self.into.restart()
            self.into.write(edited)
        else:
            self.into.write(memoryview(drawing)[self.copied:])
            edited = self.edited_head + drawing[len(self.head):] if self.edited_head is not self.head else drawing
        self.into.holds(edited)
        return edited
