"""release_freed_memory: what a finished stage freed goes back to the operating system."""

from __future__ import annotations

import sys

import pytest

from assets.memory import _malloc_trim, release_freed_memory


def _rss_mib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux") or _malloc_trim() is None, reason="glibc only")
def test_freed_heap_pages_go_back_to_the_system():
    # 4 KiB objects come from the C heap (past Python's small-object allocator); keeping one in 64 leaves the
    # freed ones as holes that glibc never hands back by itself, as a stage's freed batches are
    chunks = [i.to_bytes(4, "little") * 1024 for i in range(60_000)]  # ~240 MiB
    kept = chunks[::64]
    del chunks
    before = _rss_mib()
    assert before >= 200
    assert release_freed_memory() is True
    assert before - _rss_mib() >= 150
    assert len(kept) == 938
