"""Word-wrapping a source's text into display lines, by terminal cells (no Textual)."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from rich.cells import get_character_cell_size

TAB_SIZE = 8
# Cell width by character, filled as characters are met. A tab counts as a whole stop when
# wrapping (it takes at most that when drawn), so a line with tabs never overflows the view.
_CELLS: dict[str, int] = {"\t": TAB_SIZE}


def char_cells(char: str, column: int) -> int:
    """Cells one character takes at a column of its display line (tabs reach the next stop)."""
    if char == "\t":
        return TAB_SIZE - column % TAB_SIZE
    return get_character_cell_size(char)


def _measure(chars: set[str]) -> None:
    """Learn the cell width of characters not met before."""
    for char in chars.difference(_CELLS):
        _CELLS[char] = get_character_cell_size(char)


def _is_simple(line: str) -> bool:
    """Whether every character of the line takes exactly one cell (a tab does not)."""
    if line.isascii():
        return line.isprintable()
    # A line has few distinct characters: measuring those is much faster than every one.
    chars = set(line)
    _measure(chars)
    return all(_CELLS[char] == 1 for char in chars)


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


def _wrap_measured(text: str, start: int, end: int, width: int) -> Iterator[tuple[int, int]]:
    """Greedy word wrap of a line with wide characters or tabs, by running cell counts."""
    line = text[start:end]
    _measure(set(line))
    cells = [0, *accumulate([_CELLS[char] for char in line])]  # cells[i]: width of line[:i]
    position, length = 0, len(line)
    while cells[length] - cells[position] > width:
        fits = bisect_right(cells, cells[position] + width) - 1  # the longest prefix that fits
        cut = line.rfind(" ", position, fits + 1)
        if cut > position:
            yield start + position, start + cut
            position = cut + 1
        else:
            fits = max(fits, position + 1)  # a character wider than the view still moves on
            yield start + position, start + fits
            position = fits
    yield start + position, end


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
            pieces = _wrap_simple if _is_simple(line) else _wrap_measured
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
