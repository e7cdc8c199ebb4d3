"""The JSON state file: atomic writes, 0600, corrupt/unknown files moved aside, no crashes.
Its lock against another process: tests/alerts/test_state_lock.py."""

from __future__ import annotations

import json
import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchdog.adapters.statefile import JsonStateStore, fresh_state
from watchdog.core.status_report import SCHEMA_VERSION
from watchdog.errors import StateError

pytestmark = pytest.mark.skipif(
    sys.platform == "win32",
    reason="file modes, os.geteuid and read-only directories are POSIX",
)

NOW = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)


def store(path: Path) -> JsonStateStore:
    return JsonStateStore(path, now=lambda: NOW)


def sample() -> dict[str, object]:
    state = fresh_state()
    state["notebooks"] = {"https://x/1": {"url": "https://x/1", "ticks_ok": 3}}
    return state


def test_missing_file_loads_fresh(tmp_path: Path) -> None:
    assert store(tmp_path / "state.json").load() == fresh_state()
    assert fresh_state()["schema_version"] == SCHEMA_VERSION


def test_save_then_load_roundtrips_with_mode_0600_and_parent_0700(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "state.json"
    store(path).save(sample())
    assert store(path).load() == sample()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION


def test_save_is_atomic_and_leaves_no_temp_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.json"
    store(path).save(sample())
    before = path.read_text()

    def boom(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", boom)
    bigger = sample()
    bigger["notebooks"] = {}
    with pytest.raises(StateError, match="cannot write the state file"):
        store(path).save(bigger)
    assert path.read_text() == before  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2]", b'{"schema_version": 99, "notebooks": {}}', b"\xff\xfe\x00", b""],
    ids=["bad-json", "not-object", "unknown-version", "not-utf8", "empty"],
)
def test_corrupt_or_unknown_file_is_moved_aside_and_fresh_state_starts(
    tmp_path: Path, content: bytes, log_lines: list[str]
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    assert store(path).load() == fresh_state()
    aside = tmp_path / "state.json.corrupt-20261126T120000Z"
    assert aside.read_bytes() == content
    assert not path.exists()
    assert any("moved it to state.json.corrupt-" in line for line in log_lines)
    assert any(line.startswith("WARNING") for line in log_lines)


def test_inspect_does_not_move_anything(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{broken")
    assert store(path).inspect()[0] is None
    assert path.exists()
    assert store(tmp_path / "missing.json").inspect() == (None, None)


def test_inspect_says_what_is_wrong_without_moving_anything(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{broken")
    state, problem = store(path).inspect()
    assert state is None
    assert problem is not None and problem.startswith("not valid JSON")
    assert path.read_text() == "{broken"
    assert store(tmp_path / "missing.json").inspect() == (None, None)
    store(path).save(sample())
    state, problem = store(path).inspect()
    assert problem is None and state is not None and state["schema_version"] == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_raises_state_error(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(StateError):
            store(ro / "state.json").save(sample())
    finally:
        ro.chmod(0o700)


def test_unwritable_location_raises_state_error_even_as_root(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a directory")
    with pytest.raises(StateError, match="WATCHDOG_STATE_FILE"):
        store(blocker / "state.json").save(sample())


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"[" * 200_000, "nested too deeply"),
        (
            b'{"schema_version": 1, "pad": "' + b"x" * (10 * 1024 * 1024) + b'"}',
            "larger than 10 MB",
        ),
    ],
    ids=["nested", "over-10MB"],
)
def test_unreadable_state_is_corrupt_never_an_exception(
    tmp_path: Path, content: bytes, why: str, log_lines: list[str]
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    state, problem = store(path).inspect()
    assert state is None and problem is not None and why in problem
    assert store(path).load() == fresh_state()
    assert (tmp_path / "state.json.corrupt-20261126T120000Z").read_bytes() == content
    assert any(why in line for line in log_lines)


def test_memory_error_while_parsing_is_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchdog.adapters.statefile as statefile

    def exhausted(_text: str) -> object:
        raise MemoryError

    monkeypatch.setattr(statefile.json, "loads", exhausted)
    path = tmp_path / "state.json"
    path.write_text("{}")
    assert store(path).inspect() == (None, "too large to read into memory")
