"""Position encodings: code points <-> UTF-8 / UTF-16 / UTF-32, on the lines digests really have."""

from hypothesis import given
from hypothesis import strategies as st

from digest_ls.lsp.positions import UTF8, UTF16, UTF32, PositionCodec, negotiate

LINE = "*Zoë Çelik,李华,Ana 🚀 Pérez*"


def test_negotiation_prefers_what_is_cheapest_among_what_is_offered():
    assert negotiate(None) == UTF16
    assert negotiate([]) == UTF16
    assert negotiate(["utf-16"]) == UTF16  # VS Code
    assert negotiate(["utf-8", "utf-16"]) == UTF8  # Neovim
    assert negotiate(["utf-16", "utf-8"]) == UTF8
    assert negotiate(["utf-8", "utf-16", "utf-32"]) == UTF32
    assert negotiate(["latin-1"]) == UTF16


def test_columns_after_accents_cjk_and_emoji():
    rocket = LINE.index("🚀")
    after = rocket + 1
    assert PositionCodec(UTF32).to_client_col(LINE, after) == after
    # ë, Ç, é... before the rocket: 2 bytes each in UTF-8; 李华: 3 bytes each; 🚀: 4 bytes / 2 units.
    prefix = LINE[:after]
    assert PositionCodec(UTF16).to_client_col(LINE, after) == after + 1
    assert PositionCodec(UTF8).to_client_col(LINE, after) == len(prefix.encode("utf-8"))
    for encoding in (UTF8, UTF16, UTF32):
        codec = PositionCodec(encoding)
        assert codec.from_client_col(LINE, codec.to_client_col(LINE, after)) == after


def test_a_position_inside_a_character_rounds_down():
    rocket = LINE.index("🚀")
    utf16 = PositionCodec(UTF16)
    assert utf16.from_client_col(LINE, utf16.to_client_col(LINE, rocket) + 1) == rocket
    utf8 = PositionCodec(UTF8)
    start = utf8.to_client_col(LINE, rocket)
    for inside in (start + 1, start + 2, start + 3):
        assert utf8.from_client_col(LINE, inside) == rocket


def test_columns_past_the_end_clamp_to_the_end():
    for encoding in (UTF8, UTF16, UTF32):
        codec = PositionCodec(encoding)
        assert codec.from_client_col(LINE, 10_000) == len(LINE)
        assert codec.to_client_col(LINE, 10_000) == codec.to_client_col(LINE, len(LINE))
        assert codec.from_client(["a"], 5, 3) == (5, 3)  # a line past the end keeps its column


@given(st.text(), st.data())
def test_round_trip_on_any_text(text, data):
    line = text.replace("\n", " ").replace("\r", " ")
    col = data.draw(st.integers(0, len(line)))
    for encoding in (UTF8, UTF16, UTF32):
        codec = PositionCodec(encoding)
        units = codec.to_client_col(line, col)
        assert codec.from_client_col(line, units) == col
