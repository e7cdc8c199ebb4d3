"""How long `colab-watchdog run` takes from SIGTERM to exit, with and without a hung page.

    .venv/bin/python -m bench.stop_time               # 5 stops of each kind
    .venv/bin/python -m bench.stop_time --repeats 3

Each stop runs a real daemon (launch mode, headless Chromium, interval 1 s) on one simulated
notebook, waits for its ticks, and sends SIGTERM:
- idle: between ticks;
- hung page: while a tick waits on a page whose main thread spins forever (sim
  `hang_after`), so the daemon must end its own browser to return (the stop guard, 0.75 s
  after the signal; cli/commands/run.py).
Prints the time to exit of each stop and the median. Supervisors allow 10 s (Docker) or 90 s
(systemd) before they kill. The test suite only bounds this loosely (6 s, for loaded
machines); the number is this benchmark's.
"""

from __future__ import annotations

import argparse
import signal
import time

from bench.common import DaemonProcess, daemon_process, median, wait_for
from watchdog.sim import SimServer

HANG_AFTER_S = 3


def _stop(daemon: DaemonProcess) -> float:
    asked = time.monotonic()
    daemon.proc.send_signal(signal.SIGTERM)
    daemon.proc.wait(timeout=60)
    return time.monotonic() - asked


def stop_idle(server: SimServer, n: int) -> float:
    url = server.page_url(f"stop-idle-{n}", era=2025, idle=0)
    with daemon_process([url], {"WATCHDOG_INTERVAL": "1s"}) as daemon:
        daemon.wait_ticks(2, timeout=120)
        return _stop(daemon)


def stop_hung(server: SimServer, n: int) -> float:
    url = server.page_url(f"stop-hung-{n}", era=2025, idle=0, hang_after=HANG_AFTER_S)
    with daemon_process([url], {"WATCHDOG_INTERVAL": "1s"}) as daemon:
        daemon.wait_ticks(1, timeout=120)
        first = daemon.tick_times()[0]
        # The page hangs HANG_AFTER_S after its load (before the first tick); a tick that
        # has not come for 2 intervals is one that waits on the hung page.
        wait_for(
            lambda: (
                time.monotonic() - max(daemon.tick_times()) > 2.0
                and time.monotonic() - first > HANG_AFTER_S
            ),
            timeout=60,
            what="a tick waiting on the hung page",
        )
        return _stop(daemon)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stop_time", description=__doc__)
    parser.add_argument("--repeats", type=int, default=5, help="stops of each kind")
    args = parser.parse_args(argv)
    with SimServer() as server:
        for name, stop in (("idle", stop_idle), ("hung page", stop_hung)):
            times = [stop(server, n) for n in range(args.repeats)]
            shown = ", ".join(f"{t:.2f}" for t in times)
            print(f"SIGTERM to exit, {name}: median {median(times):.2f} s ({shown})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
