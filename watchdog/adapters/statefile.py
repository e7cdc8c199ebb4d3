"""The JSON state file (`WATCHDOG_STATE_FILE`): what the daemon knows, for restarts and `status`.

    {"schema_version": 1, "daemon": {...}, "settings": {...}, "notebooks": {url: {...}}}

Writes are atomic: a temp file in the same directory, fsync, rename over the old file, fsync
the directory; the file is mode 0600 and a missing parent is created 0700. A file that is not
JSON, not an object, or has another `schema_version` is moved aside to
`state.json.corrupt-<UTC timestamp>` with a warning, and a fresh state starts; so is any state
that cannot be read into memory: over MAX_STATE_BYTES (10 MB), nested too deeply for the JSON
parser (RecursionError), or too large for memory (MemoryError). OSErrors become StateError
here, at the boundary; the daemon logs them and keeps running.

A running daemon holds `hold_lock()` (the lock file `state.json.lock` beside it, pid in
`state.json.lock.pid`) for its whole life: a second daemon on the same file is refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loguru import logger

from watchdog.core.status_report import SCHEMA_VERSION
from watchdog.errors import ConfigError, StateError
from watchdog.pidlock import HeldLock, LockBusy, hold

MAX_STATE_BYTES = 10 * 1024 * 1024


def fresh_state() -> dict[str, Any]:
    """An empty state of the current schema."""
    return {"schema_version": SCHEMA_VERSION, "daemon": None, "settings": None, "notebooks": {}}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class JsonStateStore:
    """A StateStore (watchdog.daemon.ports) on one JSON file."""

    def __init__(self, path: Path, *, now: Callable[[], datetime] = _utc_now) -> None:
        self.path = path
        self._now = now

    def inspect(self) -> tuple[dict[str, Any] | None, str | None]:
        """`(state, None)` for a valid file, `(None, None)` when there is none, and
        `(None, what is wrong)` when it is corrupt or of another schema. Never moves anything.

        Raises StateError when the file exists but cannot be read.
        """
        raw = self._read_text()
        if raw is None:
            return None, None
        try:
            return self._validate(raw), None
        except ValueError as exc:
            return None, str(exc)

    def load(self) -> dict[str, Any]:
        """The persisted state, or a fresh one.

        A corrupt or unknown-version file is moved aside with a warning. Raises StateError
        when the file exists but cannot be read.
        """
        raw = self._read_text()
        if raw is None:
            return fresh_state()
        try:
            return self._validate(raw)
        except ValueError as exc:
            self._move_aside(str(exc))
            return fresh_state()

    def save(self, state: dict[str, Any]) -> None:
        """Write `state` atomically with mode 0600. Raises StateError on any OS failure."""
        data = json.dumps(state, indent=2, sort_keys=True) + "\n"
        try:
            self._ensure_parent()
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        except OSError as exc:
            raise StateError(
                f"cannot write the state file {self.path}: {exc.strerror or exc}",
                hint="set WATCHDOG_STATE_FILE to a writable path",
            ) from exc
        try:
            # mkstemp creates the file with mode 0600 (owner only), before anything is in it;
            # no fchmod, which Windows has only from Python 3.13.
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).replace(self.path)
            self._fsync_dir()
        except OSError as exc:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise StateError(
                f"cannot write the state file {self.path}: {exc.strerror or exc}",
                hint="set WATCHDOG_STATE_FILE to a writable path",
            ) from exc

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def hold_lock(self) -> HeldLock:
        """Take the state file's lock for this process's life.

        ConfigError (exit 2) naming the other daemon's pid when one holds it; StateError
        when the lock file cannot be created.
        """
        try:
            return hold(self.lock_path)
        except LockBusy as exc:
            pid = "unknown" if exc.pid is None else str(exc.pid)
            raise ConfigError(
                f"another colab-watchdog (pid {pid}) is using the state file {self.path}",
                hint="stop it, or give this one its own --state-file (WATCHDOG_STATE_FILE)",
            ) from None
        except OSError as exc:
            raise StateError(
                f"cannot create the state file's lock {self.lock_path}: {exc.strerror or exc}",
                hint="set WATCHDOG_STATE_FILE to a writable path",
            ) from exc

    # ------------------------------------------------------------------ internals

    def _read_text(self) -> bytes | None:
        """The file's bytes, at most MAX_STATE_BYTES + 1 of them (more is corrupt anyway)."""
        try:
            with self.path.open("rb") as handle:
                return handle.read(MAX_STATE_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StateError(
                f"cannot read the state file {self.path}: {exc.strerror or exc}"
            ) from exc

    @staticmethod
    def _validate(raw: bytes) -> dict[str, Any]:
        if len(raw) > MAX_STATE_BYTES:
            raise ValueError(f"larger than {MAX_STATE_BYTES // (1024 * 1024)} MB")
        try:
            state = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ValueError("not UTF-8 text") from None
        except RecursionError:
            raise ValueError("nested too deeply to read") from None
        except MemoryError:
            raise ValueError("too large to read into memory") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(state, dict):
            raise ValueError("not a JSON object")
        version = state.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {version!r}, this colab-watchdog reads {SCHEMA_VERSION}"
            )
        if not isinstance(state.get("notebooks", {}), dict):
            raise ValueError("'notebooks' is not an object")
        state.setdefault("notebooks", {})
        return state

    def _move_aside(self, reason: str) -> None:
        stamp = self._now().strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            self.path.replace(target)
        except OSError as exc:
            logger.warning(
                "state file {} is unusable ({}) and cannot be moved aside ({}); starting fresh",
                self.path,
                reason,
                exc.strerror,
            )
            return
        logger.warning(
            "state file {} is unusable ({}); moved it to {} and started a fresh state",
            self.path,
            reason,
            target.name,
        )

    def _ensure_parent(self) -> None:
        parent = self.path.parent
        if not parent.exists():
            parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _fsync_dir(self) -> None:
        try:
            fd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:
            return  # some file systems cannot open directories; the rename is done
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
