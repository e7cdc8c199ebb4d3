"""Benchmarks inside one process: engine tick cost and sweep scaling, through the daemon's
real Browser adapter (`SeleniumBrowser`) and loop (`Daemon.sweep`)."""

from __future__ import annotations

import contextlib
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import ENGINE_OPTIONS, launch_browser, median, quantile, timed
from watchdog import jsassets
from watchdog.adapters.browser import SeleniumBrowser
from watchdog.adapters.browser.session import ENGINE_CALL
from watchdog.adapters.clock import SystemClock
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.sim import SimServer


def tick_cost(server: SimServer, samples: int = 300) -> dict[str, Any]:
    """Median/p99 of one engine tick vs a bare `return 1` round trip on the same page.

    Bare and engine calls alternate, so drift in machine load hits both alike. Also times
    the adapter's whole `tick()` (switch to the tab, check its URL, engine, read the title).
    """
    url = server.page_url("tick", era=2025, idle=0)
    engine_script = jsassets.load("engine.js") + ENGINE_CALL
    with tempfile.TemporaryDirectory(prefix="bench-tick-") as tmp:
        start = time.perf_counter()
        browser = launch_browser(Path(tmp) / "profile")
        try:
            browser.open(url)
            driver = browser.driver
            driver.execute_script(engine_script, ENGINE_OPTIONS)
            cold_start = time.perf_counter() - start
            for _ in range(20):  # warm-up
                driver.execute_script("return 1")
                driver.execute_script(engine_script, ENGINE_OPTIONS)
            bare: list[float] = []
            engine: list[float] = []
            adapter: list[float] = []
            for _ in range(samples):
                bare.append(timed(lambda: driver.execute_script("return 1")))
                engine.append(timed(lambda: driver.execute_script(engine_script, ENGINE_OPTIONS)))
                adapter.append(timed(lambda: browser.tick(url, ENGINE_OPTIONS)))
        finally:
            browser.close()
    return {
        "samples": samples,
        "bare_median_ms": median(bare) * 1e3,
        "bare_p99_ms": quantile(bare, 0.99) * 1e3,
        "engine_median_ms": median(engine) * 1e3,
        "engine_p99_ms": quantile(engine, 0.99) * 1e3,
        "adapter_tick_median_ms": median(adapter) * 1e3,
        "adapter_tick_p99_ms": quantile(adapter, 0.99) * 1e3,
        "engine_ratio_median": median(engine) / median(bare),
        "engine_ratio_p99": quantile(engine, 0.99) / quantile(bare, 0.99),
        "adapter_ratio_median": median(adapter) / median(bare),
        "goal_median_ratio": 3.0,
        # A bare Chromium + chromedriver start, one page load and the first engine call: the
        # baseline of "daemon start to first tick".
        "bare_browser_first_tick_s": cold_start,
    }


def _sweeps(daemon: Daemon, repeats: int) -> list[float]:
    daemon.sweep()  # warm-up: first tick of each tab
    return [timed(daemon.sweep) for _ in range(repeats)]


def _bare_sweep(browsers: list[SeleniumBrowser]) -> None:
    """The baseline of a sweep: switch to every tab and run `return 1` there."""
    for browser in browsers:
        driver = browser.driver
        for handle in driver.window_handles:
            driver.switch_to.window(handle)
            driver.execute_script("return 1")


def sweep_scaling(
    server: SimServer,
    bare_ms: float,
    sizes: tuple[int, ...] = (1, 10, 50),
    *,
    several: bool = True,
) -> dict[str, Any]:
    """One full sweep over N notebooks in one browser, and over several browser sessions.

    Uses the real Daemon (its `sweep()`, which switches tabs and runs the engine in each) over
    real SeleniumBrowser sessions. Per-notebook cost = sweep / N, reported as a ratio to the
    1-notebook sweep (flat = about 1) and to the bare round trip; the whole sweep is also
    compared with a bare sweep (switch to each tab + `return 1`) over the same tabs.
    """
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        layouts: list[tuple[str, int, int]] = [(f"{n} in 1 browser", n, 1) for n in sizes]
        layouts.append(("10 over 2 browsers", 10, 2))
        if several:
            layouts.append(("50 over 5 browsers", 50, 5))
        for label, total, n_sessions in layouts:
            per = total // n_sessions
            browsers: list[SeleniumBrowser] = []
            try:
                sessions = []
                for s in range(n_sessions):
                    browser = launch_browser(Path(tmp) / f"p-{total}-{s}", label=f"session {s}")
                    browsers.append(browser)
                    urls = [
                        server.page_url(f"s{total}-{s}-{i}", era=2025, idle=0) for i in range(per)
                    ]
                    sessions.append((browser, urls))
                daemon = Daemon(
                    sessions,
                    DaemonConfig(interval=3600, options=ENGINE_OPTIONS),
                    clock=SystemClock(),
                )
                opened = timed(daemon.start)
                repeats = 20 if total == 1 else 8 if total <= 10 else 4
                times = _sweeps(daemon, repeats)
                bare_sweeps = [timed(partial(_bare_sweep, browsers)) for _ in range(repeats)]
            finally:
                for browser in browsers:
                    with contextlib.suppress(Exception):
                        browser.close()
            sweep = median(times)
            bare_sweep = median(bare_sweeps)
            rows.append(
                {
                    "layout": label,
                    "notebooks": total,
                    "sessions": n_sessions,
                    "open_all_s": opened,
                    "sweep_median_ms": sweep * 1e3,
                    "sweep_max_ms": max(times) * 1e3,
                    "per_notebook_ms": sweep * 1e3 / total,
                    "per_notebook_vs_bare": sweep * 1e3 / total / bare_ms,
                    "bare_sweep_median_ms": bare_sweep * 1e3,
                    "sweep_vs_bare_sweep": sweep / bare_sweep,
                }
            )
    one = rows[0]["per_notebook_ms"]
    for row in rows:
        row["per_notebook_vs_1"] = row["per_notebook_ms"] / one
    return {"rows": rows}
