"""The arXiv category taxonomy, as plain data plus a few lookups.

This module owns:

* ``CATEGORIES``: every category code in arXiv's current taxonomy mapped to
  its official full name (``"cs.DC"`` -> ``"Distributed, Parallel, and
  Cluster Computing"``).  The six pairs of codes that arXiv treats as
  aliases of each other (``math.IT``/``cs.IT`` and so on) are both listed,
  since arXiv lists both.
* ``ALIASES``: codes that arXiv still shows on listings but files under
  another code, mapped to that code.  This covers the alias pairs above
  (alias -> canonical, as arXiv resolves them) and the retired archives of
  the 1990s that became subject classes (``"solv-int"`` -> ``"nlin.SI"``).
* ``LEGACY_CATEGORIES``: whole archives that were once categories in their
  own right and still show as the primary category of old papers
  (``astro-ph``, ``cond-mat``), with their names.
* ``OLD_ARCHIVES``: the archive names that may start an old-style
  identifier (``hep-th/9901001``, ``solv-int/9701001``).
* ``is_known``, ``full_name``, ``canonical`` and ``suggest`` (did-you-mean).

Nothing here knows about digests, Markdown or LSP.
"""

from __future__ import annotations

import difflib
import functools

__all__ = [
    "ALIASES",
    "CATEGORIES",
    "LEGACY_CATEGORIES",
    "OLD_ARCHIVES",
    "canonical",
    "full_name",
    "is_known",
    "suggest",
]

CATEGORIES: dict[str, str] = {
    # Computer Science
    "cs.AI": "Artificial Intelligence",
    "cs.AR": "Hardware Architecture",
    "cs.CC": "Computational Complexity",
    "cs.CE": "Computational Engineering, Finance, and Science",
    "cs.CG": "Computational Geometry",
    "cs.CL": "Computation and Language",
    "cs.CR": "Cryptography and Security",
    "cs.CV": "Computer Vision and Pattern Recognition",
    "cs.CY": "Computers and Society",
    "cs.DB": "Databases",
    "cs.DC": "Distributed, Parallel, and Cluster Computing",
    "cs.DL": "Digital Libraries",
    "cs.DM": "Discrete Mathematics",
    "cs.DS": "Data Structures and Algorithms",
    "cs.ET": "Emerging Technologies",
    "cs.FL": "Formal Languages and Automata Theory",
    "cs.GL": "General Literature",
    "cs.GR": "Graphics",
    "cs.GT": "Computer Science and Game Theory",
    "cs.HC": "Human-Computer Interaction",
    "cs.IR": "Information Retrieval",
    "cs.IT": "Information Theory",
    "cs.LG": "Machine Learning",
    "cs.LO": "Logic in Computer Science",
    "cs.MA": "Multiagent Systems",
    "cs.MM": "Multimedia",
    "cs.MS": "Mathematical Software",
    "cs.NA": "Numerical Analysis",
    "cs.NE": "Neural and Evolutionary Computing",
    "cs.NI": "Networking and Internet Architecture",
    "cs.OH": "Other Computer Science",
    "cs.OS": "Operating Systems",
    "cs.PF": "Performance",
    "cs.PL": "Programming Languages",
    "cs.RO": "Robotics",
    "cs.SC": "Symbolic Computation",
    "cs.SD": "Sound",
    "cs.SE": "Software Engineering",
    "cs.SI": "Social and Information Networks",
    "cs.SY": "Systems and Control",
    # Economics
    "econ.EM": "Econometrics",
    "econ.GN": "General Economics",
    "econ.TH": "Theoretical Economics",
    # Electrical Engineering and Systems Science
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control",
    # Mathematics
    "math.AC": "Commutative Algebra",
    "math.AG": "Algebraic Geometry",
    "math.AP": "Analysis of PDEs",
    "math.AT": "Algebraic Topology",
    "math.CA": "Classical Analysis and ODEs",
    "math.CO": "Combinatorics",
    "math.CT": "Category Theory",
    "math.CV": "Complex Variables",
    "math.DG": "Differential Geometry",
    "math.DS": "Dynamical Systems",
    "math.FA": "Functional Analysis",
    "math.GM": "General Mathematics",
    "math.GN": "General Topology",
    "math.GR": "Group Theory",
    "math.GT": "Geometric Topology",
    "math.HO": "History and Overview",
    "math.IT": "Information Theory",
    "math.KT": "K-Theory and Homology",
    "math.LO": "Logic",
    "math.MG": "Metric Geometry",
    "math.MP": "Mathematical Physics",
    "math.NA": "Numerical Analysis",
    "math.NT": "Number Theory",
    "math.OA": "Operator Algebras",
    "math.OC": "Optimization and Control",
    "math.PR": "Probability",
    "math.QA": "Quantum Algebra",
    "math.RA": "Rings and Algebras",
    "math.RT": "Representation Theory",
    "math.SG": "Symplectic Geometry",
    "math.SP": "Spectral Theory",
    "math.ST": "Statistics Theory",
    # Physics: Astrophysics
    "astro-ph.CO": "Cosmology and Nongalactic Astrophysics",
    "astro-ph.EP": "Earth and Planetary Astrophysics",
    "astro-ph.GA": "Astrophysics of Galaxies",
    "astro-ph.HE": "High Energy Astrophysical Phenomena",
    "astro-ph.IM": "Instrumentation and Methods for Astrophysics",
    "astro-ph.SR": "Solar and Stellar Astrophysics",
    # Physics: Condensed Matter
    "cond-mat.dis-nn": "Disordered Systems and Neural Networks",
    "cond-mat.mes-hall": "Mesoscale and Nanoscale Physics",
    "cond-mat.mtrl-sci": "Materials Science",
    "cond-mat.other": "Other Condensed Matter",
    "cond-mat.quant-gas": "Quantum Gases",
    "cond-mat.soft": "Soft Condensed Matter",
    "cond-mat.stat-mech": "Statistical Mechanics",
    "cond-mat.str-el": "Strongly Correlated Electrons",
    "cond-mat.supr-con": "Superconductivity",
    # Physics: single-category archives
    "gr-qc": "General Relativity and Quantum Cosmology",
    "hep-ex": "High Energy Physics - Experiment",
    "hep-lat": "High Energy Physics - Lattice",
    "hep-ph": "High Energy Physics - Phenomenology",
    "hep-th": "High Energy Physics - Theory",
    "math-ph": "Mathematical Physics",
    "nucl-ex": "Nuclear Experiment",
    "nucl-th": "Nuclear Theory",
    "quant-ph": "Quantum Physics",
    # Physics: Nonlinear Sciences
    "nlin.AO": "Adaptation and Self-Organizing Systems",
    "nlin.CD": "Chaotic Dynamics",
    "nlin.CG": "Cellular Automata and Lattice Gases",
    "nlin.PS": "Pattern Formation and Solitons",
    "nlin.SI": "Exactly Solvable and Integrable Systems",
    # Physics: physics archive
    "physics.acc-ph": "Accelerator Physics",
    "physics.ao-ph": "Atmospheric and Oceanic Physics",
    "physics.app-ph": "Applied Physics",
    "physics.atm-clus": "Atomic and Molecular Clusters",
    "physics.atom-ph": "Atomic Physics",
    "physics.bio-ph": "Biological Physics",
    "physics.chem-ph": "Chemical Physics",
    "physics.class-ph": "Classical Physics",
    "physics.comp-ph": "Computational Physics",
    "physics.data-an": "Data Analysis, Statistics and Probability",
    "physics.ed-ph": "Physics Education",
    "physics.flu-dyn": "Fluid Dynamics",
    "physics.gen-ph": "General Physics",
    "physics.geo-ph": "Geophysics",
    "physics.hist-ph": "History and Philosophy of Physics",
    "physics.ins-det": "Instrumentation and Detectors",
    "physics.med-ph": "Medical Physics",
    "physics.optics": "Optics",
    "physics.plasm-ph": "Plasma Physics",
    "physics.pop-ph": "Popular Physics",
    "physics.soc-ph": "Physics and Society",
    "physics.space-ph": "Space Physics",
    # Quantitative Biology
    "q-bio.BM": "Biomolecules",
    "q-bio.CB": "Cell Behavior",
    "q-bio.GN": "Genomics",
    "q-bio.MN": "Molecular Networks",
    "q-bio.NC": "Neurons and Cognition",
    "q-bio.OT": "Other Quantitative Biology",
    "q-bio.PE": "Populations and Evolution",
    "q-bio.QM": "Quantitative Methods",
    "q-bio.SC": "Subcellular Processes",
    "q-bio.TO": "Tissues and Organs",
    # Quantitative Finance
    "q-fin.CP": "Computational Finance",
    "q-fin.EC": "Economics",
    "q-fin.GN": "General Finance",
    "q-fin.MF": "Mathematical Finance",
    "q-fin.PM": "Portfolio Management",
    "q-fin.PR": "Pricing of Securities",
    "q-fin.RM": "Risk Management",
    "q-fin.ST": "Statistical Finance",
    "q-fin.TR": "Trading and Market Microstructure",
    # Statistics
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "stat.ME": "Methodology",
    "stat.ML": "Machine Learning",
    "stat.OT": "Other Statistics",
    "stat.TH": "Statistics Theory",
}

ALIASES: dict[str, str] = {
    # Pairs arXiv keeps as one category under two codes: alias -> canonical.
    "math.IT": "cs.IT",
    "math.MP": "math-ph",
    "stat.TH": "math.ST",
    "q-fin.EC": "econ.GN",
    "cs.SY": "eess.SY",
    "cs.NA": "math.NA",
    # Retired archives, each folded into one subject class.
    "acc-phys": "physics.acc-ph",
    "adap-org": "nlin.AO",
    "alg-geom": "math.AG",
    "ao-sci": "physics.ao-ph",
    "atom-ph": "physics.atom-ph",
    "bayes-an": "physics.data-an",
    "chao-dyn": "nlin.CD",
    "chem-ph": "physics.chem-ph",
    "cmp-lg": "cs.CL",
    "comp-gas": "nlin.CG",
    "dg-ga": "math.DG",
    "funct-an": "math.FA",
    "mtrl-th": "cond-mat.mtrl-sci",
    "patt-sol": "nlin.PS",
    "plasm-ph": "physics.plasm-ph",
    "q-alg": "math.QA",
    "solv-int": "nlin.SI",
    "supr-con": "cond-mat.supr-con",
}

LEGACY_CATEGORIES: dict[str, str] = {
    # Archives that were a single category before they were split into
    # subject classes; old papers still carry them as primary category.
    "astro-ph": "Astrophysics",
    "cond-mat": "Condensed Matter",
}

OLD_ARCHIVES: frozenset[str] = frozenset(
    {
        # Archives still open today.
        "astro-ph",
        "cond-mat",
        "cs",
        "gr-qc",
        "hep-ex",
        "hep-lat",
        "hep-ph",
        "hep-th",
        "math",
        "math-ph",
        "nlin",
        "nucl-ex",
        "nucl-th",
        "physics",
        "q-bio",
        "quant-ph",
        # Archives retired before 2007 (see ALIASES for their successors).
        "acc-phys",
        "adap-org",
        "alg-geom",
        "ao-sci",
        "atom-ph",
        "bayes-an",
        "chao-dyn",
        "chem-ph",
        "cmp-lg",
        "comp-gas",
        "dg-ga",
        "funct-an",
        "mtrl-th",
        "patt-sol",
        "plasm-ph",
        "q-alg",
        "solv-int",
        "supr-con",
    }
)

# Every code that ``is_known`` accepts, and the pool ``suggest`` draws from
# (current codes first so that they win ties against legacy spellings).
_KNOWN: frozenset[str] = frozenset(CATEGORIES) | frozenset(ALIASES) | frozenset(LEGACY_CATEGORIES)
_POOL: tuple[str, ...] = tuple(CATEGORIES) + tuple(
    code for code in (*ALIASES, *LEGACY_CATEGORIES) if code not in CATEGORIES
)
_RANK: dict[str, int] = {code: i for i, code in enumerate(_POOL)}
_LONGEST_CODE = max(len(code) for code in _POOL)


def is_known(code: str) -> bool:
    """True if ``code`` is a current, alias or legacy arXiv category code.

    The test is exact and case-sensitive: ``"cs.CV"`` is known, ``"cs.cv"``
    is not (use :func:`suggest` to find the intended spelling).
    """
    return isinstance(code, str) and code in _KNOWN


def canonical(code: str) -> str | None:
    """The code arXiv files ``code`` under, or None if ``code`` is unknown.

    Current codes map to themselves, aliases and retired archives to their
    successor (``"math.IT"`` -> ``"cs.IT"``, ``"solv-int"`` -> ``"nlin.SI"``),
    legacy whole-archive categories to themselves.
    """
    if not is_known(code):
        return None
    return ALIASES.get(code, code)


def full_name(code: str) -> str | None:
    """The official full name of ``code``, or None if it is not known.

    Codes listed in ``CATEGORIES`` give their own name (``"math.IT"`` ->
    ``"Information Theory"``); retired archives give the name of their
    successor (``"cmp-lg"`` -> ``"Computation and Language"``).
    """
    if not isinstance(code, str):
        return None
    name = CATEGORIES.get(code)
    if name is not None:
        return name
    name = LEGACY_CATEGORIES.get(code)
    if name is not None:
        return name
    target = ALIASES.get(code)
    if target is not None:
        return CATEGORIES.get(target)
    return None


def _levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute; each costs 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (ca != cb),
                )
            )
        previous = current
    return previous[-1]


def _max_distance(code: str) -> int:
    """How far (case-insensitively) a suggestion may be from ``code``."""
    return max(1, min(3, len(code) // 3))


def suggest(code: str, limit: int = 3) -> list[str]:
    if not isinstance(code, str) or limit <= 0 or len(code.strip()) > _LONGEST_CODE + 4:
        return []  # nothing is a few edits away from a long text, and the distance is quadratic
    return list(_suggest(code, limit))


@functools.lru_cache(maxsize=2048)
def _suggest(code: str, limit: int) -> tuple[str, ...]:
    """Did-you-mean candidates for ``code``, best first, at most ``limit``.

    Order: codes equal to ``code`` ignoring case (``"CS.cv"`` -> ``"cs.CV"``),
    then codes by increasing edit distance ignoring case (``"cs.CVV"`` ->
    ``"cs.CV"`` first), ties broken by case-sensitive distance, then by
    :mod:`difflib` similarity, then current codes before aliases and legacy
    ones.  A code without a dot that equals a subject class
    (``"CV"``) also suggests the codes with that subject class
    (``"cs.CV"``, ``"math.CV"``).  Candidates further than a small distance
    (1 to 3 edits, growing with the length of ``code``) are left out, so
    nonsense gets an empty list.
    """
    if not isinstance(code, str) or limit <= 0:
        return []
    text = code.strip()
    if not text:
        return []
    folded = text.casefold()
    cutoff = _max_distance(text)

    scored: list[tuple[int, int, float, int, str]] = []
    for candidate in _POOL:
        distance = _levenshtein(folded, candidate.casefold())
        if distance > cutoff:
            # Bare subject class ("CV", "ml"): match on the part after the dot.
            if "." in text or "." not in candidate:
                continue
            if candidate.split(".", 1)[1].casefold() != folded:
                continue
            distance = cutoff
        exact = _levenshtein(text, candidate)
        ratio = difflib.SequenceMatcher(None, folded, candidate.casefold()).ratio()
        scored.append((distance, exact, -ratio, _RANK[candidate], candidate))
    scored.sort()

    return tuple(entry[-1] for entry in scored[:limit])
