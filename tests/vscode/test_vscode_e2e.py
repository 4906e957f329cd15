"""The VS Code extension in a real VS Code: code-server driven by Chromium.

The driver is editors/vscode/e2e/run.mjs: it builds the .vsix, installs it into
code-server, opens a workspace of digests and checks, from the page's DOM, the
Problems panel, the outline, a hover, author completion, a quick fix and the
message shown when no server can be found. editors/vscode/e2e/setup.sh first
installs the tools into a cache outside the repository (a no-op when the cache
is complete). The screenshots of each step stay in tests/vscode/artifacts/.

Skipped only when a download is impossible (no apt-get, or a package registry
cannot be reached); any other failure fails the test.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
E2E = ROOT / "editors" / "vscode" / "e2e"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# setup.sh and run.mjs exit with this status, after a line with this marker,
# when a download is impossible.
EXIT_CANNOT_DOWNLOAD = 75
CANNOT_DOWNLOAD_MARKER = "cannot download:"

# Cold, the set-up takes about 3 minutes here; the driver about 1.
SETUP_TIMEOUT_S = 15 * 60
RUN_TIMEOUT_S = 10 * 60
# After SIGTERM the driver kills what it started; this is how long it gets.
STOP_GRACE_S = 20


def cache_dir() -> Path:
    explicit = os.environ.get("DIGEST_LS_E2E_CACHE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "digest-ls-e2e"


def cannot_download_reason(returncode: int, output: str) -> str | None:
    if returncode != EXIT_CANNOT_DOWNLOAD:
        return None
    lines = [line for line in output.splitlines() if CANNOT_DOWNLOAD_MARKER in line]
    return lines[-1].strip() if lines else None


def processes_under(root: Path) -> list[str]:
    """Processes whose command line or working folder lies under `root`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue  # exited meanwhile, or not ours to read
        if str(root) in cmdline or cwd == str(root) or cwd.startswith(f"{root}/"):
            found.append(f"{entry.name}: {cmdline}")
    return found


def run_driver(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Runs the driver in its own session; on a timeout it is asked to stop (and clean up) before it is killed."""
    driver = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        output, _ = driver.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        driver.send_signal(signal.SIGTERM)
        try:
            output, _ = driver.communicate(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            os.killpg(driver.pid, signal.SIGKILL)
            output, _ = driver.communicate()
        pytest.fail(f"the VS Code end-to-end driver took over {RUN_TIMEOUT_S} s:\n{output}")
    return subprocess.CompletedProcess(command, driver.returncode, output)


def test_extension_in_code_server(capsys):
    cache = cache_dir()
    env = {**os.environ, "DIGEST_LS_E2E_CACHE": str(cache)}

    started = time.monotonic()
    setup = subprocess.run(
        ["bash", str(E2E / "setup.sh")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=SETUP_TIMEOUT_S,
    )
    setup_seconds = time.monotonic() - started
    reason = cannot_download_reason(setup.returncode, setup.stdout)
    if reason:
        pytest.skip(f"VS Code end-to-end test: {reason}")
    assert setup.returncode == 0, f"editors/vscode/e2e/setup.sh failed:\n{setup.stdout}"

    # The extension host does not inherit PATH: the server is named outright,
    # the one installed beside the interpreter that runs this test.
    server = Path(sys.executable).parent / "digest-ls"
    assert server.exists(), f"{server} is missing: install the project into this environment (pip install -e .)"

    # A short private temporary folder (code-server puts sockets there, whose
    # paths have a length limit): everything the driver starts runs inside it,
    # which is how leftovers are found afterwards.
    private_tmp = Path(tempfile.mkdtemp(prefix="dls-vscode-"))
    try:
        started = time.monotonic()
        driver = run_driver(
            [
                str(cache / "bin" / "node"),
                str(E2E / "run.mjs"),
                "--server",
                str(server),
                "--cache",
                str(cache),
                "--artifacts",
                str(ARTIFACTS),
            ],
            {**env, "TMPDIR": str(private_tmp)},
        )
        run_seconds = time.monotonic() - started
        leftovers = processes_under(private_tmp)
        for line in leftovers:
            try:
                os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
    finally:
        shutil.rmtree(private_tmp, ignore_errors=True)

    reason = cannot_download_reason(driver.returncode, driver.stdout)
    if reason:
        pytest.skip(f"VS Code end-to-end test: {reason}")
    with capsys.disabled():
        print(
            f"\nVS Code e2e: set-up {setup_seconds:.0f} s, run {run_seconds:.0f} s; "
            f"screenshots and logs in {ARTIFACTS}"
        )
    print(driver.stdout)
    assert driver.returncode == 0, f"the VS Code end-to-end test failed (screenshots in {ARTIFACTS}):\n{driver.stdout}"
    assert not leftovers, "processes left behind:\n" + "\n".join(leftovers)
