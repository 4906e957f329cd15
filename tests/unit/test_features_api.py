"""The API contract in `digest_ls.features.__doc__` matches the code, and the layers stay pure."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import digest_ls.features as features

PACKAGE = Path(features.__file__).resolve().parent.parent
PURE_FOLDERS = (PACKAGE / "features", PACKAGE / "index")


def _documented() -> dict[str, list[str]]:
    """module -> names listed under its heading in the features docstring."""
    sections = re.split(r"\n(digest_ls\.[a-z_.]+)[^\n]*\n-+\n", features.__doc__)
    found = {}
    for module, body in zip(sections[1::2], sections[2::2]):
        names = re.findall(r"^    (?:\.)?([A-Za-z_][A-Za-z0-9_]*)\(", body, re.MULTILINE)
        found[module] = names
    return found


def test_every_documented_name_exists():
    documented = _documented()
    assert set(documented) == {
        "digest_ls.index",
        "digest_ls.features.markdown",
        "digest_ls.features.symbols",
        "digest_ls.features.hover",
        "digest_ls.features.completion",
        "digest_ls.features.cite",
        "digest_ls.features.navigation",
        "digest_ls.features.structure",
        "digest_ls.features.editing",
    }
    from digest_ls.index import WorkspaceIndex

    for module_name, names in documented.items():
        module = importlib.import_module(module_name)
        for name in names:
            assert hasattr(module, name) or hasattr(WorkspaceIndex, name), f"{module_name}.{name}"


def test_documented_functions_take_the_documented_parameters():
    documented = features.__doc__
    for module_name in _documented():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value) or value.__module__ != module_name:
                continue
            match = re.search(rf"\b{name}\(([^)]*)\)", documented)
            if match is None:
                continue
            written = [p.split(":")[0].split("=")[0].strip() for p in _top_level_split(match.group(1)) if p.strip()]
            actual = list(inspect.signature(value).parameters)
            assert written == actual[: len(written)], f"{module_name}.{name}: {written} vs {actual}"


def _top_level_split(text: str) -> list[str]:
    """Split a parameter list on commas outside brackets."""
    parts, depth, current = [], 0, ""
    for char in text.replace("\n", " "):
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return parts + [current]


def test_no_protocol_imports_in_the_pure_layers():
    for folder in PURE_FOLDERS:
        for path in folder.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                for name in names:
                    assert not name.startswith(("pygls", "lsprotocol")), f"{path}: imports {name}"
                    assert ".lsp" not in name and name != "lsp", f"{path}: imports {name}"


def test_every_module_opens_with_a_docstring():
    for folder in PURE_FOLDERS:
        for path in folder.rglob("*.py"):
            assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path
