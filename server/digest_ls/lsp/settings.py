"""Which `Config` applies to a document: project file, then editor settings.

Layers, each overriding only the keys it sets:
1. `[tool.digest-ls]` in the nearest pyproject.toml (or `.digest-ls.toml`),
   found from the document's folder, the same file the CLI reads;
2. `initializationOptions` (a flat camelCase object, or one nested under
   `digest-ls`);
3. the client's `workspace/configuration` section `digest-ls`, read at
   `initialized` and again on `workspace/didChangeConfiguration`.

A layer with an invalid value is dropped whole: the user gets one
`window/showMessage` naming the key (each distinct message once), and the
other layers still apply.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from ..config import Config, ConfigError, config_for, config_from_mapping

logger = logging.getLogger(__name__)

SECTION = "digest-ls"


def unwrap_section(values: Any) -> Any:
    """Accept `{"digest-ls": {...}}` as well as the flat object."""
    if isinstance(values, dict) and len(values) == 1:
        for key in (SECTION, "digestLs", "digest_ls"):
            if isinstance(values.get(key), dict):
                return values[key]
    return values


class Settings:
    def __init__(self, report: Callable[[str], None]):
        self._report = report
        self._reported: set[str] = set()
        self._init_options: dict = {}
        self._client_settings: dict = {}
        self._by_folder: dict[str, Config] = {}

    # --- the editor's layers -----------------------------------------------------

    def set_initialization_options(self, values: Any) -> None:
        self._init_options = self._checked(unwrap_section(values), "initializationOptions")
        self._by_folder.clear()

    def set_client_settings(self, values: Any) -> None:
        """The `digest-ls` section from `workspace/configuration` or didChangeConfiguration."""
        self._client_settings = self._checked(unwrap_section(values), "the editor setting `digest-ls`")
        self._by_folder.clear()

    def invalidate_files(self) -> None:
        """A configuration file changed on disk: read them again."""
        self._by_folder.clear()

    def _checked(self, values: Any, source: str) -> dict:
        if values is None or values == {} or values == []:
            return {}
        try:
            config_from_mapping(values, source)
        except ConfigError as error:
            self._warn(f"digest-ls: invalid setting, using the defaults instead: {error}")
            return {}
        return dict(values)

    # --- resolution -----------------------------------------------------------------

    def config_for(self, path: str | None, fallback_folder: str | None = None) -> Config:
        folder = str(Path(path).parent) if path else fallback_folder
        key = folder or ""
        config = self._by_folder.get(key)
        if config is None:
            config = self._resolve(folder)
            self._by_folder[key] = config
        return config

    def _resolve(self, folder: str | None) -> Config:
        config = Config()
        if folder:
            try:
                config = config_for(Path(folder))
            except ConfigError as error:
                self._warn(f"digest-ls: invalid project configuration, using the defaults instead: {error}")
                config = Config()
        for values, source in (
            (self._init_options, "initializationOptions"),
            (self._client_settings, "the editor setting `digest-ls`"),
        ):
            if values:
                try:
                    config = config_from_mapping(values, source, base=config)
                except ConfigError as error:  # valid alone, but checked again for safety
                    self._warn(f"digest-ls: invalid setting, using the defaults instead: {error}")
        return config

    def _warn(self, message: str) -> None:
        logger.warning("%s", message)
        if message not in self._reported:
            self._reported.add(message)
            self._report(message)
