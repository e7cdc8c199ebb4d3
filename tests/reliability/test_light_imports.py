"""The commands that need neither a browser nor alerts import neither Selenium nor apprise,
checked in a fresh interpreter (a subprocess), not by timing. The same rule by reading the
imports: tests/unit/test_light_commands.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("selenium", "apprise")
PROBE = """
import json, sys
from watchdog.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print("HEAVY=" + json.dumps(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["snippet"],
        ["snippet", "--format", "bookmarklet"],
        ["status", "--help"],
        ["url", "https://github.com/o/r/blob/m/x.ipynb"],
    ],
)
def test_light_commands_import_neither_selenium_nor_apprise(
    tmp_path: Path, argv: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY)), *argv],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    marker = [line for line in result.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker, result.stderr
    assert json.loads(marker[0][len("HEAVY=") :]) == [], f"{argv} imported {marker[0]}"
    assert result.stdout.strip()  # the command did its work


def test_the_import_probe_can_fail(tmp_path: Path) -> None:
    """The probe above sees a heavy import when there is one (here: `test-alert` needs
    apprise)."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(heavy=set(HEAVY)),
            "test-alert",
            "--notify",
            "json://127.0.0.1:9/x",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    marker = [line for line in result.stderr.splitlines() if line.startswith("HEAVY=")]
    assert marker and "apprise" in marker[0], result.stderr
