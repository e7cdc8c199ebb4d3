"""The minified engine inside the console snippet reads every page exactly as js/engine.js does.

On one simulated Colab page at a time, the source engine and the engine of the rendered
snippet (the shipped text, its start call swapped for a handle on colabWatchdogTick) each read
the page with `activity: false` (no input, no click), and their statuses must be equal. The
acting side (ticks, reconnect, banner, notices) runs minified in test_snippet.py and
test_snippet_work.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import open_sim_page, wait_until
from watchdog import jsassets
from watchdog.core.snippet import SnippetOptions, render_console
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

ENGINE = jsassets.load("engine.js")
READ_ONLY = {"reconnect": True, "selectors": None, "maxDepth": 8, "closePanels": False}
READ_ONLY["activity"] = False
# Read from the page's clock text: may move on by a second between the two reads.
MOVING = ("busy_for_s", "remaining_estimate_s")


def _minified_engine() -> str:
    """The rendered snippet, exposing its engine instead of starting it."""
    snippet = render_console(ENGINE, jsassets.load("snippet.js"), SnippetOptions())
    body, count = re.subn(
        r"colabWatchdogStart\(\{.*?\}\);(?=\}\)\(\);\s*$)",
        "window.__cwMinTick=colabWatchdogTick;",
        snippet,
        flags=re.S,
    )
    assert count == 1, "the snippet no longer ends in colabWatchdogStart(config)"
    return body


MINIFIED = _minified_engine()

PAGES = [
    *(
        {"era": era, "state": state}
        for era in ("2019", "2021", "2023", "2025")
        for state in ("connected", "disconnected", "connecting")
    ),
    *(
        {"era": "2025", "lang": lang, "state": state}
        for lang in ("es", "tr", "ru")
        for state in ("connected", "disconnected")
    ),
    {"era": "2021", "lang": "es", "busy": 1, "elapsed": 75, "backend": "gpu"},
    {"era": "2025", "busy": 1, "elapsed": 3725, "estimate": 5 * 3600 + 30 * 60},
    {"era": "2023", "global": 1, "dialogs": "mwc-md"},
]
# Pages that change after loading: the status is compared once the source engine sees this.
LATER = [
    ({"era": "2025", "prompt_after": 0.2}, lambda s: s["dialog"] is not None),
    ({"era": "2021", "captcha_after": 0.2}, lambda s: s["captcha"]),
    ({"era": "2023", "crash_after": 0.2}, lambda s: s["notice"] is not None),
    ({"era": "2025", "lang": "tr", "crash_after": 0.2}, lambda s: s["notice"] is not None),
    ({"era": "2019", "usage_limit_after": 0.2}, lambda s: s["dialog"] is not None),
]


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def _source(driver: Any) -> dict[str, Any]:
    script = ENGINE + "\nreturn colabWatchdogTick(arguments[0]);"
    return dict(driver.execute_script(script, READ_ONLY))


def _minified(driver: Any) -> dict[str, Any]:
    if not driver.execute_script("return typeof window.__cwMinTick === 'function'"):
        driver.execute_script(MINIFIED)
    return dict(driver.execute_script("return window.__cwMinTick(arguments[0]);", READ_ONLY))


def _same(driver: Any) -> None:
    source, minified = _source(driver), _minified(driver)
    assert source["error"] is None, source
    for key in MOVING:
        a, b = source.pop(key), minified.pop(key)
        assert (a is None) == (b is None) and abs((a or 0) - (b or 0)) <= 1, (key, a, b)
    assert minified == source


@pytest.mark.parametrize("params", PAGES, ids=lambda p: "-".join(map(str, p.values())))
def test_minified_engine_reads_the_page_as_the_source_does(
    driver: Any, sim_server: SimServer, params: dict[str, object]
) -> None:
    open_sim_page(driver, sim_server.page_url(idle=120, **params))
    _same(driver)


@pytest.mark.parametrize(
    ("params", "seen"), LATER, ids=["prompt", "captcha", "crash", "crash-tr", "usage-limit"]
)
def test_minified_engine_reads_dialogs_captchas_and_notices_as_the_source_does(
    driver: Any, sim_server: SimServer, params: dict[str, object], seen: Any
) -> None:
    open_sim_page(driver, sim_server.page_url(idle=120, **params))
    wait_until(lambda: seen(_source(driver)), timeout=20)
    _same(driver)


def test_minified_engine_reads_a_signed_out_page_as_the_source_does(
    driver: Any, sim_server: SimServer
) -> None:
    driver.get(sim_server.page_url("signed-out", era=2025, signed_out="page"))
    wait_until(lambda: _source(driver)["signed_out"], timeout=20)
    _same(driver)
