"""Run every benchmark, print a table (Markdown) and write bench/results/latest.json.

    .venv/bin/python -m bench            # everything, a few minutes
    .venv/bin/python -m bench --quick    # fewer samples, 1/10 notebooks (a smoke run)

Every figure is measured against the simulated Colab in headless Chromium and reported with
its baseline measured in the same run (see each function's docstring for how).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loguru import logger

from bench import browser_bench, process_bench
from bench.common import chromium_version, cpu_model
from watchdog.sim import SimServer

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "chromium": chromium_version(),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def run_all(quick: bool) -> dict[str, Any]:
    sizes = (1, 10) if quick else (1, 10, 50)
    results: dict[str, Any] = {"machine": machine(), "quick": quick}
    started = time.monotonic()
    with SimServer() as server:
        steps: list[tuple[str, Callable[[], Any]]] = [
            ("tick", lambda: browser_bench.tick_cost(server, samples=60 if quick else 300)),
            (
                "scaling",
                lambda: browser_bench.sweep_scaling(
                    server, results["tick"]["bare_median_ms"], sizes=sizes, several=not quick
                ),
            ),
            (
                "attach",
                lambda: browser_bench.attach_activations(server, sweeps=5 if quick else 20),
            ),
            ("startup", lambda: process_bench.startup(repeats=3 if quick else 7)),
            ("first_tick", lambda: process_bench.first_tick(server, repeats=1 if quick else 3)),
            ("footprint", lambda: process_bench.footprint(server, sizes=sizes)),
            ("cpu", lambda: process_bench.cpu_per_hour(server, results["footprint"]["idle_cpu"])),
            ("alerts", lambda: process_bench.alert_latency(server, samples=5 if quick else 10)),
        ]
        for name, step in steps:
            t0 = time.monotonic()
            print(f"bench: {name} ...", flush=True)
            results[name] = step()
            print(f"bench: {name} done in {time.monotonic() - t0:.1f}s", flush=True)
    results["total_s"] = time.monotonic() - started
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return results


def table(r: dict[str, Any]) -> str:
    """The Markdown table of docs/benchmarks.md."""
    t, s, f, c, a = r["tick"], r["startup"], r["footprint"], r["cpu"], r["alerts"]
    rows: list[tuple[str, str, str, str]] = [
        (
            "Engine tick, median / p99",
            f"{t['engine_median_ms']:.1f} / {t['engine_p99_ms']:.1f} ms",
            f"bare `return 1`: {t['bare_median_ms']:.1f} / {t['bare_p99_ms']:.1f} ms",
            f"{t['engine_ratio_median']:.1f}x / {t['engine_ratio_p99']:.1f}x (goal median <= 3x)",
        ),
        (
            f"Adapter tick ({t['transport']}: URL check, engine, title + Shift key), median",
            f"{t['adapter_tick_median_ms']:.1f} ms",
            f"bare BiDi `callFunction`: {t['bidi_bare_median_ms']:.1f} ms",
            f"{t['adapter_vs_bidi_bare_median']:.1f}x",
        ),
    ]
    for row in r["scaling"]["rows"]:
        rows.append(
            (
                f"Sweep, {row['layout']}",
                f"{row['sweep_median_ms']:.0f} ms ({row['per_notebook_ms']:.1f} ms/notebook)",
                f"bare sweep (BiDi `callFunction` per tab): {row['bare_sweep_median_ms']:.0f} ms",
                f"{row['sweep_vs_bare_sweep']:.1f}x; per notebook {row['per_notebook_vs_1']:.1f}x "
                "the 1-notebook cost",
            )
        )
    at = r["attach"]
    rows.append(
        (
            f"Tab activations per sweep, attach mode, {at['notebooks']} notebooks",
            f"{at['activations_per_sweep']:.2f} ({at['visibility_changes']} visibility "
            f"changes in {at['sweeps']} sweeps, {at['transport']})",
            "goal: 0",
            f"sweep {at['sweep_median_ms']:.0f} ms",
        )
    )
    base = f["baseline"]
    for row in f["rows"]:
        rows.append(
            (
                f"Memory with {row['notebooks']} notebook(s): daemon RSS / browser tree RSS (PSS)",
                f"{row['daemon_rss_mb']:.0f} / {row['browser_tree_rss_mb']:.0f} "
                f"({row['browser_tree_pss_mb']:.0f}) MiB, {row['browser_processes']} processes",
                f"idle `python` {base['python_idle_rss_mb']:.0f} MiB / bare Chromium "
                f"{base['bare_browser_rss_mb']:.0f} ({base['bare_browser_pss_mb']:.0f}) MiB",
                f"{row['daemon_vs_python']:.1f}x / {row['browser_vs_bare']:.1f}x "
                f"({row['browser_pss_vs_bare']:.1f}x)",
            )
        )
    page_only = c["browser_page_only_cpu_s_per_hour"]
    rows.append(
        (
            "CPU per hour watching 1 notebook (60 s interval), daemon / browser",
            f"{c['daemon_cpu_s_per_hour']:.1f} s ({c['daemon_core_percent']:.2f} % of a core)"
            f" / {c['browser_cpu_s_per_hour']:.0f} s",
            f"the page alone (its own timers, no ticks): {page_only:.0f} s browser CPU",
            "browser "
            + (f"{c['browser_vs_page_only']:.2f}x" if c["browser_vs_page_only"] else "n/a"),
        )
    )
    py = s["python -c pass"]["median_s"]
    for name in ("colab-watchdog --help", "colab-watchdog snippet"):
        rows.append(
            (
                f"`{name}` wall time",
                f"{s[name]['median_s'] * 1e3:.0f} ms",
                f"`python -c pass`: {py * 1e3:.0f} ms",
                f"{s[name]['ratio']:.1f}x",
            )
        )
    ft = r["first_tick"]
    rows.append(
        (
            "Daemon start (`colab-watchdog run`) to first completed tick",
            f"{ft['daemon_first_tick_s']:.2f} s",
            f"bare Selenium Chromium start + page + first engine call: "
            f"{ft['bare_first_tick_s']:.2f} s",
            f"{ft['ratio']:.1f}x",
        )
    )
    rows.append(
        (
            "Alert latency, threshold crossed -> webhook (Monitor + apprise)",
            f"{a['monitor_median_ms']:.0f} ms (max {a['monitor_max_ms']:.0f} ms)",
            f"bare HTTP POST: {a['bare_post_median_ms']:.1f} ms",
            f"{a['monitor_vs_bare']:.0f}x",
        )
    )
    rows.append(
        (
            "Alert latency end to end (`run`, interval 0.5 s)",
            f"{a['daemon_e2e_s']:.2f} s",
            "one interval: 0.50 s",
            f"{a['daemon_e2e_s'] / a['daemon_e2e_interval_s']:.1f} intervals",
        )
    )
    lines = ["| measure | value | baseline (same run) | ratio |", "|---|---|---|---|"]
    lines += [f"| {a_} | {b} | {c_} | {d} |" for a_, b, c_, d in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, 1/10 notebooks")
    parser.add_argument("--output", type=Path, default=RESULTS, help="JSON results file")
    args = parser.parse_args(argv)
    logger.remove()  # the daemon's per-tick log lines would drown the table
    results = run_all(args.quick)
    results["table_markdown"] = table(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    m = results["machine"]
    print()
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['chromium']}, Python {m['python']}")
    print(results["table_markdown"])
    print(f"\ntotal {results['total_s']:.0f}s; results in {args.output}")
    return 0
