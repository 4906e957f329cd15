"""A long fuzz run of the engine, for local use (CI runs the short property tests instead).

    python tests/fuzz/fuzz_engine.py [--examples 20000] [--seed N]

Hypothesis drives three targets with many more examples than the test suite:
random text (surrogates and controls included) through parse + lint + fix,
mutations of real digests, and long incremental edit sessions checked
against full parses. It prints the number of inputs tried and exits non-zero
on the first failure, with the failing example.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "server"), str(ROOT / "tests"), str(ROOT / "tests" / "reliability"), str(ROOT / "tests" / "unit")]

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from digest_ls.fixes import fix_all  # noqa: E402
from digest_ls.lint import lint  # noqa: E402
from digest_ls.parser.document import parse  # noqa: E402
from digest_ls.parser.incremental import apply_changes  # noqa: E402
from test_incremental import oracle_apply, sessions  # noqa: E402
from test_robustness import SAMPLES, _mutations  # noqa: E402

tried = {"random text": 0, "mutated digests": 0, "edit sessions": 0, "edits": 0}


def run(examples: int) -> None:
    common = settings(max_examples=examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))

    @common
    @given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=2000))
    def random_text(text):
        tried["random text"] += 1
        document = parse(text)
        assert document.text == text
        lint(document)
        fix_all(document)

    @common
    @given(st.sampled_from(SAMPLES), st.randoms(use_true_random=False))
    def mutated(text, rng):
        tried["mutated digests"] += 1
        document = parse(_mutations(text, rng))
        lint(document)
        fix_all(document)

    @common
    @given(sessions())
    def edit_sessions(session):
        tried["edit sessions"] += 1
        text, steps = session
        document = parse(text)
        result = lint(document)
        for batch in steps:
            for change in batch:
                text = oracle_apply(text, change.range, change.text)
                tried["edits"] += 1
            document = apply_changes(document, batch)
            result = lint(document, previous=result)
            full = parse(text)
            assert document == full and result.diagnostics == lint(full).diagnostics

    for target in (random_text, mutated, edit_sessions):
        target()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000)
    args = parser.parse_args()
    run(args.examples)
    print(", ".join(f"{name}: {count}" for name, count in tried.items()) + "; crashes: 0")


if __name__ == "__main__":
    main()
