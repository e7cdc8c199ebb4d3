"""Helpers for the deployment tests: repository paths and tool lookup (import as deploy_helpers)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "docker" / "Dockerfile"
INSTALL_SH = ROOT / "docker" / "install.sh"
COMPOSE_FILES = (ROOT / "docker" / "compose.yaml", ROOT / "docker" / "compose.grid.yaml")
UNIT_FILE = ROOT / "deploy" / "systemd" / "colab-watchdog.service"


def venv_tool(name: str) -> str:
    """The path of a console script installed next to this Python (the venv), else on PATH.

    Fails the test (not skips) when missing: these tools come with the `test` extras.
    """
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found: pip install -e '.[test]' installs it")
    return found
