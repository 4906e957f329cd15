"""Typed configuration: `[tool.digest-ls]` in pyproject.toml, `.digest-ls.toml`, or editor settings.

The CLI and the server read the same keys. Keys are kebab-case in TOML; the
editor settings use camelCase (`extraPlaceholders`), which maps to the same
field. Invalid values raise `ConfigError` naming the source, the key and what
was expected; the caller decides whether that is fatal (the CLI exits 2, the
server shows one message and keeps the defaults).
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


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

    def is_excluded(self, path: str) -> bool:
        """Whether a path matches an `exclude` glob, as given, relative to the working folder, or by name."""
        if not self.exclude:
            return False
        candidates = {os.path.normpath(path).replace("\\", "/")}
        try:
            candidates.add(os.path.relpath(os.path.abspath(path)).replace("\\", "/"))
        except ValueError:  # another drive on Windows
            pass
        candidates.add(path.replace("\\", "/").rsplit("/", 1)[-1])
        return any(fnmatch.fnmatch(candidate, pattern) for candidate in candidates for pattern in self.exclude)

    def severity_overrides(self) -> dict[str, str]:
        return dict(self.severity)

    def paper_ignores(self) -> dict[str, tuple[str, ...]]:
        return dict(self.per_paper_ignores)

    def cache_key(self) -> str:
        return repr(tuple(getattr(self, item.name) for item in fields(self) if item.name != "source"))


_CODE = re.compile(r"D\d{0,3}$|ALL$")
_SEVERITIES = {"error", "warning", "info", "hint", "off"}
_FIELD_BY_KEY = {item.name.replace("_", "-"): item.name for item in fields(Config) if item.name != "source"}


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
            if not _CODE.match(str(code)) or not isinstance(level, str) or level.lower() not in _SEVERITIES:
                raise ConfigError(
                    f"{where}: `{code} = {level!r}` is not valid: expected a rule code such as D205 "
                    f"and one of error, warning, info, hint, off"
                )
            pairs.append((str(code), level.lower()))
        return tuple(sorted(pairs))
    if name == "per_paper_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of arXiv id = [codes], not {value!r}")
        pairs = []
        for paper, codes in value.items():
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
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings, not {value!r}")
    return list(value)


def _check_codes(codes: list[str], where: str) -> None:
    for code in codes:
        if not _CODE.match(code):
            raise ConfigError(f"{where}: `{code}` is not a rule code or prefix (expected e.g. D2, D205 or ALL)")


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

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def load_config(path: Path) -> Config:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("digest-ls", {})
        return config_from_mapping(table, f"{path} [tool.digest-ls]")
    return config_from_mapping(data, str(path))


def config_for(path: Path) -> Config:
    found = find_config_file(path.resolve())
    return load_config(found) if found else Config()
