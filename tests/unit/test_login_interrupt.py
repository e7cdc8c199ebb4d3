"""`login` interrupted by Ctrl+C: a browser that ignores SIGTERM is killed, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from watchdog.cli.main import main
from watchdog.errors import ExitCode


class StubbornBrowser:
    """A Popen stand-in: waiting is interrupted by Ctrl+C, and SIGTERM is ignored."""

    started: ClassVar[list[StubbornBrowser]] = []

    def __init__(self, command: list[str], **kwargs: Any) -> None:
        self.command = command
        self.terminated = self.killed = False
        self.started.append(self)

    def wait(self, timeout: float | None = None) -> int:
        if not self.terminated:
            raise KeyboardInterrupt
        if not self.killed:
            raise subprocess.TimeoutExpired(self.command, timeout or 0)
        return -9

    def terminate(self) -> None:
        self.terminated = True

    def kill(self) -> None:
        self.killed = True


@pytest.fixture
def login_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("WATCHDOG_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    binary = tmp_path / "chromium"
    binary.write_text("#!/bin/sh\nexit 0\n")
    binary.chmod(0o755)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setenv("WATCHDOG_CHROME_BINARY", str(binary))
    monkeypatch.setenv("WATCHDOG_PROFILE_DIR", str(tmp_path / "profile"))
    StubbornBrowser.started.clear()
    monkeypatch.setattr(subprocess, "Popen", StubbornBrowser)


@pytest.mark.usefixtures("login_env")
def test_interrupted_login_kills_a_browser_that_ignores_sigterm(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["login"]) == ExitCode.INTERRUPTED
    [browser] = StubbornBrowser.started
    assert browser.terminated and browser.killed
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux keyring; see test_platforms.py")
@pytest.mark.usefixtures("login_env")
def test_login_and_run_encrypt_cookies_the_same_way(capsys: pytest.CaptureFixture[str]) -> None:
    """A profile signed in with `login` on a desktop (keyring) must decrypt under `run` where no
    keyring answers: both force the same password store."""
    from watchdog.adapters.browser.config import CHROMIUM_FLAGS

    main(["login"])
    [browser] = StubbornBrowser.started
    stores = [arg for arg in browser.command if arg.startswith("--password-store=")]
    assert stores == ["--password-store=basic"]
    assert [f for f in CHROMIUM_FLAGS if f.startswith("--password-store=")] == stores


@pytest.mark.usefixtures("login_env")
def test_login_logs_in_the_one_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """login's log lines look like the daemon's: `YYYY-MM-DD HH:MM:SS | LEVEL   | message`."""
    import logging
    import re

    from loguru import logger

    profile = tmp_path / "profile"
    profile.mkdir()
    (profile / "SingletonLock").symlink_to("another-host-4242")  # a stale lock: logged
    try:
        main(["login"])
    finally:
        logger.remove()
        logger.add(lambda message: sys.stderr.write(message))  # noqa: PLW0108  (of the moment)
        logging.basicConfig(handlers=[], force=True)  # login intercepted stdlib logging
    err = capsys.readouterr().err
    logged = [line for line in err.splitlines() if "profile lock" in line or "stale" in line]
    assert logged, err
    one_format = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| (WARNING|INFO   ) \| ")
    assert all(one_format.match(line) for line in logged), logged
