"""A remote WebDriver endpoint that is down: one line naming the URL (redacted) and the fix,
no urllib3 retry warnings and no exception chain, in `run --once` and in `run`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from tests.helpers import wait_until

PASSWORD = "s3cretGridPw"
URL = "https://colab.research.google.com/drive/x"
NOISE = ("Retrying (Retry(", "MaxRetryError", "NewConnectionError", "Traceback")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    clean.update(
        WATCHDOG_STATE_FILE=str(tmp_path / "state.json"),
        WATCHDOG_PROFILE_DIR=str(tmp_path / "profile"),
    )
    return clean


def test_run_once_against_a_dead_endpoint_says_one_thing(tmp_path: Path) -> None:
    remote = f"http://grid:{PASSWORD}@127.0.0.1:{closed_port()}"
    done = subprocess.run(
        [sys.executable, "-m", "watchdog", "run", "--once", "--remote", remote, URL],
        cwd=tmp_path,
        env=env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    both = done.stdout + done.stderr
    assert PASSWORD not in both
    assert not [n for n in NOISE if n in both], both
    assert "next try" not in both and "next recovery" not in both
    [result] = json.loads(done.stdout)
    assert "cannot reach the remote WebDriver http://***@127.0.0.1:" in result["error"]
    assert "connection refused" in result["error"] and "WATCHDOG_REMOTE_URL" in result["error"]
    warnings = [line for line in done.stderr.splitlines() if "cannot reach" in line]
    assert len(warnings) == 1, done.stderr


def test_run_against_a_dead_endpoint_logs_one_line_per_attempt(tmp_path: Path) -> None:
    remote = f"http://grid:{PASSWORD}@127.0.0.1:{closed_port()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "watchdog", "run", "--remote", remote, URL],
        cwd=tmp_path,
        env=env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True)
    reader.start()
    try:
        wait_until(lambda: any("cannot reach" in line for line in lines), timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        reader.join(timeout=10)
    text = "".join(lines)
    assert PASSWORD not in text
    assert not [n for n in NOISE if n in text], text
    [line] = [line for line in lines if "cannot reach" in line]
    assert "http://***@127.0.0.1:" in line and "connection refused" in line
    assert "--remote" in line and "next recovery in" in line
