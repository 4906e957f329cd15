"""`Span`: a source range in lines and code-point columns, end exclusive.

Its own module so that the command line's cached path can use it without
importing the whole model.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple


class Span(NamedTuple):
    """A source range: rows and code-point columns, end exclusive."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    def shifted(self, lines: int) -> "Span":
        if lines == 0:
            return self
        return Span(self.start_line + lines, self.start_col, self.end_line + lines, self.end_col)

    def contains(self, line: int, col: int) -> bool:
        if (line, col) < (self.start_line, self.start_col):
            return False
        return (line, col) <= (self.end_line, self.end_col)


# `Span(...)` runs the named tuple's `__new__`, a Python function; the parser makes a span for every
# author name, label and field (a fifth of a million per corpus) and builds them from a 4-tuple in C.
span_from_tuple = partial(tuple.__new__, Span)
