"""CI runs the Docker image's install steps: a dry build of docker/Dockerfile without Docker.

The Dockerfile's COPY lines are replayed into a temporary root (only what `.dockerignore` lets
through reaches a real build, and the static checks keep the two in step), then every RUN part
that calls docker/install.sh is executed exactly as written, with the image's absolute paths
mapped into that root: the Debian step on this machine (the same Debian release as the image;
a no-op when Chromium is already installed) and the pip step into a fresh virtual environment
standing in for the image's Python. The installed command must then answer the image's
ENTRYPOINT and HEALTHCHECK commands. Cleanup parts (`rm -rf ...`) are not run on the host.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from deploy_helpers import DOCKERFILE, ROOT

pytestmark = pytest.mark.slow


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    joined: list[str] = []
    current = ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.lstrip().startswith("#") and not current:
            continue
        current += line.rstrip("\\").strip() + " " if line.endswith("\\") else line.strip()
        if not line.endswith("\\"):
            if current:
                joined.append(current)
            current = ""
    return [(item.split(None, 1)[0].upper(), item.split(None, 1)[1]) for item in joined]


def stage_copies(root: Path) -> list[str]:
    """Replay every COPY into `root`; returns the destination paths (image-absolute)."""
    destinations = []
    for instruction, arguments in instructions():
        if instruction != "COPY":
            continue
        *sources, dest = arguments.split()
        destinations.append(dest.rstrip("/"))
        target = root / dest.lstrip("/")
        for source in sources:
            src = ROOT / source
            if src.is_dir():
                shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
            elif dest.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target / src.name)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target)
    return destinations


def install_commands() -> list[str]:
    """The `&&`-parts of RUN instructions that call docker/install.sh, in order."""
    parts = []
    for instruction, arguments in instructions():
        if instruction == "RUN":
            parts += [p.strip() for p in arguments.split("&&") if "install.sh" in p]
    return parts


def remap(command: str, root: Path, destinations: list[str]) -> str:
    """Point the image's absolute paths (COPY destinations) into the staged root."""
    prefixes = sorted({str(Path(d).parent) if "." in Path(d).name else d for d in destinations})
    words = []
    for word in shlex.split(command):
        inside = any(word == p or word.startswith(p + "/") for p in prefixes)
        words.append(str(root / word.lstrip("/")) if inside else word)
    return shlex.join(words)


def test_the_dockerfile_installs_through_the_shared_script() -> None:
    commands = install_commands()
    assert [c.split()[-2] if "package" in c else c.split()[-1] for c in commands] == [
        "system",
        "package",
    ], commands
    # The Debian step is CI's own helper: scripts/test installs Chromium with it too.
    script = (ROOT / "docker" / "install.sh").read_text()
    assert re.search(r"^\s+apt_install_missing chromium chromium-driver$", script, re.M)
    ci = (ROOT / "scripts" / "test").read_text()
    ci_line = next(
        line.strip() for line in ci.splitlines() if line.strip().startswith("apt_install_missing ")
    )
    assert {"chromium", "chromium-driver"} <= set(ci_line.split()[1:])


def test_dry_build_runs_the_image_install_steps(tmp_path: Path) -> None:
    root = tmp_path / "image"
    destinations = stage_copies(root)
    venv = tmp_path / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    env |= {"PYTHON": str(venv / "bin" / "python"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for command in install_commands():
        mapped = remap(command, root, destinations)
        done = subprocess.run(
            ["bash", "-c", mapped],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, f"{mapped}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    assert shutil.which("chromium") and shutil.which("chromedriver")

    exe = venv / "bin" / "colab-watchdog"
    outside = tmp_path / "data"
    outside.mkdir()
    env["WATCHDOG_STATE_FILE"] = str(outside / "state.json")

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *args],
            check=False,
            cwd=outside,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    # ENTRYPOINT ["colab-watchdog", "run"] and HEALTHCHECK colab-watchdog status --check.
    assert call("run", "--help").returncode == 0
    health = call("status", "--check")
    assert health.returncode == 1, health.stderr  # no daemon yet: unhealthy, not a usage error
    located = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import watchdog; print(watchdog.__file__)"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert Path(located.strip()).is_relative_to(venv), "installed from the staged tree"
