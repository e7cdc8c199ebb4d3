"""The alert JavaScript CheckpointGuard hands to eval_js, run under node with a fake page."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes import FakeClock
from watchdog.notebook import CheckpointGuard

HOUR = 3600.0


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the alert JS")
@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        ("granted", ["beep", "notify"]),
        ("default", ["beep", "asked", "notify"]),
        ("denied", ["beep"]),
    ],
)
def test_alert_js_beeps_and_notifies_when_allowed(
    clock: FakeClock,
    uptime: Callable[[float], str],
    off_colab: None,
    fake_colab: list[tuple[str, dict[str, object]]],
    tmp_path: Path,
    permission: str,
    expected: list[str],
) -> None:
    guard = CheckpointGuard("12h", "30m", clock=clock, uptime_file=uptime(12 * HOUR), display=False)
    assert guard.should_save() is True
    script_file = tmp_path / "alert.js"
    script_file.write_text(fake_colab[0][0], encoding="utf-8")
    proc = subprocess.run(
        ["node", str(Path(__file__).parent / "run_alert_js.js"), str(script_file), permission],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["result"] is True
    notify = "Colab runtime ending: About 0s left in this Colab runtime (ends ~12:00 UTC): "
    notify += "saving a checkpoint now."
    assert result["events"] == [notify if e == "notify" else e for e in expected]
