"""Typed configuration: `[tool.digest-ls]` in pyproject.toml, `.digest-ls.toml`, or editor settings.

The CLI and the server read the same keys. Keys are kebab-case in TOML; the
editor settings use camelCase (`extraPlaceholders`), which maps to the same
field. Invalid values (a code that names no rule, a value of the wrong type,
a per-paper key that is not an arXiv id) raise `ConfigError` naming the
source, the key and what was expected; the caller decides whether that is
fatal (the CLI exits 2, the server shows one message and keeps the defaults).
A file's paths (`exclude`) are relative to its folder, the project root.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .arxiv import parse_id
from .rules.registry import RULES, closest


DEFAULT_REQUIRED_FIELDS = ("Motivation", "Method", "Result", "Conclusion", "Abstract")
CONFIG_FILES = (".digest-ls.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration value that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (code, "error"|"warning"|"info"|"hint"|"off")
    extra_placeholders: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = DEFAULT_REQUIRED_FIELDS
    allowed_categories: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_paper_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Server-only settings; the CLI ignores them.
    debounce_ms: int = 200
    hover_abstract_length: int = 600
    completion_limit: int = 50
    outline: bool = True
    index_include: tuple[str, ...] = ("**/*.md", "**/*.jsonl")
    index_exclude: tuple[str, ...] = ()
    metadata_files: tuple[str, ...] = ()
    source: str | None = None  # the file the values came from, for messages
    root: str | None = None  # the folder of that file: the project root its paths are relative to

    def project_root(self) -> Path:
        """Where relative paths of this configuration start, and where the results cache lives."""
        return Path(self.root) if self.root else Path.cwd()

    def is_excluded(self, path: str) -> bool:
        return self.exclusion(path) is not None

    def exclusion(self, path: str) -> str | None:
        """The `exclude` pattern that skips a path, or None.

        Patterns match the path relative to the project root, so they mean the
        same from whatever folder the command runs; a pattern that matches a
        folder skips everything in it, and one without `/` matches a name at
        any depth. A file outside the root matches only by its name or an
        absolute pattern.
        """
        if not self.exclude:
            return None
        absolute = os.path.abspath(path)
        try:
            relative = os.path.relpath(absolute, self.project_root()).replace("\\", "/")
        except ValueError:  # another drive on Windows
            relative = "../"
        if relative == ".." or relative.startswith("../"):
            candidates = [absolute.replace("\\", "/")]
        else:
            parts = relative.split("/")
            candidates = ["/".join(parts[:length]) for length in range(len(parts), 0, -1)]
        for pattern in self.exclude:
            if any(glob_match(candidate, pattern) for candidate in candidates):
                return pattern
        return None

    def severity_overrides(self) -> dict[str, str]:
        return dict(self.severity)

    def paper_ignores(self) -> dict[str, tuple[str, ...]]:
        return dict(self.per_paper_ignores)

    def cache_key(self) -> str:
        return repr(tuple(getattr(self, item.name) for item in fields(self) if item.name != "source"))


_PREFIX = re.compile(r"D\d{0,3}$")
_SEVERITIES = {"error", "warning", "info", "hint", "off"}
_FIELD_BY_KEY = {item.name.replace("_", "-"): item.name for item in fields(Config) if item.name not in ("source", "root")}


def glob_match(relative: str, pattern: str) -> bool:
    """Match a root-relative POSIX path: `**/` also matches no folder, a pattern without `/` matches the name."""
    pattern = pattern.replace("\\", "/")
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    if pattern.startswith("**/") and glob_match(relative, pattern[3:]):
        return True
    if "/" not in pattern:
        return fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], pattern)
    return False


def _kebab(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", key).replace("_", "-").lower()


def config_from_mapping(values: dict[str, Any], source: str, base: Config | None = None) -> Config:
    """Validate a settings table (TOML or editor settings) into a Config."""
    if not isinstance(values, dict):
        raise ConfigError(f"{source}: the digest-ls settings must be a table, not {type(values).__name__}")
    changes: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = _kebab(str(raw_key))
        name = _FIELD_BY_KEY.get(key)
        if name is None:
            known = ", ".join(sorted(_FIELD_BY_KEY))
            raise ConfigError(f"{source}: unknown key `{raw_key}` (known keys: {known})")
        changes[name] = _validate(name, key, value, source)
    return replace(base or Config(), source=source, **changes)


def _validate(name: str, key: str, value: Any, source: str):
    where = f"{source}: `{key}`"
    default = getattr(Config(), name)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{where} must be a non-negative integer, not {value!r}")
        return value
    if name == "severity":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of rule code = severity, not {value!r}")
        pairs = []
        for code, level in value.items():
            _check_codes([str(code)], where, prefixes=False)
            if not isinstance(level, str) or level.lower() not in _SEVERITIES:
                raise ConfigError(
                    f"{where}: `{code} = {level!r}` is not valid: expected one of error, warning, info, hint, off"
                )
            pairs.append((str(code), level.lower()))
        return tuple(sorted(pairs))
    if name == "per_paper_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of arXiv id = [codes], not {value!r}")
        pairs = []
        for paper, codes in value.items():
            if parse_id(str(paper).strip()) is None:
                raise ConfigError(
                    f"{where}: `{paper}` is not an arXiv id (expected e.g. 2507.07480, 2507.07480v2 or hep-th/9901001)"
                )
            codes = _string_list(codes, f"{where}.{paper}")
            _check_codes(codes, f"{where}.{paper}")
            pairs.append((str(paper), tuple(codes)))
        return tuple(sorted(pairs))
    items = _string_list(value, where)
    if name in ("select", "ignore"):
        _check_codes(items, where)
    return tuple(items)


def _string_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        raise ConfigError(f"{where} must be a list of strings, not the string {value!r} (write [{value!r}])")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings, not {value!r}")
    return list(value)


def _check_codes(codes: list[str], where: str, *, prefixes: bool = True) -> None:
    """Every code must name a rule of the registry; with `prefixes`, `ALL` and prefixes of some rule's code too."""
    for code in codes:
        if code in RULES or (prefixes and _is_prefix(code)):
            continue
        expected = "a rule code or prefix such as D2, D205 or ALL" if prefixes else "a rule code such as D205"
        close = closest(code)
        hint = f"; did you mean {close}?" if close else ""
        raise ConfigError(f"{where}: `{code}` names no rule (expected {expected}; `digest-ls rules` lists them){hint}")


def _is_prefix(code: str) -> bool:
    return code == "ALL" or (_PREFIX.match(code) is not None and any(known.startswith(code) for known in RULES))


def find_config_file(start: Path) -> Path | None:
    """The nearest `.digest-ls.toml`, or `pyproject.toml` with a `[tool.digest-ls]` table, above `start`."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and not _has_tool_table(candidate):
                    continue
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "digest-ls" in _read_toml(path).get("tool", {})
    except ConfigError:
        return True  # let load_config report the broken file


def _read_toml(path: Path) -> dict:
    import tomllib  # most runs find no configuration file: keep start-up lean

    from .files import FileError, read_text  # the one reader: a byte order mark is no TOML error

    try:
        return tomllib.loads(read_text(path))
    except FileError as error:
        raise ConfigError(str(error)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def load_config(path: Path) -> Config:
    """The configuration a file sets; its paths are relative to the file's folder."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        config = config_from_mapping(data.get("tool", {}).get("digest-ls", {}), f"{path} [tool.digest-ls]")
    else:
        config = config_from_mapping(data, str(path))
    return replace(config, root=str(path.resolve().parent))


def settings_toml(config: Config) -> str:
    """Every key with its value, as a `.digest-ls.toml` that sets them would (for `check --show-settings`)."""

    def value(item) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, int):
            return str(item)
        if isinstance(item, str):
            return json.dumps(item, ensure_ascii=False)
        return "[" + ", ".join(value(element) for element in item) + "]"

    def table(pairs) -> str:
        if not pairs:
            return "{}"
        return "{ " + ", ".join(f"{json.dumps(key, ensure_ascii=False)} = {value(item)}" for key, item in pairs) + " }"

    lines = []
    for key, name in _FIELD_BY_KEY.items():
        item = getattr(config, name)
        lines.append(f"{key} = {table(item) if name in ('severity', 'per_paper_ignores') else value(item)}")
    return "\n".join(lines) + "\n"


def config_for(path: Path) -> Config:
    found = find_config_file(path.resolve())
    return load_config(found) if found else Config()
