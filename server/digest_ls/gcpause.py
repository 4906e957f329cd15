"""Pausing Python's cyclic garbage collector while the engine builds large models.

The model is acyclic (frozen dataclasses and tuples), so reference counting
frees it; the cyclic collector only rescans the growing heap again and
again, which made a 10 MB digest cost twice as much per megabyte as a 1 MB
one. Pauses nest and may come from several threads; the collector is back
on when the last one ends.
"""

from __future__ import annotations

import functools
import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused():
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


def without_collector(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with collector_paused():
            return function(*args, **kwargs)

    return wrapper
