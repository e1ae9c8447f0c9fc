"""Progress of long stages, for whoever listens in the same process (the `tally run` progress bars).

Dagster's logs carry the same news per batch; this adds live counts when the pipeline runs in-process.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, int, int | None], None]
_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    """Call `listener(stage, done, total)` on every progress report until unsubscribed."""
    _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    """Stop calling `listener`."""
    if listener in _listeners:
        _listeners.remove(listener)


def report(stage: str, done: int, total: int | None = None) -> None:
    """Tell the listeners that `stage` has done `done` of `total` items (total None when unknown)."""
    for listener in list(_listeners):
        listener(stage, done, total)
