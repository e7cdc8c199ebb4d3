"""`test-alert` against a REAL HTTP receiver on 127.0.0.1, in-process through main([...]).
`status` and test-alert without a channel: tests/unit/test_cli_commands.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.webhook import Receiver
from tests.unit.test_cli_commands import _restore_logging  # noqa: F401 (an autouse fixture)
from watchdog.cli.main import main


def test_test_alert_reports_each_channel(
    receiver: Receiver,
    refused_port: int,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    good = receiver.url("/ok", userinfo="user:SECRETTOKEN")
    bad = f"json://user:SECRETTOKEN@127.0.0.1:{refused_port}/hook"
    code = main(["test-alert", "--notify", good, "--notify", bad])
    out = capsys.readouterr()
    assert code == 1
    assert f"ok      json://***@127.0.0.1:{receiver.port}/***" in out.out
    assert f"failed  json://***@127.0.0.1:{refused_port}/***" in out.out
    assert "1 of 2 channel(s)" in out.out
    assert "SECRETTOKEN" not in out.out + out.err
    [title] = receiver.titles("/ok")
    assert title == "Colab watchdog: test alert"
    assert "save a checkpoint now" in receiver.payloads[0][1]["message"].lower()


def test_test_alert_all_ok_exits_0(
    receiver: Receiver,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WATCHDOG_NOTIFY", receiver.url("/ok"))
    assert main(["test-alert"]) == 0
    assert "1 of 1 channel(s)" in capsys.readouterr().out
