"""An exclusive lock held for a process's life, with the holder's pid readable beside it.

    held = hold(Path("state.json.lock"))   # LockBusy(pid) when another process holds it
    ...
    held.release()                         # or let the process end: the OS releases it

Portable through `filelock` (fcntl.flock on Unix, msvcrt on Windows): the lock belongs to an
open file, so a process killed with SIGKILL releases it and nothing stale is left to clean.
The holder's pid is written to `<lock>.pid` after the lock is taken (a locked file cannot
be read on Windows), for the refusal message of the process that lost.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from filelock import FileLock, Timeout

PID_WAIT_S = 1.0  # how long a loser waits for the winner to write its pid


class LockBusy(Exception):
    """Another process holds the lock; `pid` is its pid when it could be read."""

    def __init__(self, path: Path, pid: int | None) -> None:
        super().__init__(f"{path} is held by pid {pid if pid is not None else '(unknown)'}")
        self.path = path
        self.pid = pid


class HeldLock:
    """A lock this process holds until `release()` or its end."""

    def __init__(self, lock: FileLock, path: Path) -> None:
        self._lock = lock
        self.path = path

    def release(self) -> None:
        with contextlib.suppress(OSError):
            pid_file(self.path).unlink()
        self._lock.release()


def pid_file(path: Path) -> Path:
    return path.with_name(path.name + ".pid")


def holder(path: Path) -> int | None:
    """The pid written beside the lock, or None."""
    try:
        text = pid_file(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


def hold(path: Path) -> HeldLock:
    """Take the lock at `path` now, or raise LockBusy (OSError when it cannot be created)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        deadline = time.monotonic() + PID_WAIT_S
        pid = holder(path)
        while pid is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the winner writes its pid right after taking the lock
            pid = holder(path)
        raise LockBusy(path, pid) from None
    target = pid_file(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    tmp.write_text(f"{os.getpid()}\n", encoding="ascii")
    tmp.replace(target)
    return HeldLock(lock, path)
