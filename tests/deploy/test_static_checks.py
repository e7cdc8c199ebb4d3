"""CI checks of the deployment files without a Docker engine or a running systemd.

hadolint on the Dockerfile (any finding fails), shellcheck on the install script the
Dockerfile runs, the compose files against the compose schema (offline) plus the semantic
checks a schema cannot make, and `systemd-analyze verify` on the unit.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_helpers import (
    COMPOSE_FILES,
    DOCKERFILE,
    INSTALL_SH,
    ROOT,
    UNIT_FILE,
    venv_tool,
)

from watchdog.cli.settings import Settings


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=cwd, check=False)


# ----------------------------------------------------------------------------- Dockerfile


def test_hadolint_finds_nothing(tmp_path: Path) -> None:
    # Run from an empty dir so no stray .hadolint.yaml can silence rules; fail on any level.
    proc = run(
        [venv_tool("hadolint"), "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        cwd=tmp_path,
    )
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout + proc.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path: Path) -> None:
    # Proves the check can fail: an unpinned apt install without cleanup is reported.
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM debian:bookworm\nRUN apt-get update && apt-get install -y chromium\n")
    proc = run([venv_tool("hadolint"), "--no-color", str(bad)], cwd=tmp_path)
    assert proc.returncode != 0
    assert "DL3008" in proc.stdout


def test_every_ignored_hadolint_rule_is_explained() -> None:
    lines = DOCKERFILE.read_text().splitlines()
    for number, line in enumerate(lines):
        if "hadolint ignore" in line:
            before = lines[number - 1].strip() if number else ""
            explained = before.startswith("#") and "hadolint" not in before and len(before) > 10
            assert explained, f"line {number + 1}: explain the ignored rule in the line above"
    assert not (ROOT / ".hadolint.yaml").exists(), "ignore rules next to the line, with a reason"


@pytest.mark.parametrize(
    "script", [INSTALL_SH, ROOT / "tests" / "deploy" / "install_grid.sh"], ids=lambda p: p.name
)
def test_shellcheck_install_scripts(script: Path) -> None:
    # -x follows `source scripts/lib.sh` (paths relative to the repository root).
    proc = run([venv_tool("shellcheck"), "-x", str(script.relative_to(ROOT))], cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_contract() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", text, re.M)
    assert re.search(r"^USER (?!0\b|root\b)\S+", text, re.M), "must run as a non-root user"
    assert "PYTHONUNBUFFERED=1" in text
    assert "WATCHDOG_STATE_FILE=/data/" in text and "WATCHDOG_PROFILE_DIR=/data/" in text
    assert 'VOLUME ["/data"]' in text
    assert re.search(r'^\s+CMD \["colab-watchdog", "status", "--check"\]$', text, re.M)
    assert 'ENTRYPOINT ["colab-watchdog", "run"]' in text


def test_dockerignore_sends_what_copy_needs_and_never_dotenv() -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "start from nothing, re-include what the build copies"
    included = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    sources: list[str] = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY "):
            sources.extend(line.split()[1:-1])
    assert sources, "the Dockerfile copies nothing?"
    for source in sources:
        assert source.rstrip("/") in included, f"{source} is excluded by .dockerignore"
        assert (ROOT / source).exists(), f"COPY source {source} does not exist"
    assert not any(item.startswith(".env") for item in included)


# ----------------------------------------------------------------------------- compose


def test_compose_files_match_the_compose_schema() -> None:
    proc = run(
        [venv_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec"]
        + [str(path) for path in COMPOSE_FILES]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_schema_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "compose.yaml"
    bad.write_text(
        "services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: healthy}\n"
    )
    proc = run([venv_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(bad)])
    assert proc.returncode != 0


def load_compose(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    assert isinstance(data, dict)
    return data


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def check_browser_profile(name: str, service: dict[str, Any], env: dict[str, str]) -> None:
    """The node forces one persistent profile: on a volume, one session at a time."""
    extra = json.loads(env["SE_NODE_STEREOTYPE_EXTRA"])
    (flag,) = [a for a in extra["goog:chromeOptions"]["args"] if a.startswith("--user-data-dir=")]
    profile = flag.split("=", 1)[1]
    assert any(str(v).endswith(":" + profile) for v in service["volumes"]), f"{name}: {profile}"
    assert env["SE_NODE_MAX_SESSIONS"] == "1", f"{name}: a profile opens only once"
    assert service.get("hostname"), f"{name}: a fixed hostname keeps profile locks recognisable"


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_compose_semantics(path: Path) -> None:
    services = load_compose(path)["services"]
    watchdogs = {name: s for name, s in services.items() if name.startswith("watchdog")}
    assert "watchdog" in watchdogs
    for name, service in services.items():
        image = service.get("image", "")
        if image.startswith("selenium/"):
            tag = image.rpartition(":")[2]
            assert re.fullmatch(r"\d+\.\d+\.\d+-\d{8}", tag), f"{name}: pin {image}"
            if "hub" not in image and "entrypoint" not in service:  # a browser node
                assert service["shm_size"] == "2gb", f"{name}: Chromium needs shm_size: 2gb"
                env = environment(service)
                timeout = env["SE_NODE_SESSION_TIMEOUT"]
                assert int(timeout) >= 3600, f"{name}: raise SE_NODE_SESSION_TIMEOUT to hours"
                check_browser_profile(name, service, env)
        for target in service.get("depends_on", {}):
            assert target in services, f"{name} depends on unknown service {target}"
    for name, service in watchdogs.items():
        # Set in compose, not only in the image: env_file (a copied .env.example) would
        # otherwise override the image's value with an empty one, moving state off the volume.
        state = environment(service)["WATCHDOG_STATE_FILE"]
        mounts = [str(v).split(":")[1] for v in service["volumes"]]
        assert any(state.startswith(m + "/") for m in mounts), f"{name}: {state} not on a volume"
    main = services["watchdog"]
    assert main["restart"] == "unless-stopped"
    assert main["env_file"] == ".env"
    assert any(str(v).endswith(":/data") for v in main["volumes"])
    env = environment(main)
    assert env["WATCHDOG_BROWSER"] == "remote"
    browser_host = re.fullmatch(r"http://([a-z0-9-]+):4444", env["WATCHDOG_REMOTE_URL"])
    assert browser_host and browser_host.group(1) in services
    browser = services[browser_host.group(1)]
    assert main["depends_on"][browser_host.group(1)] == {"condition": "service_healthy"}
    check = browser["healthcheck"]["test"]
    assert "/opt/bin/check-grid.sh" in check  # GET /status, value.ready == true


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_compose_settings_are_real_and_valid(
    path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Every WATCHDOG_* a compose file sets must be a setting, with a value Settings accepts.
    monkeypatch.chdir(tmp_path)  # no stray .env
    for service_name, service in load_compose(path)["services"].items():
        env = {k: v for k, v in environment(service).items() if k.startswith("WATCHDOG_")}
        for key in env:
            field = key.removeprefix("WATCHDOG_").lower()
            assert field in Settings.model_fields, f"{service_name}: {key} is not a setting"
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("WATCHDOG_NOTEBOOKS", "https://colab.research.google.com/drive/abc")
        Settings(_env_file=None)  # type: ignore[call-arg]
        for key in env:
            monkeypatch.delenv(key)


def test_grid_example_spreads_notebooks() -> None:
    services = load_compose(COMPOSE_FILES[1])["services"]
    nodes = [s for s in services.values() if "node-chromium" in s.get("image", "")]
    assert len(nodes) >= 2
    assert int(environment(services["watchdog"])["WATCHDOG_NOTEBOOKS_PER_SESSION"]) >= 1


# ----------------------------------------------------------------------------- systemd


def unit_settings() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in UNIT_FILE.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_unit_contract() -> None:
    unit = unit_settings()
    assert unit["Type"] == ["notify"]
    assert unit["NotifyAccess"] == ["main"]
    assert unit["Restart"] == ["on-failure"]
    # The daemon refuses an interval of half WatchdogSec or more: the default 60 s must fit.
    assert 2 * 60 < int(unit["WatchdogSec"][0]) <= 900
    assert unit["EnvironmentFile"]
    # Options that break Chromium must stay off.
    for key in ("MemoryDenyWriteExecute", "RestrictNamespaces", "SystemCallFilter"):
        assert key not in unit, f"{key} breaks Chromium"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify needs ExecStart to exist: point it at this environment's colab-watchdog.
    exe = venv_tool("colab-watchdog")
    text = UNIT_FILE.read_text().replace("/opt/colab-watchdog/bin/colab-watchdog", exe)
    unit = tmp_path / UNIT_FILE.name
    unit.write_text(text)
    proc = run(["systemd-analyze", "verify", str(unit)])
    # Unknown keys are only warnings (exit 0): any output at all is a failure.
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip(), proc.stderr
