"""Ending the browser and driver processes this adapter started, by PID (never by name)."""

from __future__ import annotations

import contextlib

import psutil
from loguru import logger


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def kill_trees(pids: list[int], *, grace: float = 0.0) -> int:
    """Terminate (after `grace` seconds of waiting for a clean exit) then kill each PID's tree.

    Returns how many processes had to be signalled. Unknown or gone PIDs are ignored.
    """
    procs: dict[int, psutil.Process] = {}
    for pid in pids:
        for proc in _tree(pid):
            procs[proc.pid] = proc
    if not procs:
        return 0
    alive = list(procs.values())
    if grace > 0:
        _, alive = psutil.wait_procs(alive, timeout=grace)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    _, still = psutil.wait_procs(alive, timeout=3)
    if still:
        logger.warning("processes still alive after kill: {}", [p.pid for p in still])
    if alive:
        logger.info("killed leftover browser/driver processes {}", sorted(p.pid for p in alive))
    return len(alive)
