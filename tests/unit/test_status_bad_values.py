"""`status` on a state file that is valid JSON of the right schema but holds bad values.

Such a file is corrupt like one that is not JSON: one line naming the file and the bad value,
exit 2 (`--check`: exit 1), no traceback, and the file is left where it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_cli_commands import write_state
from watchdog.cli.main import main


def _edit(path: Path, change: Any) -> bytes:
    state = json.loads(path.read_text())
    change(state)
    path.write_text(json.dumps(state))
    return path.read_bytes()


def _naive_updated_at(state: dict[str, Any]) -> None:
    state["daemon"]["updated_at"] = "2026-01-01T09:00:00"


def _bad_idle_deadline(state: dict[str, Any]) -> None:
    [record] = state["notebooks"].values()
    record["idle_deadline"] = "bad"


def _string_record(state: dict[str, Any]) -> None:
    [url] = state["notebooks"]
    state["notebooks"][url] = "not a record"


def _string_daemon(state: dict[str, Any]) -> None:
    state["daemon"] = "up"


def _string_session(state: dict[str, Any]) -> None:
    [record] = state["notebooks"].values()
    record["session"] = "s"


def _string_alerts(state: dict[str, Any]) -> None:
    [record] = state["notebooks"].values()
    record["alerts_sent"] = ["lifetime-warning"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_naive_updated_at, "updated_at"),
        (_bad_idle_deadline, "idle_deadline"),
        (_string_record, "not an object"),
        (_string_daemon, "'daemon' is not an object"),
        (_string_session, "session"),
        (_string_alerts, "alerts_sent"),
    ],
    ids=[
        "naive-updated_at",
        "bad-idle_deadline",
        "string-record",
        "string-daemon",
        "string-session",
        "string-alert",
    ],
)
def test_bad_values_are_a_corrupt_state_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Any, problem: str
) -> None:
    path = tmp_path / "state.json"
    write_state(path)
    content = _edit(path, change)
    assert main(["status", "--state-file", str(path)]) == 2
    assert main(["status", "--json", "--state-file", str(path)]) == 2
    assert main(["status", "--check", "--state-file", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 3, lines
    for line in lines:
        assert f"state file {path} (--state-file) is corrupt: " in line, line
        assert problem in line, line
        assert "moves it aside" in line, line
    assert lines[0].startswith("colab-watchdog: error:")
    assert lines[2].startswith("colab-watchdog: unhealthy:")
    assert path.read_bytes() == content  # status only reads
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]
