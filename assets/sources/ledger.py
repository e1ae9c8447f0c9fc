"""The files already read whole: a file whose size and modification time are unchanged is not read again.

This is what keeps a run with one new file in a large inbox cheap. The ledger is saved only after the run has
stored what it read, so a run that dies midway reads those files again (and finds their articles duplicates).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assets.storage import atomic_write_bytes


@dataclass
class FileLedger:
    """(size, mtime_ns) per absolute file path, as seen just before the file was last read in full."""

    path: Path
    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    _pending: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> FileLedger:
        """Return the ledger stored at `path`; a missing or unreadable file gives an empty ledger."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            files = {str(k): (int(v[0]), int(v[1])) for k, v in raw.get("files", {}).items()}
        except (OSError, ValueError, AttributeError, TypeError, IndexError):
            files = {}
        return cls(path, files)

    @staticmethod
    def _signature(file: Path) -> tuple[int, int] | None:
        try:
            stat = file.stat()
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def unchanged(self, file: Path) -> bool:
        """Return True (and note the file as skipped) when `file` was read whole before and has not changed."""
        key = str(file.resolve())
        signature = self._signature(file)
        if signature is not None and self.files.get(key) == signature:
            self.skipped.append(key)
            return True
        return False

    def about_to_read(self, file: Path) -> None:
        """Note `file`'s signature before reading it; it is recorded once `commit` is called."""
        signature = self._signature(file)
        if signature is not None:
            self._pending[str(file.resolve())] = signature

    def commit(self) -> None:
        """Record the files read in this run and save the ledger atomically."""
        self.files.update(self._pending)
        self._pending.clear()
        payload = {"version": 1, "files": {k: list(v) for k, v in sorted(self.files.items())}}
        atomic_write_bytes(self.path, json.dumps(payload).encode())
