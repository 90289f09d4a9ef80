"""Word-wrapping a source's text into display lines, by terminal cells (no Textual)."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

TAB_SIZE = 8


def char_cells(char: str, column: int) -> int:
    """Cells one character takes at a column of its display line (tabs reach the next stop)."""
    if char == "\t":
        return TAB_SIZE - column % TAB_SIZE
    return get_character_cell_size(char)


def _is_simple(line: str) -> bool:
    """Whether every character of the line takes exactly one cell."""
    if line.isascii():
        return "\t" not in line and line.isprintable()
    return "\t" not in line and cell_len(line) == len(line)


@dataclass(frozen=True, slots=True)
class Wrapped:
    """Display lines of a text at one width, as start and end offsets into the text."""

    width: int
    starts: array[int]
    ends: array[int]

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The display line holding a text offset."""
        return max(0, bisect_right(self.starts, offset) - 1)


def _wrap_simple(text: str, start: int, end: int, width: int) -> Iterator[tuple[int, int]]:
    """Greedy word wrap of a line whose characters are one cell each (fast: str.rfind)."""
    while end - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut > start:
            yield start, cut
            start = cut + 1
        else:
            yield start, start + width
            start += width
    yield start, end


def _wrap_cells(text: str, start: int, end: int, width: int) -> Iterator[tuple[int, int]]:
    """Greedy word wrap measuring each character (wide characters, tabs)."""
    line_start, column, last_space = start, 0, -1
    index = start
    while index < end:
        char = text[index]
        cells = char_cells(char, column)
        if column + cells > width and index > line_start:
            if last_space > line_start:
                yield line_start, last_space
                line_start, index = last_space + 1, last_space + 1
            else:
                yield line_start, index
                line_start = index
            column, last_space = 0, -1
            continue
        if char == " ":
            last_space = index
        column += cells
        index += 1
    yield line_start, end


def wrap(text: str, width: int) -> Wrapped:
    """Wrap the text to `width` cells, breaking at spaces where possible."""
    width = max(1, width)
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    position = 0
    length = len(text)
    while position <= length:
        newline = text.find("\n", position)
        line_end = length if newline < 0 else newline
        line = text[position:line_end]
        short = line_end - position <= width
        if short and (line.isascii() and line.isprintable()):
            starts.append(position)
            ends.append(line_end)
        else:
            pieces = _wrap_simple if _is_simple(line) else _wrap_cells
            for piece_start, piece_end in pieces(text, position, line_end, width):
                starts.append(piece_start)
                ends.append(piece_end)
        if newline < 0:
            break
        position = newline + 1
    if length and text.endswith("\n"):
        starts.pop()
        ends.pop()
    return Wrapped(width, starts, ends)


def column_to_offset(text: str, start: int, end: int, column: int) -> int:
    """The text offset under a cell column of the display line `text[start:end]`."""
    cells = 0
    for index in range(start, end):
        cells += char_cells(text[index], cells)
        if cells > column:
            return index
    return end
