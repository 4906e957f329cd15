"""normalize_name and canonical_id: the keys the index groups on."""

from digest_ls.index import canonical_id, normalize_name


def test_normalize_name_folds_case_diacritics_and_spaces():
    assert normalize_name("José  García") == "jose garcia"
    assert normalize_name(" JOSE GARCIA ") == "jose garcia"
    assert normalize_name("Åsa Lindqvist") == "asa lindqvist"
    assert normalize_name("Straße") == "strasse"  # casefold, not lower


def test_normalize_name_keeps_non_latin_letters():
    assert normalize_name("王 小明") == "王 小明"
    assert normalize_name("") == ""


def test_canonical_id_accepts_versions_prefixes_and_links():
    assert canonical_id("2601.00101v3") == "2601.00101"
    assert canonical_id("arXiv:2601.00101") == "2601.00101"
    assert canonical_id("https://arxiv.org/pdf/2601.00101v2") == "2601.00101"
    assert canonical_id("math.GT/0309136") == "math/0309136"
    assert canonical_id("not an id") is None
