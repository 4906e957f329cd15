"""Logging for the server: stderr or a log file, plus `window/logMessage`; never stdout.

Under stdio, stdout *is* the protocol: a stray line there breaks the
session, so nothing logs to it. pygls logs every message body at INFO; its
loggers stay at WARNING whatever level digest-ls itself uses.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from .server import DigestServer

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def parse_level(name: str) -> int:
    try:
        return LEVELS[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown log level {name!r}: expected one of {', '.join(LEVELS)}") from None


def configure(log_file: str | None, log_level: str) -> int:
    """Send digest-ls logs to the file (or stderr); returns the level."""
    level = parse_level(log_level)
    handler: logging.Handler
    handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("pygls", "websockets", "asyncio"):
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # Only pygls's transport lifecycle ("Serving on HOST:PORT", "Shutting down") follows ours.
    logging.getLogger("pygls.server").setLevel(level)
    return level


_TO_MESSAGE_TYPE = (
    (logging.ERROR, types.MessageType.Error),
    (logging.WARNING, types.MessageType.Warning),
    (logging.INFO, types.MessageType.Info),
    (logging.NOTSET, types.MessageType.Log),
)


class ClientLogHandler(logging.Handler):
    """Forwards digest-ls records to the client as `window/logMessage`.

    Records from other threads (the index scan) are handed to the event loop,
    the only thread that writes to the transport.
    """

    def __init__(self, server: "DigestServer", level: int):
        super().__init__(level)
        self.server = server
        self._busy = threading.local()
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._busy, "active", False) or self.server.protocol.writer is None:
            return
        kind = next(kind for level, kind in _TO_MESSAGE_TYPE if record.levelno >= level)
        params = types.LogMessageParams(type=kind, message=self.format(record))
        loop = self.server.loop
        if loop is not None and threading.get_ident() != self.server.loop_thread:
            loop.call_soon_threadsafe(self._send, params)
        else:
            self._send(params)

    def _send(self, params: types.LogMessageParams) -> None:
        self._busy.active = True  # a failure while sending must not log its way back here
        try:
            self.server.window_log_message(params)
        except Exception:
            pass
        finally:
            self._busy.active = False
