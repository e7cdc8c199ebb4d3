"""scripts/test, scripts/run, .ci/run are executable bash in strict mode (they run for real
in tests/deploy/test_scripts.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# scripts/ are the Linux fresh-machine commands (apt-get, bash); laptops use pipx.
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Linux scripts")
SCRIPTS = [ROOT / "scripts" / "test", ROOT / "scripts" / "run", ROOT / ".ci" / "run"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_are_executable_bash_with_strict_mode(script: Path) -> None:
    assert os.access(script, os.X_OK), f"{script} is not executable"
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
