"""The writer lock: a second writer waits, then gives up with a message naming the holder; a dead holder frees it."""

import subprocess
import sys

import pytest

from assets.locking import WarehouseBusy, writer_lock


def test_the_lock_is_reentrant_across_sequential_blocks(tmp_path):
    lock = tmp_path / ".writer.lock"
    with writer_lock(lock, timeout_s=1):
        pass
    with writer_lock(lock, timeout_s=1):
        pass


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path):
    lock = tmp_path / ".writer.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, pathlib; from assets.locking import writer_lock\n"
         f"with writer_lock(pathlib.Path({str(lock)!r}), 5):\n"
         "    print('held', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match=rf"another Tally run \(pid {holder.pid}\)"):
            with writer_lock(lock, timeout_s=0.3, poll_s=0.05):
                pass
    finally:
        holder.kill()
        holder.wait()
    with writer_lock(lock, timeout_s=1):  # the killed holder's lock died with it
        pass
