"""Process census of one headless Chromium session driven like the daemon drives it.

    .venv/bin/python -m bench.census                       # 3 tabs, 240 s, today's flags
    .venv/bin/python -m bench.census --seconds 200 --without-trim
    .venv/bin/python -m bench.census --flag=--disable-features=Foo

Opens `--tabs` simulated notebooks in one browser started with the daemon's launch flags,
runs the keep-alive engine in every tab every `--interval`, and at each sample time prints
the browser tree by process kind (`--type=` and, for utility processes, the service name).
`--without-trim` drops the flags that keep services a keep-alive daemon never needs from
starting (watchdog/adapters/browser/config.py TRIM_FLAGS), to see what they remove.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from collections import Counter
from pathlib import Path

import psutil
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from bench.common import chrome_paths, chromium_version
from watchdog import jsassets
from watchdog.adapters.browser.config import CHROMIUM_FLAGS, TRIM_FLAGS
from watchdog.adapters.browser.processes import process_kind
from watchdog.sim import SimServer

ENGINE = jsassets.load("engine.js") + "\nreturn colabWatchdogTick(arguments[0]);"


def census(root: psutil.Process) -> Counter[str]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return Counter(process_kind(p) for p in root.children(recursive=True))
    return Counter()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.census", description=__doc__)
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=240)
    parser.add_argument("--interval", type=float, default=0.1, help="seconds between sweeps")
    parser.add_argument("--samples", default="5,30,60,120,180,240")
    parser.add_argument("--without-trim", action="store_true")
    parser.add_argument("--flag", action="append", default=[], help="one more browser flag")
    args = parser.parse_args(argv)
    samples = sorted(float(s) for s in args.samples.split(",") if float(s) <= args.seconds)
    browser_bin, driver_bin = chrome_paths()
    flags = [*CHROMIUM_FLAGS, "--headless=new", *args.flag]
    if not args.without_trim:
        flags += TRIM_FLAGS
    print(f"chromium {chromium_version()}; flags: {' '.join(flags)}")
    with SimServer() as server, tempfile.TemporaryDirectory(prefix="census-") as tmp:
        options = webdriver.ChromeOptions()
        options.binary_location = browser_bin
        for flag in [*flags, f"--user-data-dir={Path(tmp) / 'profile'}"]:
            options.add_argument(flag)
        service = Service(driver_bin)
        driver = webdriver.Chrome(options=options, service=service)
        try:
            assert service.process is not None
            root = psutil.Process(service.process.pid).parent()
            handles = []
            for i in range(args.tabs):
                if i:
                    driver.switch_to.new_window("tab")
                driver.get(server.page_url(f"census{i}", era=2025, idle=60))
                handles.append(driver.current_window_handle)
            started = time.monotonic()
            sweeps = 0
            for at in samples:
                while time.monotonic() - started < at:
                    for handle in handles:
                        driver.switch_to.window(handle)
                        driver.execute_script(ENGINE, {"reconnect": False})
                    sweeps += 1
                    time.sleep(args.interval)
                counts = census(root)
                total = sum(counts.values()) - counts["chromedriver"]
                shown = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                print(f"{at:5.0f}s  {sweeps:5d} sweeps  browser tree {total:2d}: {shown}")
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
