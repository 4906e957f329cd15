"""Keeping Python's cyclic garbage collector off the keystroke path.

The server holds a few large, long-lived structures: the model of each open
digest (hundreds of thousands of objects for a megabyte file) and the
workspace index. Every collection of the generation they sit in walks all
of them: a full collection took 100 ms and more, every few edits, paid by
whichever keystroke tripped it, and a model that had just been parsed was
walked by the young collections too. So once such a structure is built it
is moved, with everything else alive, into the collector's permanent
generation (`gc.freeze`): reference counting still frees it when it is
replaced (models are acyclic), the collector just stops walking it.

Something frozen that may hold reference cycles (a whole workspace index)
is handed back to the collector with `thaw` when it is dropped.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

from ..gcpause import collector_paused


@contextmanager
def long_lived():
    """Build something large that stays: no collection runs while it is built, and it is frozen once built."""
    with collector_paused():
        yield
        gc.freeze()


def freeze() -> None:
    """Freeze what is alive now (a structure built on another thread, such as the index)."""
    gc.freeze()


def thaw() -> None:
    """A frozen structure was dropped: let the collector see everything frozen again."""
    gc.unfreeze()
