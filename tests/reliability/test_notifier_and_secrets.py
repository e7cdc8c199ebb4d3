"""Alert endpoints that refuse, hang or answer 500, next to a working one, on a real daemon;
and secrets: the token of a notify URL appears in no output at all.

One daemon run (accelerated lifetime 8 s, margin 4 s, interval 0.5 s) sends two alerts to
four channels; JSON logs at DEBUG go to stderr and a log file. Afterwards `status` and
`status --json` read its state file. The token is grepped in every byte of all of it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bench.webhook import Receiver
from tests.reliability.conftest import RunFactory
from watchdog.sim import SimServer

TOKEN = "Tok3nXYZsecret"
USERINFO = f"bot:{TOKEN}"


def cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watchdog", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.browser
@pytest.mark.slow
def test_failing_channels_never_block_ticks_or_the_good_channel_and_leak_nothing(
    daemon_run: RunFactory,
    fresh_sim_server: SimServer,
    receiver: Receiver,
    refused_port: int,
    tmp_path: Path,
) -> None:
    url = fresh_sim_server.page_url("alerts", era=2025, idle=0)
    channels = [
        receiver.url("/ok", USERINFO),
        receiver.url("/fail", USERINFO),
        receiver.url("/hang", USERINFO),
        f"json://{USERINFO}@127.0.0.1:{refused_port}/refused",
    ]
    env = {
        "WATCHDOG_MAX_LIFETIME": "8s",
        "WATCHDOG_WARN_BEFORE": "4s",
        "WATCHDOG_NOTIFY": " ".join(channels),
        "WATCHDOG_LOG_JSON": "true",
        "WATCHDOG_LOG_LEVEL": "DEBUG",
    }
    run = daemon_run([url], env)
    run.wait(lambda: receiver.hit_count("/hang") >= 1, 60, "the warning reaching /hang")
    hung_at = run.ticks(url)
    # The hanging channel holds its request; ticks go on, and the next alert still arrives.
    run.wait(lambda: len(receiver.titles("/ok")) >= 2, 60, "both alerts on /ok")
    assert run.ticks(url) >= hung_at + 4, "ticks stalled behind a hanging alert channel"
    run.wait_ticking([url], more=2)

    kinds = [t.split(",")[0].split(" (")[0] for t in receiver.titles("/ok")]
    assert kinds == ["Colab watchdog: lifetime warning", "Colab watchdog: lifetime reached"]
    # 500 is transient: retried, with a bound (3 tries per alert).
    assert 2 < receiver.hit_count("/fail") <= 6, receiver.hits
    assert run.stop() == 0, run.tail()  # a hanging channel does not hold up shutdown
    run.assert_no_orphans()
    run.assert_state_always_valid()
    keys = run.alert_keys()
    assert len(keys) == len(set(keys)) == 2, keys

    # The engine made no network request: the page server saw exactly one load of the page.
    assert fresh_sim_server.requests == ["/notebook/alerts?era=2025&idle=0"]

    # Files: profile dir 0700, state file 0600 (its directory 0700).
    assert stat.S_IMODE(os.stat(run.profile).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(run.state_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(run.state_path.parent).st_mode) == 0o700

    status_text = cli(["status"], run.env, tmp_path)
    status_json = cli(["status", "--json"], run.env, tmp_path)
    assert status_text.returncode == status_json.returncode == 0, status_text.stderr
    assert json.loads(status_json.stdout)["notebooks"][0]["url"] == url

    text = run.text()
    # JSON logs: every stderr line is one JSON record.
    for line in run.stderr_path.read_text().splitlines():
        json.loads(line)
    # Each failing channel was logged, by its redacted URL. (The redactor also masks the
    # word "fail" in these lines: "/fail" is a path segment of a secret URL here.)
    assert text.count("after 3 tries") >= 2, text[-3000:]
    assert f"json://***@127.0.0.1:{refused_port}/***" in text
    outputs = {
        "daemon output and log file": text,
        "state file": run.state_path.read_text(),
        "status": status_text.stdout + status_text.stderr,
        "status --json": status_json.stdout + status_json.stderr,
    }
    for where, out in outputs.items():
        assert TOKEN not in out, f"the notify token leaked into {where}"
    assert "Traceback" not in text


@pytest.mark.parametrize(
    "args",
    [
        # A settings error with --debug: the traceback path.
        ["--debug", "run", "--interval", "soon"],
        # A bad notify URL (its value must never be echoed), with and without --debug.
        ["--debug", "test-alert", "--notify", f"nope://{USERINFO}@host/x"],
        ["run", "--notify", f"{USERINFO}@no-scheme"],
        ["--debug", "status", "--json"],
    ],
)
def test_token_never_in_errors_or_tracebacks(tmp_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    env.update(
        WATCHDOG_NOTIFY=f"json://{USERINFO}@127.0.0.1:9/hook",
        WATCHDOG_STATE_FILE=str(tmp_path / "missing" / "state.json"),
        WATCHDOG_PROFILE_DIR=str(tmp_path / "profile"),
    )
    result = cli(args, env, tmp_path)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert out.strip()
    assert TOKEN not in out, out


def test_test_alert_results_name_channels_without_the_token(
    tmp_path: Path, refused_port: int
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    result = cli(
        ["test-alert", "--notify", f"json://{USERINFO}@127.0.0.1:{refused_port}/hook"],
        env,
        tmp_path,
    )
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert str(refused_port) in out  # the channel is named ...
    assert TOKEN not in out  # ... in its redacted form


@pytest.fixture
def refused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
