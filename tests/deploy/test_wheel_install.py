"""A non-editable install works: the wheel carries js/ and `colab-watchdog snippet` runs from it.

Builds the wheel, installs it (with its dependencies, from the configured index) into a fresh
virtual environment, and runs the installed command from a directory outside the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_installs_into_a_fresh_venv_and_renders_the_snippet(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(dist)], ROOT)
    (wheel,) = dist.glob("colab_watchdog-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "watchdog/_js/engine.js" in names
    assert "watchdog/_js/snippet.js" in names
    assert "watchdog/_js/extension/worker.js" in names
    assert "watchdog/_js/notebook_countdown.js" in names
    assert "watchdog/notebook.py" in names

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], tmp_path)

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("WATCHDOG_")}
    env["HOME"] = str(tmp_path)
    env.pop("PYTHONPATH", None)

    located = run(
        [str(bindir / "python"), "-c", "import watchdog; print(watchdog.__file__)"], outside, env
    )
    assert Path(located.strip()).is_relative_to(venv), located  # not the checkout

    assert "colab-watchdog" in run([str(bindir / "colab-watchdog"), "--help"], outside, env)
    snippet = run([str(bindir / "colab-watchdog"), "snippet", "--interval", "30s"], outside, env)
    assert "colabWatchdogTick" in snippet
    assert "window.colabWatchdog" in snippet
    # the Python cell is the installed notebook.py and its JS: it runs in a bare interpreter
    cell = run([str(bindir / "colab-watchdog"), "snippet", "--python"], outside, env)
    (outside / "cell.py").write_text(cell, encoding="utf-8")
    ran = run([sys.executable, "-I", str(outside / "cell.py")], outside, env)
    assert "Colab runtime: up " in ran
    alert = run(
        [
            str(bindir / "python"),
            "-c",
            "from watchdog import notebook as n; "
            "print(n._script('notebook_alert.js', 't', 'b')[-12:])",
        ],
        outside,
        env,
    )
    assert alert.strip() == ')("t", "b")'
    url = run(
        [str(bindir / "colab-watchdog"), "url", "https://github.com/o/r/blob/main/n.ipynb"],
        outside,
        env,
    )
    assert url.strip() == "https://colab.research.google.com/github/o/r/blob/main/n.ipynb"
    built = run(
        [str(bindir / "colab-watchdog"), "extension", "--output", str(outside / "ext")],
        outside,
        env,
    )
    assert "Load unpacked" in built
    assert (outside / "ext" / "engine.js").is_file()
    assert (outside / "ext" / "content.js").is_file()
