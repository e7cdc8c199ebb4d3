"""`colab-watchdog demo` in a real 80x24 pseudo-terminal: nothing wider than 80 columns,
and the warnings show in a 30 s demo."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.daemon.conftest import require_chrome

COLUMNS, LINES = 80, 24
# CSI sequences (cursor moves, colours, erase), OSC sequences, and lone escapes.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


def run_in_terminal(argv: list[str], cwd: Path, timeout: float) -> tuple[int, str]:
    """Run `argv` with a pseudo-terminal of COLUMNS x LINES as stdin/stdout/stderr; returns
    its exit code and everything it wrote (raw, escapes included)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHDOG_")}
    env = {k: v for k, v in env.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the terminal's other side is closed
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def printed_lines(raw: str) -> list[str]:
    """What the terminal showed as lines: escapes removed, split at line feeds and carriage
    returns (a redraw starts again at column 0)."""
    return re.split(r"[\r\n]", ANSI.sub("", raw))


@pytest.mark.browser
def test_demo_fits_an_80_column_terminal_and_shows_the_warnings(tmp_path: Path) -> None:
    require_chrome()
    from wcwidth import wcswidth

    code, raw = run_in_terminal(
        [sys.executable, "-m", "watchdog", "demo", "--duration", "30s"], tmp_path, timeout=180
    )
    assert code == 0, raw[-3000:]
    lines = printed_lines(raw)
    wide = [line for line in lines if wcswidth(line) > COLUMNS]
    assert not wide, wide
    text = "\n".join(lines)
    assert "lifetime warning" in text  # both scaled warnings fit in 30 s
    assert "lifetime reached" in text
    assert "watched notebooks that never idled out: 2 of 2" in text

    # What is on the screen at the end (pyte plays the escapes back): the summary, once.
    import pyte

    screen = pyte.Screen(COLUMNS, LINES)
    pyte.Stream(screen).feed(raw.replace("\n", "\r\n"))
    shown = "\n".join(screen.display)
    assert "the unwatched one idled out" in shown
    assert shown.count("NOTEBOOK") <= 1  # redraws replaced the table, not piled up
