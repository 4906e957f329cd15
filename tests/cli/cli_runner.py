"""Running the installed `digest-ls` command as a user would: a real process, its exit status and output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# The console script of the environment running the tests (pip install -e puts it beside the interpreter).
_SCRIPT = Path(sys.executable).parent / ("digest-ls.exe" if os.name == "nt" else "digest-ls")


def command() -> list[str]:
    if _SCRIPT.exists():
        return [str(_SCRIPT)]
    found = shutil.which("digest-ls")
    return [found] if found else [sys.executable, "-m", "digest_ls"]


def run_cli(*args, cwd: Path, stdin: bytes | str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`digest-ls ARGS` in `cwd`; text output, colour variables cleared unless `env` sets them."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    environment["PYTHONPATH"] = str(ROOT / "server")  # the source under test, also when run with -m
    environment.update(env or {})
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [*command(), *map(str, args)],
        cwd=cwd,
        input=data if data is not None else b"",
        capture_output=True,
        env=environment,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        result.args, result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    )
