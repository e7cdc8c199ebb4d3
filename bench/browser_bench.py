"""Benchmarks inside one process: engine tick cost and sweep scaling, through the daemon's
real Browser adapter (`SeleniumBrowser`) and loop (`Daemon.sweep`)."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import (
    BROWSER_INPUT,
    ENGINE_OPTIONS,
    chrome_paths,
    launch_browser,
    median,
    quantile,
    timed,
)
from watchdog import jsassets
from watchdog.adapters.browser import BrowserConfig, SeleniumBrowser
from watchdog.adapters.clock import SystemClock
from watchdog.daemon.loop import Daemon, DaemonConfig
from watchdog.sim import SimServer


def tick_cost(server: SimServer, samples: int = 300) -> dict[str, Any]:
    """Median/p99 of one engine tick vs a bare `return 1` round trip on the same page.

    Bare and engine calls alternate, so drift in machine load hits both alike. Also times
    the adapter's whole `tick()` as the daemon runs it (one BiDi callFunction for the URL
    check, engine and title; then the Shift key as BiDi input), against a bare BiDi
    callFunction round trip (`() => [1]`, addressed to the tab's context).
    """
    url = server.page_url("tick", era=2025, idle=0)
    engine_script = jsassets.load("engine.js") + "\n" + jsassets.load("engine_call.js")
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
            bidi_call = partial(_bare_bidi_call, browser, str(browser.tab_handle(url)))
            bare: list[float] = []
            engine: list[float] = []
            adapter: list[float] = []
            bidi: list[float] = []
            page_input: list[float] = []
            for _ in range(samples):
                bare.append(timed(lambda: driver.execute_script("return 1")))
                engine.append(timed(lambda: driver.execute_script(engine_script, ENGINE_OPTIONS)))
                adapter.append(timed(lambda: browser.tick(url, BROWSER_INPUT)))
                bidi.append(timed(bidi_call))
                page_input.append(timed(lambda: browser.tick(url, ENGINE_OPTIONS)))
            transport = browser.transport_kind
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
        "transport": transport,
        "bidi_bare_median_ms": median(bidi) * 1e3,
        "bidi_bare_p99_ms": quantile(bidi, 0.99) * 1e3,
        "adapter_vs_bidi_bare_median": median(adapter) / median(bidi),
        "adapter_page_input_median_ms": median(page_input) * 1e3,
        "goal_median_ratio": 3.0,
        # A bare Chromium + chromedriver start, one page load and the first engine call: the
        # baseline of "daemon start to first tick".
        "bare_browser_first_tick_s": cold_start,
    }


def _bare_bidi_call(browser: SeleniumBrowser, handle: str) -> None:
    """One BiDi script.callFunction round trip to the tab, nothing else."""
    transport: Any = browser.transport
    transport.socket.command(
        "script.callFunction",
        {"functionDeclaration": "() => [1]", "awaitPromise": False, "target": {"context": handle}},
    )


def _sweeps(daemon: Daemon, repeats: int) -> list[float]:
    daemon.sweep()  # warm-up: first tick of each tab
    return [timed(daemon.sweep) for _ in range(repeats)]


def _bare_sweep(browsers: list[SeleniumBrowser]) -> None:
    """The baseline of a sweep: one bare BiDi callFunction to every tab (no switch)."""
    for browser in browsers:
        for handle in browser.transport.handles():
            _bare_bidi_call(browser, handle)


def sweep_scaling(
    server: SimServer,
    bare_ms: float,
    sizes: tuple[int, ...] = (1, 10, 50),
    *,
    several: bool = True,
) -> dict[str, Any]:
    """One full sweep over N notebooks in one browser, and over several browser sessions.

    Uses the real Daemon (its `sweep()`: per tab one BiDi script call and the Shift key as
    BiDi input, no switching) over real SeleniumBrowser sessions. Per-notebook cost =
    sweep / N, reported as a ratio to the 1-notebook sweep (flat = about 1) and to the bare
    round trip; the whole sweep is also compared with a bare sweep (one BiDi callFunction
    per tab) over the same tabs.
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
                    DaemonConfig(interval=3600, options=BROWSER_INPUT),
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


USER_TAB = (
    "data:text/html,<title>user</title><script>window.n=0;document.addEventListener("
    "'visibilitychange',()=>{window.n++;document.title='user '+window.n})</script>"
)
COUNT_VISIBILITY = (
    "if (window.__cwVis === undefined) { window.__cwVis = 0; document.addEventListener("
    "'visibilitychange', () => { window.__cwVis++; }); } return window.__cwVis;"
)


def attach_activations(server: SimServer, notebooks: int = 10, sweeps: int = 10) -> dict[str, Any]:
    """Tab activations per sweep in attach mode (goal 0).

    A Chromium started the way a user would (with a debugging port) holds the notebooks and,
    in front, a tab of the user's; the daemon attaches and sweeps. Every activation shows as
    a `visibilitychange` in a notebook tab or the user's tab: both are counted.
    """
    binary, driver_path = chrome_paths()
    with tempfile.TemporaryDirectory(prefix="bench-attach-") as tmp:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        process = subprocess.Popen(
            [
                binary,
                *ATTACH_FLAGS,
                f"--user-data-dir={tmp}/user",
                f"--remote-debugging-port={port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        browser: SeleniumBrowser | None = None
        try:
            _wait_http(f"http://127.0.0.1:{port}/json/version")
            urls = [server.page_url(f"attach-{i}", era=2025, idle=0) for i in range(notebooks)]
            for url in [*urls, USER_TAB]:
                _devtools_new_tab(port, url)
            time.sleep(1.0)
            config = BrowserConfig(
                mode="attach",
                attach_address=f"127.0.0.1:{port}",
                chromedriver=driver_path,
                env=dict(os.environ),
            )
            browser = SeleniumBrowser(config, label="bench-attach")
            daemon = Daemon(
                [(browser, urls)],
                DaemonConfig(interval=3600, options=BROWSER_INPUT),
                clock=SystemClock(),
            )
            daemon.start()
            daemon.sweep()
            before = [browser.evaluate(url, COUNT_VISIBILITY) for url in urls]
            user_before = _user_title(port)
            times = [timed(daemon.sweep) for _ in range(sweeps)]
            after = [browser.evaluate(url, COUNT_VISIBILITY) for url in urls]
            user_after = _user_title(port)
            changes = sum(a - b for a, b in zip(after, before, strict=True))
            changes += int(user_after != user_before)
            transport = browser.transport_kind
        finally:
            if browser is not None:
                with contextlib.suppress(Exception):
                    browser.close()
            process.kill()
            process.wait(timeout=10)
    return {
        "notebooks": notebooks,
        "sweeps": sweeps,
        "transport": transport,
        "visibility_changes": changes,
        "activations_per_sweep": changes / sweeps,
        "sweep_median_ms": median(times) * 1e3,
        "goal_activations_per_sweep": 0,
    }


ATTACH_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _devtools_new_tab(port: int, url: str) -> None:
    """Open a tab the way the user would (it comes to the front)."""
    quoted = urllib.parse.quote(url, safe="")
    request = urllib.request.Request(f"http://127.0.0.1:{port}/json/new?{quoted}", method="PUT")
    urllib.request.urlopen(request, timeout=5).close()


def _user_title(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as response:
        tabs = json.loads(response.read())
    return next((str(t["title"]) for t in tabs if str(t["url"]).startswith("data:")), "")
