"""A WebDriver URL with credentials (http://user:PASSWORD@grid:4444): the password never
appears in any output, neither in the log, nor in `run --once`'s JSON, nor in an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import run_once_remote
from watchdog.cli.config import load_settings
from watchdog.cli.main import main

PASSWORD = "s3cretpw"


def test_run_once_against_a_refused_remote_never_shows_the_password(tmp_path: Path) -> None:
    done = run_once_remote(
        tmp_path, f"http://user:{PASSWORD}@127.0.0.1:1", "http://127.0.0.1:9/notebook"
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Traceback" not in output, output
    assert PASSWORD not in output, output
    assert "127.0.0.1:1" in output  # the error still says where it tried
    errors = [line for line in done.stdout.splitlines() if '"error":' in line]
    assert len(errors) == 1 and "null" not in errors[0], done.stdout


def test_bad_remote_url_error_masks_the_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("WATCHDOG_"):
            monkeypatch.delenv(key)
    assert main(["run", "--remote", f"ftp://user:{PASSWORD}@grid:4444", "http://h/nb"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    assert "--remote='ftp://***@grid:4444'" in err and PASSWORD not in err, err


def test_secrets_hold_the_remote_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith("WATCHDOG_"):
            monkeypatch.delenv(key)
    settings = load_settings({"remote_url": f"http://user:{PASSWORD}@grid:4444"}, env_file=None)
    assert PASSWORD in settings.secrets()
    assert f"user:{PASSWORD}" in settings.secrets()
    assert load_settings({"remote_url": "http://grid:4444"}, env_file=None).secrets() == []
