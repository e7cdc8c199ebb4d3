"""The persistent profile directory of launch mode, its colab-watchdog lock, and Chromium's
`Singleton*` locks.

    held = hold_profile_lock(profile)   # for the daemon's life; ConfigError when taken
    clean_stale_locks(profile)          # before starting Chromium on it

`hold_profile_lock` is a portable exclusive lock (`colab-watchdog.lock` in the profile, the
holder's pid beside it): of two daemons started at the same moment on one profile, one
refuses. Chromium's own lock is a symlink naming `host-pid`; a lock is only deleted when no
browser answers on its SingletonSocket (whatever host it names) and its pid is no browser of
this host. A browser of ours orphaned by a `kill -9` of its daemon (this profile, automation
flags, no live colab-watchdog: we hold the profile lock) is ended, with one log line.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import psutil
from loguru import logger

from watchdog.adapters.browser.processes import kill_trees
from watchdog.errors import BrowserUnavailable, ConfigError
from watchdog.pidlock import HeldLock, LockBusy, hold

LOCK_FILES = ("SingletonLock", "SingletonSocket", "SingletonCookie")
PROFILE_LOCK = "colab-watchdog.lock"
AUTOMATION_FLAG = "--enable-automation"  # chromedriver starts every browser with it


def ensure_profile_dir(path: Path) -> Path:
    """Create the profile directory (mode 0700) when missing; returns it (ConfigError if bad)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"WATCHDOG_PROFILE_DIR={str(path)!r} cannot be created: {exc.strerror} "
            "(use a writable directory)"
        ) from exc
    if not path.is_dir():
        raise ConfigError(f"WATCHDOG_PROFILE_DIR={str(path)!r} is not a directory")
    return path


def lock_owner(profile: Path) -> tuple[str, int] | None:
    """(host, pid) recorded in the profile's SingletonLock symlink, or None without a lock."""
    try:
        target = str((profile / "SingletonLock").readlink())
    except OSError:
        return None
    host, _, pid = target.rpartition("-")
    return (host, int(pid)) if pid.isdigit() else (host, -1)


def _is_browser(pid: int) -> bool:
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE and proc.num_threads() <= 1:
            return False  # exited (a zombie with threads left is still closing its sockets)
        name = (proc.name() or "").lower()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return "chrom" in name


def hold_profile_lock(profile: Path) -> HeldLock:
    """Take this profile's colab-watchdog lock for the process's life.

    ConfigError (exit 2) naming the holder's pid when another process holds it.
    """
    try:
        return hold(profile / PROFILE_LOCK)
    except LockBusy as exc:
        pid = "unknown" if exc.pid is None else str(exc.pid)
        raise ConfigError(
            f"another colab-watchdog (pid {pid}) is using the browser profile {profile}",
            hint="stop it, or set WATCHDOG_PROFILE_DIR to another directory "
            "(one profile, one browser)",
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"WATCHDOG_PROFILE_DIR={str(profile)!r}: cannot create its lock: {exc.strerror}"
        ) from exc


def socket_answers(profile: Path) -> bool:
    """True when a browser listens on the profile's SingletonSocket (it is in use)."""
    family = getattr(socket, "AF_UNIX", None)
    link = profile / "SingletonSocket"
    if family is None or not (link.is_symlink() or link.exists()):
        return False
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(os.path.realpath(link))
        except OSError:
            return False
    return True


def end_orphan(profile: Path, pid: int) -> bool:
    """End the browser `pid` if it is an orphan of ours: started by chromedriver (automation
    flag) on this very profile. Only call it while holding the profile lock: then no live
    colab-watchdog drives it. Returns True when it was ended (with one log line)."""
    try:
        proc = psutil.Process(pid)
        args = proc.cmdline()
        parent = proc.parent()
    except psutil.Error:
        return False
    wanted = {f"--user-data-dir={profile}", f"--user-data-dir={profile.resolve()}"}
    if AUTOMATION_FLAG not in args or not wanted & set(args):
        return False
    roots = [proc]
    with contextlib.suppress(psutil.Error):
        if parent is not None and "chromedriver" in parent.name().lower():
            roots = [parent]  # its driver, left behind too
    kill_trees(roots, grace=0)
    logger.warning(
        "ended an orphaned browser of an earlier colab-watchdog (pid {}, profile {}): "
        "its daemon is gone",
        pid,
        profile,
    )
    return True


def clean_stale_locks(profile: Path, *, end_orphans: bool = False) -> bool:
    """Remove `Singleton*` files left by a killed browser; returns True when some were removed.

    Raises BrowserUnavailable when a live browser still owns the profile: its SingletonSocket
    answers (whatever host its lock names), or its pid is a browser on this host. With
    `end_orphans` (only while holding `hold_profile_lock`) such a browser that is an orphan
    of ours is ended instead. A lock naming another host whose socket does not answer (a
    container that was replaced) is treated as stale.
    """
    owner = lock_owner(profile)
    present = [profile / name for name in LOCK_FILES if (profile / name).is_symlink()]
    if owner is None and not present:
        return False
    host, pid = owner or ("", -1)
    here = host == socket.gethostname()
    live = socket_answers(profile) or (here and pid > 0 and _is_browser(pid))
    if live and not (end_orphans and here and pid > 0 and end_orphan(profile, pid)):
        where = f"pid {pid}" if here else f"host {host!r}, pid {pid}"
        raise BrowserUnavailable(
            f"the profile {profile} is in use by a running browser ({where})",
            hint="close that browser, or set WATCHDOG_PROFILE_DIR to another directory",
        )
    if owner is not None and not here and not live:
        logger.warning("profile lock names another host {!r}; no browser answers: stale", host)
    for path in present:
        with contextlib.suppress(OSError):
            path.unlink()
    logger.info("removed stale profile locks in {}", profile)
    return True
