"""Fixtures for the protocol tests: a copy of the fixture workspace and a running server per flavour."""

from __future__ import annotations

import shutil

import pytest
import pytest_asyncio
from pytest_lsp import LanguageClient

from . import lsp_harness
from .lsp_harness import FIXTURES, FLAVOURS, make_client


@pytest.fixture
def workspace(tmp_path):
    """A private copy of fixtures/lsp/workspace: tests may write to it."""
    root = tmp_path / "workspace"
    shutil.copytree(FIXTURES / "workspace", root)
    return root


@pytest.fixture(params=sorted(FLAVOURS))
def flavour(request):
    return FLAVOURS[request.param]


@pytest_asyncio.fixture
async def launch(flavour, workspace, tmp_path):
    """Start servers as the flavour's client; every one is shut down after the test."""
    started: list[LanguageClient] = []

    async def start(root=workspace, cache_dir=None, client_factory=make_client, **options) -> LanguageClient:
        client = await lsp_harness.start_client(
            flavour, root, cache_dir or tmp_path / "cache", client_factory=client_factory, **options
        )
        started.append(client)
        return client

    yield start
    for client in started:
        if hasattr(client, "index_released"):
            # A held answer still pending when the server exits makes pygls's client fail on stop.
            client.index_released.set()
        if client._server is not None and client._server.returncode is None:
            await client.shutdown_session()
        await client.stop()


@pytest_asyncio.fixture
async def client(launch):
    return await launch()


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory):
    """One index cache for the corpus tests: after the first server, the others start from it."""
    return tmp_path_factory.mktemp("index-cache")
