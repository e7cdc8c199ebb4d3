"""Ending the browser and driver processes this adapter started, by process (never by name).

A PID alone is not enough: recovery runs after up to minutes of backoff, by which time the PID
may belong to another process. So the processes are captured as `psutil.Process` objects right
after they start; psutil identifies a process by PID and creation time, and a root whose PID
now names another process (or nothing) is skipped.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable

import psutil
from loguru import logger


def capture(pid: int) -> psutil.Process | None:
    """The running process `pid`, to be ended later by `kill_trees`; None when it is gone."""
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _tree(root: psutil.Process) -> list[psutil.Process]:
    try:
        if not root.is_running():  # gone, or its PID was reused by another process
            return []
        return [p for p in [root, *root.children(recursive=True)] if not _dead(p)]
    except psutil.Error:
        return []


def _dead(proc: psutil.Process) -> bool:
    """Exited: gone, or a zombie left for its (new) parent to reap, which may be slow.

    A killed multi-threaded process shows its main thread as a zombie while its other threads
    are still tearing down, its sockets and files still open (seen under load: the profile's
    SingletonSocket still answered). It counts as dead once no other thread is left."""
    try:
        return bool(proc.status() == psutil.STATUS_ZOMBIE and proc.num_threads() <= 1)
    except psutil.Error:
        return True


def _wait_dead(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait up to `timeout` s until every process exited (zombies count); those left."""
    deadline = time.monotonic() + timeout
    left = [p for p in procs if not _dead(p)]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = [p for p in left if not _dead(p)]
    return left


def kill_trees(roots: Iterable[psutil.Process], *, grace: float = 0.0) -> int:
    """Kill each root's tree, after waiting up to `grace` seconds for it to exit by itself
    (the caller has already asked politely: driver.quit()).

    Returns how many processes had to be signalled. Roots that exited, or whose PID now
    belongs to a different process, are ignored.
    """
    procs: dict[int, psutil.Process] = {}
    for root in roots:
        for proc in _tree(root):
            procs[proc.pid] = proc
    if not procs:
        return 0
    alive = list(procs.values())
    if grace > 0:
        alive = _wait_dead(alive, grace)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    still = _wait_dead(alive, 3)
    if still:
        logger.warning("processes still alive after kill: {}", [p.pid for p in still])
    if alive:
        logger.info("killed leftover browser/driver processes {}", sorted(p.pid for p in alive))
    return len(alive)


def process_kind(proc: psutil.Process) -> str:
    """What one process of a browser tree is, from its command line: `chromedriver`,
    `browser` (the main process), `renderer`, `zygote`, `gpu-process`, `utility:<service>`
    (e.g. `utility:NetworkService`), or `gone` when it exited meanwhile."""
    try:
        if proc.name() == "chromedriver":
            return "chromedriver"
        args = [str(a) for a in proc.cmdline()[1:]]
    except psutil.Error:
        return "gone"
    switches = dict(a.split("=", 1) for a in args if a.startswith("--") and "=" in a)
    kind = switches.get("--type")
    if kind is None:
        return "browser"
    if kind == "utility":
        return "utility:" + switches.get("--utility-sub-type", "?").rsplit(".", 1)[-1]
    return kind


# Names of the processes the adapter starts: the driver, the browser (whatever the binary
# is called) and Selenium Manager, which may run while a driver is being found.
_OWN_KINDS = ("chromedriver", "chrom", "selenium-manager", "msedge")


def end_own_browsers() -> int:
    """Kill the browser and driver processes this process started (its own children, with
    everything under them), never another process: the last resort when a call to them
    hangs while the daemon must stop. How many processes were signalled."""
    try:
        children = psutil.Process().children()
    except psutil.Error:
        return 0
    ours = []
    for child in children:
        with contextlib.suppress(psutil.Error):
            if child.name().lower().startswith(_OWN_KINDS):
                ours.append(child)
    return kill_trees(ours)
