"""Position encodings: the one place that converts code points to client units and back.

The model counts columns in Unicode code points. Clients count in the
position encoding negotiated at `initialize`: UTF-16 code units (the LSP
default, VS Code), UTF-8 bytes (Neovim offers it) or UTF-32 (code points).
An astral character such as an emoji is 1 code point, 2 UTF-16 units and
4 UTF-8 bytes; an accented letter is 1, 1 and 2; a CJK character 1, 1 and 3.

A client position that falls inside a character (half a surrogate pair, the
middle of a UTF-8 sequence) rounds down to the start of that character; a
column past the end of a line means the end of the line, as LSP says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

# Cheapest first for us: UTF-32 is the model's own unit, UTF-8 is one encode
# call away, UTF-16 (the mandatory default) needs surrogate arithmetic.
PREFERENCE = (UTF32, UTF8, UTF16)


def negotiate(offered: Sequence[str] | None) -> str:
    """The encoding to use given the client's `general.positionEncodings`.

    Only an encoding the client offers is chosen; a client that offers none
    (or only unknown ones) gets UTF-16, which every client must support.
    """
    if not offered:
        return UTF16
    offered_set = {str(getattr(item, "value", item)) for item in offered}  # enum members or plain strings
    for encoding in PREFERENCE:
        if encoding in offered_set:
            return encoding
    return UTF16


@dataclass(frozen=True, slots=True)
class PositionCodec:
    """Converts columns on one line between code points and client units."""

    encoding: str = UTF16

    def to_client_col(self, line_text: str, col: int) -> int:
        """Code-point column -> client units (clamped to the line's end)."""
        col = max(0, min(col, len(line_text)))
        if self.encoding == UTF32 or line_text.isascii():
            return col
        prefix = line_text[:col]
        if self.encoding == UTF8:
            return len(prefix.encode("utf-8", "surrogatepass"))
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2

    def from_client_col(self, line_text: str, units: int) -> int:
        """Client units -> code-point column (clamped; inside a character rounds down)."""
        units = max(0, units)
        if self.encoding == UTF32 or line_text.isascii():
            return min(units, len(line_text))
        if self.encoding == UTF8:
            data = line_text.encode("utf-8", "surrogatepass")
            return len(data[:units].decode("utf-8", "ignore"))
        data = line_text.encode("utf-16-le", "surrogatepass")
        return len(_decode_utf16_prefix(data[: units * 2]))

    def to_client(self, lines: Sequence[str], line: int, col: int) -> tuple[int, int]:
        """(line, code-point column) -> (line, client units); lines past the end keep their column."""
        if 0 <= line < len(lines):
            return line, self.to_client_col(lines[line], col)
        return line, col

    def from_client(self, lines: Sequence[str], line: int, units: int) -> tuple[int, int]:
        """(line, client units) -> (line, code-point column); lines past the end keep their column."""
        if 0 <= line < len(lines):
            return line, self.from_client_col(lines[line], units)
        return line, units


def _decode_utf16_prefix(data: bytes) -> str:
    """Decode UTF-16-LE bytes, dropping a high surrogate left alone at the end."""
    if len(data) >= 2:
        last = int.from_bytes(data[-2:], "little")
        if 0xD800 <= last <= 0xDBFF:
            data = data[:-2]
    return data.decode("utf-16-le", "surrogatepass")
