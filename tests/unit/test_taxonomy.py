"""Tests for digest_ls.taxonomy: the category table, aliases and did-you-mean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digest_ls import taxonomy
from digest_ls.taxonomy import (
    ALIASES,
    CATEGORIES,
    LEGACY_CATEGORIES,
    OLD_ARCHIVES,
    canonical,
    full_name,
    is_known,
    suggest,
)

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"

MAIN_CATEGORY_RE = re.compile(r"^Main category: (\S+)$", re.MULTILINE)
TOC_ITEM_RE = re.compile(r"^- \[([^\]\s]+)\]\(#([^)\s]+)\)", re.MULTILINE)


# ---------------------------------------------------------------- the table


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("cs.DC", "Distributed, Parallel, and Cluster Computing"),
        ("cs.AI", "Artificial Intelligence"),
        ("math.PR", "Probability"),
        ("astro-ph.GA", "Astrophysics of Galaxies"),
        ("q-bio.NC", "Neurons and Cognition"),
        ("stat.ML", "Machine Learning"),
        ("eess.SP", "Signal Processing"),
        ("cs.CV", "Computer Vision and Pattern Recognition"),
        ("cs.CL", "Computation and Language"),
        ("cond-mat.mtrl-sci", "Materials Science"),
        ("physics.flu-dyn", "Fluid Dynamics"),
        ("hep-th", "High Energy Physics - Theory"),
        ("quant-ph", "Quantum Physics"),
        ("econ.EM", "Econometrics"),
        ("q-fin.TR", "Trading and Market Microstructure"),
        ("nlin.SI", "Exactly Solvable and Integrable Systems"),
    ],
)
def test_full_names_of_examples(code: str, name: str) -> None:
    assert CATEGORIES[code] == name
    assert full_name(code) == name
    assert is_known(code)


def test_size_and_archives_covered() -> None:
    assert 150 <= len(CATEGORIES) <= 160
    prefixes = {code.split(".", 1)[0] for code in CATEGORIES}
    for archive in (
        "cs", "math", "physics", "astro-ph", "cond-mat", "gr-qc", "hep-ex",
        "hep-lat", "hep-ph", "hep-th", "math-ph", "nlin", "nucl-ex", "nucl-th",
        "quant-ph", "q-bio", "q-fin", "stat", "econ", "eess",
    ):
        assert archive in prefixes, archive
    assert sum(code.startswith("cs.") for code in CATEGORIES) == 40
    assert sum(code.startswith("math.") for code in CATEGORIES) == 32


def test_codes_and_names_are_well_formed() -> None:
    code_re = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.(?:[A-Z]{2}|[a-z]+(?:-[a-z]+)?))?$")
    for code, name in CATEGORIES.items():
        assert code_re.match(code), code
        assert name and name == name.strip(), code


def test_aliases_point_at_listed_codes() -> None:
    for alias, target in ALIASES.items():
        assert target in CATEGORIES, (alias, target)
        assert alias != target
        assert is_known(alias)
        assert canonical(alias) == target
    assert ALIASES["math.IT"] == "cs.IT"
    assert ALIASES["math.MP"] == "math-ph"
    assert ALIASES["stat.TH"] == "math.ST"
    assert ALIASES["q-fin.EC"] == "econ.GN"
    assert {ALIASES.get("cs.SY"), ALIASES.get("eess.SY")} & {"cs.SY", "eess.SY"}
    assert {ALIASES.get("cs.NA"), ALIASES.get("math.NA")} & {"cs.NA", "math.NA"}


def test_alias_pairs_share_a_name() -> None:
    for alias in ("math.IT", "math.MP", "stat.TH", "cs.SY", "cs.NA"):
        assert full_name(alias) == full_name(ALIASES[alias])


def test_retired_archives_resolve() -> None:
    assert full_name("cmp-lg") == "Computation and Language"
    assert canonical("solv-int") == "nlin.SI"
    assert canonical("alg-geom") == "math.AG"
    assert canonical("supr-con") == "cond-mat.supr-con"
    assert full_name("bayes-an") == "Data Analysis, Statistics and Probability"


def test_legacy_whole_archive_categories() -> None:
    for code, name in LEGACY_CATEGORIES.items():
        assert is_known(code)
        assert full_name(code) == name
        assert canonical(code) == code


def test_old_archives() -> None:
    assert isinstance(OLD_ARCHIVES, frozenset)
    for archive in (
        "hep-th", "math", "cs", "cond-mat", "astro-ph", "physics", "q-bio",
        "nlin", "quant-ph", "gr-qc", "math-ph", "nucl-th", "nucl-ex", "hep-ph",
        "hep-ex", "hep-lat", "solv-int", "chao-dyn", "patt-sol", "adap-org",
        "comp-gas", "alg-geom", "dg-ga", "funct-an", "q-alg", "mtrl-th",
        "supr-con", "chem-ph", "atom-ph", "acc-phys", "ao-sci", "bayes-an",
        "plasm-ph", "cmp-lg",
    ):
        assert archive in OLD_ARCHIVES, archive
    # Archives born after 2007 never had old-style ids.
    assert "stat" not in OLD_ARCHIVES
    assert "q-fin" not in OLD_ARCHIVES
    assert "eess" not in OLD_ARCHIVES


# ---------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    "code", ["cs.cv", "CS.CV", "cs.CV ", "", "cs", "cs.XX", "math.IT.x", "Main category"]
)
def test_unknown_codes(code: str) -> None:
    assert not is_known(code)
    assert full_name(code) is None
    assert canonical(code) is None


def test_non_string_input_is_unknown() -> None:
    assert not is_known(None)  # type: ignore[arg-type]
    assert full_name(3) is None  # type: ignore[arg-type]
    assert suggest(None) == []  # type: ignore[arg-type]


def test_current_codes_are_their_own_canonical() -> None:
    for code in CATEGORIES:
        if code not in ALIASES:
            assert canonical(code) == code


# ---------------------------------------------------------------- suggest


def test_suggest_case_insensitive_exact_first() -> None:
    assert suggest("CS.cv")[0] == "cs.CV"
    assert suggest("cs.cv", limit=1) == ["cs.CV"]
    assert suggest("ASTRO-PH.ga")[0] == "astro-ph.GA"
    assert suggest("Q-BIO.nc")[0] == "q-bio.NC"


def test_suggest_edit_distance() -> None:
    assert suggest("cs.CVV")[0] == "cs.CV"
    assert suggest("cs.LGG")[0] == "cs.LG"
    assert suggest("hep-tj")[0] == "hep-th"
    assert suggest("quantph")[0] == "quant-ph"
    assert suggest("physics.fluid-dyn")[0] == "physics.flu-dyn"
    assert suggest("stat.ML.")[0] == "stat.ML"


def test_suggest_bare_subject_class() -> None:
    assert set(suggest("CV")) == {"cs.CV", "math.CV"}


def test_suggest_limit_and_nonsense() -> None:
    assert len(suggest("cs.CVV")) == 3
    assert len(suggest("cs.CVV", limit=2)) == 2
    assert suggest("cs.CVV", limit=0) == []
    assert suggest("zzzzzzzzzz") == []
    assert suggest("") == []


def test_suggest_only_returns_known_codes_without_duplicates() -> None:
    for query in ("cs.cv", "mathPR", "eess.sy", "cond-mat.mtrlsci", "q-fin.ec"):
        result = suggest(query, limit=5)
        assert result, query
        assert len(result) == len(set(result))
        assert all(is_known(code) for code in result)


def test_every_code_suggests_itself_first() -> None:
    for code in taxonomy.CATEGORIES:
        assert suggest(code, limit=1) == [code]


# ---------------------------------------------------------------- real digests


def _digest_files() -> list[Path]:
    return sorted(p for p in CORPUS_DIR.glob("*.md") if p.name != "README.md")


@pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="shared corpus not available")
def test_every_category_in_real_digests_is_known() -> None:
    main_categories: set[str] = set()
    toc_codes: set[str] = set()
    for path in _digest_files():
        text = path.read_text(encoding="utf-8")
        main_categories.update(MAIN_CATEGORY_RE.findall(text))
        for label, anchor in TOC_ITEM_RE.findall(text):
            assert label == anchor, (path.name, label, anchor)
            toc_codes.add(label)
    assert main_categories, "no `Main category:` line found in the corpus"
    assert toc_codes, "no table-of-contents item found in the corpus"
    unknown = sorted(code for code in main_categories | toc_codes if not is_known(code))
    assert unknown == []
