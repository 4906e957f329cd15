"""Session lifecycle and settings: `initialize`, `initialized`, `shutdown`, `exit`,
`workspace/didChangeConfiguration`.

These handlers set the session up and start the services, so they take
the server (where the session, the services and the connection meet).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from typing import TYPE_CHECKING

from lsprotocol import types

from . import linting, memory
from .capabilities import resolve_flags
from .common import guarded, workspace_folder_paths
from .positions import PositionCodec
from .settings import SECTION
from .watchdog import watch_parent

if TYPE_CHECKING:
    from .server import DigestServer

logger = logging.getLogger(__name__)


def initialize(ls: "DigestServer", params: types.InitializeParams) -> None:
    """Called first: resolve the client's capabilities once, read initializationOptions, pull or push."""
    ls.loop = asyncio.get_running_loop()
    ls.loop_thread = threading.get_ident()
    session = ls.session
    # The encoding pygls's own documents use (chosen by DigestProtocol), as its plain value.
    encoding = ls.workspace.position_encoding
    session.flags = resolve_flags(params.capabilities, encoding=str(getattr(encoding, "value", encoding)))
    session.codec = PositionCodec(session.flags.position_encoding)
    session.folders = workspace_folder_paths(ls.workspace)
    session.settings.set_initialization_options(params.initialization_options)
    if ls.diagnostics.pulled:
        linting.register_pull(ls)  # before pygls computes the capabilities, right after this handler
    if params.process_id:
        watch_parent(params.process_id, lambda: _exit_now(ls))
    ls.loop.call_soon(preload)  # runs once this handler's answer is written
    logger.info(
        "client %s; position encoding %s; diagnostics %s",
        params.client_info, session.flags.position_encoding, "pulled" if ls.diagnostics.pulled else "pushed",
    )


def preload() -> None:
    """Import the parser and the linter (rapidfuzz with them), which the first didOpen needs.

    Not with the server's modules: `initialize` would wait for them. Right after its answer, the
    editor is busy taking it and has not sent the document yet.
    """
    with memory.long_lived():  # as the server's own imports (see server.py)
        from .. import lint  # noqa: F401
        from ..parser import document, incremental  # noqa: F401


@guarded()
async def initialized(ls: "DigestServer", params: types.InitializedParams) -> None:
    """Called once the client has our capabilities: settings, watchers, then the index."""
    if ls.session.flags.configuration_dynamic:
        ls.client_register_capability(
            types.RegistrationParams(
                registrations=[
                    types.Registration(id=f"digest-ls-config-{uuid.uuid4()}", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION)
                ]
            )
        )
    ls.indexing.register_watchers()
    if await _pull_client_settings(ls):
        ls.diagnostics.refresh()
    await ls.indexing.start()


async def _pull_client_settings(ls: "DigestServer") -> bool:
    """Read the `digest-ls` section with `workspace/configuration`; True when it says anything."""
    if not ls.session.flags.workspace_configuration:
        return False
    try:
        answer = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
        )
    except Exception:
        logger.info("the client did not answer workspace/configuration")
        return False
    values = answer[0] if answer else None
    ls.session.settings.set_client_settings(values)
    return bool(values)


@guarded()
def workspace_did_change_configuration(ls: "DigestServer", params: types.DidChangeConfigurationParams) -> None:
    """Called when the user changes settings: take them (or read them again) and re-lint."""
    settings = params.settings
    if isinstance(settings, dict) and SECTION in settings:
        # Applied before the next message is handled: a following request sees them.
        ls.session.settings.set_client_settings(settings[SECTION])
        ls.diagnostics.refresh()
    else:
        asyncio.ensure_future(_reread_client_settings(ls))


async def _reread_client_settings(ls: "DigestServer") -> None:
    try:
        await _pull_client_settings(ls)
        ls.diagnostics.refresh()
    except Exception:
        logger.exception("reading the settings again failed")


def shutdown(ls: "DigestServer", params: None) -> None:
    """Called before `exit`: stop the index thread and close its cache."""
    ls.indexing.close()


def exit_(ls: "DigestServer", params: None) -> None:
    """The process ends right after (pygls exits with 0 after shutdown, 1 otherwise)."""
    ls.indexing.close()


def _exit_now(ls: "DigestServer") -> None:
    ls.indexing.close(notify=False)  # nobody is listening any more
    logging.shutdown()
    # The reader thread is blocked on stdin: nothing but _exit ends the process.
    os._exit(0)


def register(server) -> None:
    server.feature(types.INITIALIZE)(initialize)
    server.feature(types.INITIALIZED)(initialized)
    server.feature(types.SHUTDOWN)(shutdown)
    server.feature(types.EXIT)(exit_)
    server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)(workspace_did_change_configuration)
