"""The persistent profile directory of launch mode, and Chromium's `Singleton*` locks."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import psutil
from loguru import logger

from watchdog.errors import BrowserUnavailable, ConfigError

LOCK_FILES = ("SingletonLock", "SingletonSocket", "SingletonCookie")


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
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        name = (proc.name() or "").lower()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return "chrom" in name


def clean_stale_locks(profile: Path) -> bool:
    """Remove `Singleton*` files left by a killed browser; returns True when some were removed.

    Raises BrowserUnavailable when a live browser on this host still owns the profile.
    A lock from another host name (a container that was replaced) is treated as stale.
    """
    owner = lock_owner(profile)
    present = [profile / name for name in LOCK_FILES if (profile / name).is_symlink()]
    if owner is None and not present:
        return False
    if owner is not None:
        host, pid = owner
        if host == socket.gethostname() and pid > 0 and _is_browser(pid):
            raise BrowserUnavailable(
                f"the profile {profile} is in use by a running browser (pid {pid})",
                hint="close that browser, or set WATCHDOG_PROFILE_DIR to another directory",
            )
        if host != socket.gethostname():
            logger.warning("profile lock names another host {!r}; treating it as stale", host)
    for path in present:
        with contextlib.suppress(OSError):
            path.unlink()
    logger.info("removed stale profile locks in {}", profile)
    return True
