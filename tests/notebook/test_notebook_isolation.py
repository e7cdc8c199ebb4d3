"""watchdog.notebook imports with the standard library alone, and imports nothing heavy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("selenium", "apprise", "loguru", "pydantic", "pydantic_settings", "schedule", "urllib3")

PROBE = """
import json, sys
import watchdog.notebook as nb
guard = nb.CheckpointGuard("12h", "30m", "60m", notify=False, display=False)
print(json.dumps({
    "file": nb.__file__,
    "modules": sorted(sys.modules),
    "left": guard.time_left(),
    "status": guard.status_line(),
}))
"""


def run_probe(python: str, cwd: Path, pythonpath: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    proc = subprocess.run(
        [python, "-c", PROBE],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def heavy_modules(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if m.split(".")[0] in HEAVY]


def watchdog_modules(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if m == "watchdog" or m.startswith("watchdog.")]


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh venv without pip and without site packages: the standard library only."""
    env_dir = tmp_path_factory.mktemp("bare-venv")
    venv.EnvBuilder(with_pip=False, system_site_packages=False, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    check = subprocess.run(
        [str(python), "-c", "import selenium"], capture_output=True, text=True, check=False
    )
    assert check.returncode != 0, "the bare venv must not see the project's dependencies"
    return str(python)


def test_imports_in_a_bare_venv_from_two_copied_files(bare_python: str, tmp_path: Path) -> None:
    pkg = tmp_path / "copied" / "watchdog"
    pkg.mkdir(parents=True)
    shutil.copy(ROOT / "watchdog" / "__init__.py", pkg / "__init__.py")
    shutil.copy(ROOT / "watchdog" / "notebook.py", pkg / "notebook.py")
    result = run_probe(bare_python, cwd=pkg.parent, pythonpath=None)
    assert str(result["file"]).startswith(str(pkg))
    assert heavy_modules(result["modules"]) == []
    assert watchdog_modules(result["modules"]) == ["watchdog", "watchdog.notebook"]
    assert str(result["status"]).startswith("Colab runtime: ")


def test_imports_in_a_bare_venv_from_the_project_dir(bare_python: str, tmp_path: Path) -> None:
    result = run_probe(bare_python, cwd=tmp_path, pythonpath=str(ROOT))
    assert str(result["file"]) == str(ROOT / "watchdog" / "notebook.py")
    assert heavy_modules(result["modules"]) == []
    assert watchdog_modules(result["modules"]) == ["watchdog", "watchdog.notebook"]


def test_import_pulls_in_no_dependency_even_where_they_are_installed(tmp_path: Path) -> None:
    # the project's venv has selenium, apprise, loguru and pydantic: none may be imported
    for name in ("selenium", "apprise", "loguru", "pydantic"):
        found = subprocess.run(
            [sys.executable, "-c", f"import {name}"], capture_output=True, check=False
        )
        assert found.returncode == 0, f"{name} should be installed in the test venv"
    result = run_probe(sys.executable, cwd=tmp_path, pythonpath=str(ROOT))
    assert heavy_modules(result["modules"]) == []
    assert watchdog_modules(result["modules"]) == ["watchdog", "watchdog.notebook"]
