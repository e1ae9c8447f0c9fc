"""One writer at a time: an advisory file lock that a second run waits on, then gives up on with a clear message."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusy(RuntimeError):
    """Another Tally run held the warehouse for longer than this run was willing to wait."""


@contextmanager
def writer_lock(path: Path, timeout_s: float, poll_s: float = 0.2) -> Iterator[None]:
    """Hold an exclusive lock on `path` for the block; raise WarehouseBusy if it is not free within `timeout_s`.

    The kernel releases the lock when its holder dies, so a killed run never leaves the warehouse locked.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "unknown"
                    raise WarehouseBusy(
                        f"another Tally run (pid {holder}) is writing to {path.parent}; waited {timeout_s:.0f}s"
                    ) from None
                time.sleep(poll_s)  # polling a lock, not waiting for work to finish
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
