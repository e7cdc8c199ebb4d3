"""Shared fixtures: the simulated Colab server, headless Chromium, and `wait_until`.

    sim_server          session-scoped SimServer on 127.0.0.1 (ephemeral port). After each test
                        that used it, failure toggles are reset and it is running again.
    fresh_sim_server    a private SimServer for one test (stop/start it freely)
    chrome_driver       a headless Chromium WebDriver for one test; always quit
    module_chrome_driver  the same, shared by one test module
    wait_until          the `tests.helpers.wait_until` function, as a fixture
    receiver            a webhook receiver on 127.0.0.1 (bench/webhook.py), closed afterwards

Helpers (`wait_until`, `new_chrome_driver`, `sim`, `sim_counters`, `open_sim_page`) live in
tests/helpers.py: `from tests.helpers import wait_until`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.webhook import Receiver
from tests.helpers import chrome_paths, new_chrome_driver, wait_until
from watchdog.sim import SimServer

__all__ = ["wait_until"]


UNIT_TIER = Path(__file__).resolve().parent / "unit"


# Files that take a minute or more on the 2-core CI machine (`--durations`), longest first.
# Under pytest-xdist (--dist loadfile) they start first, so that no long file starts last and
# runs alone at the end while the other worker idles.
LONG_FILES = (
    "test_soak.py",
    "test_trusted_input.py",
    "test_grid_scaleout.py",
    "test_e2e.py",
    "test_install_steps.py",
    "test_wheel_install.py",
    "test_bounded_calls.py",
    "test_extension_browser.py",
    "test_cli_run.py",
    "test_work_e2e.py",
    "test_browser_faults.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the long files first (a stable sort: the order within a file is kept)."""
    rank = {name: i for i, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(Path(item.path).name, len(rank)))


def pytest_collection_finish(session: pytest.Session) -> None:
    """In CI a missing browser is a failed install, not a reason to skip the browser tests.

    The pure tier alone (tests/unit, run on macOS and Windows CI too) needs no browser."""
    if all(Path(item.path).is_relative_to(UNIT_TIER) for item in session.items):
        return
    browser, driver = chrome_paths()
    if os.environ.get("CI") and (browser is None or driver is None):
        pytest.exit(
            "CI=true but chromium/chromedriver are missing: scripts/test must install them "
            "(apt-get install chromium chromium-driver)",
            returncode=1,
        )


@pytest.fixture(scope="session")
def sim_server() -> Iterator[SimServer]:
    with SimServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _reset_sim_server(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "sim_server" in request.fixturenames:
        server: SimServer = request.getfixturevalue("sim_server")
        server.reset()


@pytest.fixture
def fresh_sim_server() -> Iterator[SimServer]:
    with SimServer() as server:
        yield server


def _require_chrome() -> None:
    browser, driver = chrome_paths()
    if browser is None or driver is None:
        pytest.skip(
            "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        )


@pytest.fixture
def chrome_driver(tmp_path: Path) -> Iterator[Any]:
    _require_chrome()
    profile = tmp_path / "chrome-profile"
    profile.mkdir()
    driver = new_chrome_driver(profile)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def module_chrome_driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _require_chrome()
    driver = new_chrome_driver(tmp_path_factory.mktemp("chrome-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(name="wait_until")
def wait_until_fixture() -> Callable[..., Any]:
    return wait_until


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver for `json://` alert URLs (`receiver.url("/ok")`); see bench/webhook.py."""
    with contextlib.closing(Receiver()) as rec:
        yield rec
