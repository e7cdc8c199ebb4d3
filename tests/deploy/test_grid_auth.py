"""A Grid behind HTTP basic auth (`--username/--password`), reached with
`--remote http://user:PASSWORD@host:port`: the login goes to Selenium as basic auth (not
inside the URL, which Selenium warns about), the notebook ticks, and the password appears in
no output. Without the login the Grid answers 401 and `--once` says so in its error."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from grid_server import SeleniumGrid, grid_jar_or_skip

from tests.helpers import run_once_remote
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.grid]

USER = "watcher"
PASSWORD = "gr1dS3cret%pw@x"  # percent sign and @ in it: encoded in the URL as %25 and %40
ENCODED = "gr1dS3cret%25pw%40x"


@pytest.fixture(scope="module")
def auth_grid() -> Iterator[SeleniumGrid]:
    jar = grid_jar_or_skip()
    with SeleniumGrid(jar, max_sessions=1, login=(USER, PASSWORD)) as grid:
        yield grid


def run_once(tmp_path: Path, remote: str, notebook: str) -> subprocess.CompletedProcess[str]:
    # PYTHONWARNINGS: a Selenium warning must show if it is raised.
    return run_once_remote(tmp_path, remote, notebook, timeout=240, PYTHONWARNINGS="always")


def test_grid_login_from_the_url_is_sent_as_basic_auth(
    auth_grid: SeleniumGrid, sim_server: SimServer, tmp_path: Path
) -> None:
    notebook = sim_server.page_url("grid-auth", era=2025, idle=30)
    address = auth_grid.url.removeprefix("http://")
    done = run_once(tmp_path, f"http://{USER}:{ENCODED}@{address}", notebook)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    results = json.loads(done.stdout)
    assert [r["status"]["state"] for r in results] == ["connected"], done.stdout
    assert "Embedding username and password" not in output, output
    for secret in (PASSWORD, ENCODED, "gr1dS3cret"):
        assert secret not in output, output
    assert f"http://***@{address}" in output  # the log still says which Grid


def test_grid_without_the_login_is_refused_with_a_clear_error(
    auth_grid: SeleniumGrid, sim_server: SimServer, tmp_path: Path
) -> None:
    notebook = sim_server.page_url("grid-auth-none", era=2025, idle=30)
    done = run_once(tmp_path, auth_grid.url, notebook)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Traceback" not in output, output
    [result] = json.loads(done.stdout)
    assert "Authorization Required" in result["error"], done.stdout
    assert auth_grid.url in result["error"]  # it names the Grid it tried
