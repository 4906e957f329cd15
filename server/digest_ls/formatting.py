"""`digest-ls format`: the generator's own layout, reached through the layout rules' fixes.

The table of contents, numbering, anchors and whitespace come from the fixes
of their rules; then the blank lines between blocks are set to what the
generator writes. Only blank lines and fixable text change, so a generated
digest with no defect comes out byte-identical, and running twice changes
nothing the first run did not.
"""

from __future__ import annotations

from .config import Config
from .fixes import fix_all
from .model import AnchorBlock, Document, EntryBlock, HeadingBlock, Template
from .parser.document import parse
from .rules.registry import RULES
from .source import dominant_eol

# The registry's `formats`: structure and white space. Only safe fixes: removing an invisible character
# or adding a final newline changes a generated file, which is for `--fix --unsafe-fixes` to do.
LAYOUT_CODES = frozenset(code for code, rule in RULES.items() if rule.formats)
# Blank lines the generator leaves after each kind of block.
_BLANKS_AFTER = {AnchorBlock: 1, HeadingBlock: 1, EntryBlock: 2}
_TOC_BLANKS = 2


def format_text(text: str, config: Config = Config()) -> str:
    document = parse(text)
    if not document.is_digest or not document.layout.upstream or not document.layout.known:
        # Never restructure a layout into the upstream one: a fork's digest is left as it is.
        return text
    layout_config = Config(required_fields=config.required_fields, extra_placeholders=config.extra_placeholders)
    fixed = fix_all(document, layout_config, LAYOUT_CODES, include_unsafe=False)
    document = parse(fixed)
    if document.template is not Template.CURRENT:
        return fixed
    return _normalise_blank_lines(document)


def _normalise_blank_lines(document: Document) -> str:
    lines, eols = document.lines, document.eols
    out: list[str] = []
    eol_of_file = dominant_eol(eols)
    last_block = len(document.blocks) - 1
    for index, block in enumerate(document.blocks):
        start = document.starts[index]
        end = start + block.line_count
        body_end = end
        while body_end > start and not lines[body_end - 1].strip():
            body_end -= 1
        for row in range(start, body_end):
            out.append(lines[row] + (eols[row] or eol_of_file))
        if index == last_block:
            break
        if isinstance(block, HeadingBlock) and block.is_toc:
            blanks = _TOC_BLANKS
        else:
            blanks = _BLANKS_AFTER.get(type(block), end - body_end)
        out.extend([eol_of_file] * blanks)
    return "".join(out)
