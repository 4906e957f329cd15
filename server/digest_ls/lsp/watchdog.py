"""Exit when the editor that started the server is gone.

`initialize` carries the client's process id. Editors that crash (or are
killed) never send `exit`, and a server left behind would keep its index
and cache open; a daemon thread polls the parent and ends the process.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Callable

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    # A dead child that nobody has reaped yet still answers the signal.
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[-1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def watch_parent(pid: int, on_gone: Callable[[], None], poll_seconds: float = POLL_SECONDS) -> threading.Thread:
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(poll_seconds):
            if not is_alive(pid):
                logger.warning("the client process %d is gone: exiting", pid)
                on_gone()
                return

    thread = threading.Thread(target=run, name="digest-ls-parent-watch", daemon=True)
    thread.start()
    return thread
