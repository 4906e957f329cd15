"""The block test in front of the character checks (D302, D304) lets through every block they report in."""

from __future__ import annotations

from digest_ls.rules.text_rules import SUSPECT_CHARACTER, may_hold_suspects


def test_every_suspect_character_opens_its_block():
    suspects = [chr(code) for code in range(0x110000) if SUSPECT_CHARACTER.match(chr(code))]
    assert len(suspects) > 40
    for character in suspects:
        assert may_hold_suspects(["clean line", f"a{character}b"]), hex(ord(character))


def test_a_trailing_space_opens_its_block():
    assert may_hold_suspects(["clean line", "TL;DR: text "])
    assert not may_hold_suspects(["clean line", "", "中文摘要：文本"])
