"""Settings: pyproject.toml, initializationOptions, workspace/configuration, and invalid values."""

from __future__ import annotations

import pytest
from lsprotocol import types

from .lsp_harness import Buffer, codes_until, diagnostics, expect_refresh, index_ready, shown_messages

pytestmark = pytest.mark.e2e


async def test_initialization_options_ignore_a_rule(launch, workspace):
    client = await launch(initialization_options={"ignore": ["D207"]})
    codes = {item.code for item in await diagnostics(Buffer(client, workspace / "unicode.md").open())}
    assert "D207" not in codes
    assert "D102" in codes


async def test_initialization_options_nested_under_the_section_name(launch, workspace):
    client = await launch(initialization_options={"digest-ls": {"severity": {"D102": "off"}}})
    codes = {item.code for item in await diagnostics(Buffer(client, workspace / "unicode.md").open())}
    assert "D102" not in codes and "D207" in codes


async def test_an_invalid_setting_shows_one_message_and_keeps_the_defaults(launch, workspace):
    client = await launch(initialization_options={"debounceMs": "soon"})
    first = Buffer(client, workspace / "unicode.md").open()
    second = Buffer(client, workspace / "other.md").open()
    codes = {item.code for item in await diagnostics(first)}
    await diagnostics(second)
    messages = await shown_messages(client)
    assert len(messages) == 1
    assert messages[0].type == types.MessageType.Warning
    assert "debounce" in messages[0].message and "initializationOptions" in messages[0].message
    assert {"D102", "D207", "D304"} <= codes


async def test_pyproject_table_applies(launch, workspace):
    (workspace / "pyproject.toml").write_text('[tool.digest-ls]\nignore = ["D304"]\n', encoding="utf-8")
    client = await launch()
    codes = {item.code for item in await diagnostics(Buffer(client, workspace / "unicode.md").open())}
    assert "D304" not in codes and "D207" in codes


async def test_editor_settings_override_the_project_file(launch, workspace):
    (workspace / "pyproject.toml").write_text('[tool.digest-ls]\nignore = ["D304"]\n', encoding="utf-8")
    client = await launch(initialization_options={"ignore": ["D207"]})
    codes = {item.code for item in await diagnostics(Buffer(client, workspace / "unicode.md").open())}
    assert "D207" not in codes  # the editor's `ignore` replaces the file's
    assert "D304" in codes


async def test_an_invalid_project_file_is_reported_once(launch, workspace):
    (workspace / "pyproject.toml").write_text("[tool.digest-ls]\nselect = 5\n", encoding="utf-8")
    client = await launch()
    codes = {item.code for item in await diagnostics(Buffer(client, workspace / "unicode.md").open())}
    messages = await shown_messages(client)
    assert "select" in messages[0].message
    assert "D207" in codes


async def test_workspace_configuration_is_read_after_initialized(launch, workspace):
    client = await launch(settings={"ignore": ["D102"]})
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)  # the index starts once the settings are read
    codes = await codes_until(buffer, lambda found: "D102" not in found)
    assert "D102" not in codes and "D207" in codes


async def test_did_change_configuration_with_settings(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    assert "D207" in {item.code for item in await diagnostics(buffer)}
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"digest-ls": {"ignore": ["D207"]}})
    )
    codes = await codes_until(buffer, lambda found: "D207" not in found)
    assert "D207" not in codes and "D102" in codes


async def test_did_change_configuration_reads_the_section_again(client, workspace):
    buffer = Buffer(client, workspace / "unicode.md").open()
    await index_ready(client)
    # The whole set first (a pulling client is asked once more for it), so the refresh below is the settings'.
    assert "D304" in await codes_until(buffer, lambda found: "D401" in found)
    client.set_configuration({"ignore": ["D304"]}, section="digest-ls")
    refreshed = expect_refresh(client) if client.flavour.pull else None
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    if refreshed is not None:
        await refreshed  # VS Code pulls again when asked to
    codes = await codes_until(buffer, lambda found: "D304" not in found)
    assert "D304" not in codes


async def test_an_invalid_editor_setting_is_reported(launch, workspace):
    client = await launch(settings={"severity": {"D102": "loud"}})
    buffer = Buffer(client, workspace / "unicode.md").open()
    messages = await shown_messages(client)
    assert "D102" in messages[0].message
    await index_ready(client)
    assert "D102" in {item.code for item in await diagnostics(buffer)}
