"""Signal dispositions for the processes tests start."""

from __future__ import annotations

import signal


def default_signals() -> None:
    """Give a child process (as its preexec_fn) the default SIGINT and SIGTERM actions, whatever the parent ignores.

    A test run started in the background of a non-interactive shell (a CI script may do that) has SIGINT ignored,
    and children inherit it: a server under test would not stop on the Ctrl-C the test sends.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
