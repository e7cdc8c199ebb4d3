"""The GitHub Actions workflow, checked offline: the GitHub workflow schema bundled with
check-jsonschema, plus what the schema cannot say (which OSes, which tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import yaml
from deploy_helpers import ROOT, venv_tool

WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [venv_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def jobs() -> dict[str, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return dict(data["jobs"])


def commands(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_workflow_matches_the_github_workflow_schema() -> None:
    proc = schema_check(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_schema_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "ci.yml"
    bad.write_text("on: [push]\njobs:\n  a:\n    steps:\n      - run: true\n")  # no runs-on
    assert schema_check(bad).returncode != 0


def test_pure_tier_runs_on_linux_macos_and_windows() -> None:
    unit = jobs()["unit"]
    assert unit["runs-on"] == "${{ matrix.os }}"
    assert set(unit["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest",
        "macos-latest",
        "windows-latest",
    }
    assert unit["strategy"]["fail-fast"] is False  # one OS failing must not hide the others
    assert any(c.split()[-1] == "tests/unit" and "pytest" in c for c in commands(unit))


def test_whole_suite_runs_through_scripts_test_on_debian() -> None:
    suite = jobs()["suite"]
    assert suite["runs-on"] == "ubuntu-latest"
    assert suite["container"]["image"].startswith("debian:")
    assert commands(suite) == ["./scripts/test"]
