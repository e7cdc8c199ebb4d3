"""The state file's lock against a second process holding it (a subprocess). The rest of
the state file: tests/unit/test_statefile.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from watchdog.adapters.statefile import JsonStateStore
from watchdog.errors import ConfigError


def store(path: Path) -> JsonStateStore:
    return JsonStateStore(path)


def test_state_lock_refuses_a_second_holder_naming_its_pid(tmp_path: Path) -> None:

    path = tmp_path / "state.json"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from watchdog.adapters.statefile import JsonStateStore;"
            "h = JsonStateStore(Path(sys.argv[1])).hold_lock(); print('held', flush=True);"
            "time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ConfigError, match=f"pid {holder.pid}") as caught:
            store(path).hold_lock()
        assert "--state-file" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
    store(path).hold_lock().release()
