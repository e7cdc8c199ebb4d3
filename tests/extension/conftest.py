"""Fixtures for the browser-extension tests: a TEST build, and Chromium that loads it.

test_build        (module) the extension built by `colab-watchdog extension --interval 1s`,
                  copied, with the TEST changes only: the manifest also matches
                  http://127.0.0.1/* (the simulated Colab), and one extra page,
                  test-badge.html, draws the real badge (headless Chromium has no toolbar
                  to screenshot). The shipped build is checked in
                  tests/unit/test_extension_command.py.
ext               (module) an ExtensionBrowser: headless Chromium started with
                  --load-extension / --disable-extensions-except on that folder
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHROME_FLAGS, chrome_paths, wait_until
from watchdog.cli.main import main

SIM_PAGES = "http://127.0.0.1/*"
# Screenshots of the popup and the badge, for people to look at (not compared).
SHOTS = Path(
    os.environ.get("WATCHDOG_TEST_SHOTS")
    or Path(tempfile.gettempdir()) / "colab-watchdog-extension-shots"
)

# Test-only page: the action's real badge text/colour/title, drawn over the real icon.
BADGE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>badge</title><style>
body { font: 13px system-ui, sans-serif; margin: 16px; background: #dee1e6; }
#bar { display: inline-flex; align-items: center; gap: 10px; background: #fff;
  padding: 8px 14px; border-radius: 18px; }
#icon { position: relative; width: 32px; height: 32px; }
#icon img { width: 32px; height: 32px; }
#badge { position: absolute; right: -10px; bottom: -6px; color: #fff; font-weight: 600;
  font-size: 11px; padding: 1px 4px; border-radius: 7px; }
</style></head><body>
<div id="bar"><div id="icon"><img src="icons/icon-32.png"><span id="badge"></span></div>
<span id="title"></span></div>
<script src="test-badge.js"></script></body></html>
"""
BADGE_SCRIPT = """
async function draw() {
  const text = await chrome.action.getBadgeText({});
  const c = await chrome.action.getBadgeBackgroundColor({});
  const el = document.getElementById("badge");
  el.textContent = text; el.hidden = !text;
  el.style.background = "rgba(" + c.join(",") + ")";
  document.getElementById("title").textContent = await chrome.action.getTitle({});
}
draw(); setInterval(draw, 500);
"""


def build(output: Path, *argv: str) -> None:
    code = main(["extension", "--output", str(output), *argv])
    assert code == 0


def make_test_copy(shipped: Path, target: Path) -> Path:
    shutil.copytree(shipped, target)
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["host_permissions"].append(SIM_PAGES)
    manifest["content_scripts"][0]["matches"].append(SIM_PAGES)
    manifest_path.write_text(json.dumps(manifest, indent=2))
    (target / "test-badge.html").write_text(BADGE_PAGE)
    (target / "test-badge.js").write_text(BADGE_SCRIPT)
    return target


@pytest.fixture(scope="module")
def test_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("extension")
    build(root / "shipped", "--interval", "1s")
    return make_test_copy(root / "shipped", root / "test-copy")


class ExtensionBrowser:
    """Headless Chromium with the extension; one tab stays on the extension's popup page
    (the `control` tab) to reach chrome.* APIs."""

    def __init__(self, driver: Any, extension_id: str) -> None:
        self.driver = driver
        self.id = extension_id
        self.control = driver.current_window_handle

    def url(self, page: str) -> str:
        return f"chrome-extension://{self.id}/{page}"

    def call(self, body: str, *args: Any) -> Any:
        """Run an async function body in the control tab (`args` and chrome.* in scope);
        its return value comes back."""
        self.driver.switch_to.window(self.control)
        script = (
            "const done = arguments[arguments.length - 1];"
            "const args = Array.from(arguments).slice(0, -1);"
            f"(async () => {{ {body} }})().then(done, (e) => done({{__error: String(e)}}));"
        )
        result = self.driver.execute_async_script(script, *args)
        if isinstance(result, dict) and "__error" in result:
            raise AssertionError(f"extension page script failed: {result['__error']}")
        return result

    def errors(self) -> list[str]:
        """Manifest and runtime errors chrome://extensions lists for the extension."""
        self.driver.switch_to.new_window("tab")
        found = _extensions_page(
            self.driver,
            self.id,
            "return item && item.data ? {errors: item.data.manifestErrors"
            ".concat(item.data.runtimeErrors).map((e) => e.source + ': ' + e.message)} : null;",
        )
        self.driver.close()
        self.driver.switch_to.window(self.control)
        return list(found["errors"])

    def storage(self) -> dict[str, Any]:
        """chrome.storage.local, plus `tabs` from chrome.storage.session."""
        return dict(
            self.call(
                "const all = await chrome.storage.local.get(null);"
                "all.tabs = (await chrome.storage.session.get('tabs')).tabs || {};"
                "return all;"
            )
        )

    def badge(self) -> tuple[str, list[int]]:
        got = self.call(
            "return [await chrome.action.getBadgeText({}),"
            " await chrome.action.getBadgeBackgroundColor({})];"
        )
        return str(got[0]), list(got[1])

    def reset(self, settings: dict[str, Any] | None = None) -> None:
        """Close every other tab, clear the extension's storage, apply `settings`."""
        for handle in list(self.driver.window_handles):
            if handle != self.control:
                self.driver.switch_to.window(handle)
                self.driver.close()
        # The worker handles messages in order: once it has forgotten every closed tab, no
        # status from those tabs is left to write after the clear below.
        wait_until(lambda: self.storage()["tabs"] == {}, timeout=30, message="tabs forgotten")
        self.call(
            "await chrome.storage.local.clear(); await chrome.storage.session.clear();"
            "if (args[0]) await chrome.storage.local.set({settings: args[0]});"
            "await chrome.notifications.getAll().then((all) => Promise.all("
            "  Object.keys(all).map((id) => chrome.notifications.clear(id))));",
            settings,
        )

    def open_tab(self, url: str) -> str:
        """A new tab on `url` (waits for the simulated page); returns its handle."""
        self.driver.switch_to.new_window("tab")
        self.driver.get(url)
        wait_until(
            lambda: self.driver.execute_script("return !!window.__sim"),
            timeout=20,
            message=f"window.__sim on {url}",
        )
        return str(self.driver.current_window_handle)


# chrome://extensions: Developer mode on (errors are collected only then), then the card of
# the extension, by id.
EXTENSIONS_PAGE_ITEM = """
const manager = document.querySelector('extensions-manager');
const toolbar = manager.shadowRoot.querySelector('extensions-toolbar');
const dev = toolbar.shadowRoot.querySelector('#devMode');
if (!dev.checked) dev.click();
const list = manager.shadowRoot.querySelector('extensions-item-list');
const item = list.shadowRoot.querySelector('extensions-item#' + arguments[0]);
"""


def _extensions_page(driver: Any, extension_id: str, then: str) -> Any:
    driver.get("chrome://extensions")
    return wait_until(
        lambda: driver.execute_script(
            "try {" + EXTENSIONS_PAGE_ITEM + then + "} catch (e) { return null; }", extension_id
        ),
        timeout=20,
        message="the extension's card on chrome://extensions",
    )


def _extension_id(driver: Any) -> str:
    def worker_url() -> str | None:
        targets = driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
        for target in targets:
            url = target.get("url", "")
            if target.get("type") == "service_worker" and url.startswith("chrome-extension://"):
                return str(url)
        return None

    url = wait_until(worker_url, timeout=30, interval=0.2, message="the extension's worker")
    return url.split("/")[2]


def launch(extension: Path, profile: Path) -> ExtensionBrowser:
    """Headless Chromium on `profile` with the unpacked `extension` loaded and reloaded with
    Developer mode on (so chrome://extensions collects its errors); the caller quits
    `.driver`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = chrome_paths()
    if browser is None or driver_path is None:
        pytest.skip(
            "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--load-extension={extension}")
    options.add_argument(f"--disable-extensions-except={extension}")
    saved = os.environ.pop("SE_CHROMEDRIVER", None)
    try:
        driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    finally:
        if saved is not None:
            os.environ["SE_CHROMEDRIVER"] = saved
    try:
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(30)
        ext_id = _extension_id(driver)
        _extensions_page(
            driver,
            ext_id,
            "const reload = item && item.shadowRoot.querySelector('#dev-reload-button');"
            "if (!reload) return null; reload.click(); return true;",
        )
        wait_until(lambda: _extension_id(driver) == ext_id, timeout=30)
        driver.get(f"chrome-extension://{ext_id}/popup.html")
    except BaseException:
        driver.quit()
        raise
    return ExtensionBrowser(driver, ext_id)


@pytest.fixture(scope="module")
def ext(test_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExtensionBrowser]:
    browser = launch(test_build, tmp_path_factory.mktemp("profile"))
    try:
        yield browser
    finally:
        browser.driver.quit()
