"""The LSP adapter: the only package that imports pygls and lsprotocol.

It adapts protocol messages to the pure engine (parser, lint, index,
features) and back; no feature logic lives here. Map:

- `server`: `create_server()`, `serve()`, where the parts meet, and protocol tweaks
- `session`: the state handlers share (documents, settings, client flags,
  the index and its generation) and `index_changed`, the one way index events travel
- `lifecycle`: initialize/initialized/shutdown/exit, settings changes
- `sync`: didOpen/didChange/didClose/didSave into the document store
- `documents`: open buffers (model, version, incremental re-parse)
- `linting`: diagnostics, pushed (debounced) or pulled
- `indexing`: the workspace index thread, progress, file watchers
- `language`, `editing`: feature handlers named after their LSP method
- `positions`: code points <-> UTF-8/UTF-16/UTF-32 (the only place)
- `convert`: model and feature results <-> lsprotocol types (and, for the
  answers that grow with the document, JSON fragments cached per value)
- `wire`: pre-encoded JSON answers and the fragment cache behind them
- `memory`: large long-lived structures frozen out of the garbage collector's way
- `capabilities`: client capabilities resolved once into flags
- `settings`: pyproject.toml + initializationOptions + workspace/configuration
- `logs`, `watchdog`, `common`: logging, parent-process watch, handler helpers
"""

__all__ = ["create_server", "serve"]


def __getattr__(name: str):
    # Imported on first use so that `digest_ls.lsp.positions` stays cheap to import.
    if name in __all__:
        from . import server

        return getattr(server, name)
    raise AttributeError(name)
