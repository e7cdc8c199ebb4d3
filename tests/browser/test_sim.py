"""The simulated Colab itself, in real headless Chromium: each era's structure, the idle timer,
the lifetime limit, busy cells, dialogs, panels, the captcha tripwire, and the server.

One browser serves the whole module; every test loads a fresh page, so page state never leaks.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.helpers import open_sim_page, sim, sim_counters, wait_until
from watchdog.sim import SimServer

ERAS = ("2019", "2021", "2023", "2025")

# Structural probes per era, evaluated in the page. Each returns the connect element or null.
FIND_CONNECT = {
    "2019": "return document.querySelector('#top-toolbar > colab-toolbar-button#connect')",
    "2021": "const h = document.querySelector('#top-toolbar colab-connect-button');"
    "return h && h.shadowRoot && h.shadowRoot.querySelector('colab-toolbar-button#connect')",
    "2025": "const h = document.querySelector("
    "'colab-notebook-toolbar#top-toolbar > colab-connect-button');"
    "return h && h.shadowRoot && "
    "h.shadowRoot.querySelector('colab-toolbar-button#connect.split-button')",
}
FIND_CONNECT["2023"] = FIND_CONNECT["2021"]

CLICK_CONNECT = "arguments[0].click(); return window.__sim.state;"


@pytest.fixture
def driver(module_chrome_driver: Any) -> Any:
    return module_chrome_driver


def connect_el(driver: Any, era: str) -> Any:
    return driver.execute_script(FIND_CONNECT[era])


def click_dialog_button(driver: Any, name: str, which: str) -> dict[str, Any]:
    """Click the primary/secondary button of the named sim dialog, whatever its style.

    Returns {state, idle, panels} read in the same script as the click, so no page timer ran
    in between (no race with a loaded machine).
    """
    return dict(
        driver.execute_script(
            """
            const d = document.querySelector('[data-sim-dialog="' + arguments[0] + '"]');
            const slot = arguments[1] === 'primary' ? 'primaryAction' : 'secondaryAction';
            const id = arguments[1] === 'primary' ? 'ok' : 'cancel';
            const b = d.querySelector('[slot="' + slot + '"]') || d.querySelector('#' + id);
            b.click();
            const s = window.__sim;
            return {state: s.state, idle: s.idleRemaining(), panels: s.openPanels()};
            """,
            name,
            which,
        )
    )


# ---------------------------------------------------------------- structure and idle timeout
@pytest.mark.browser
@pytest.mark.parametrize("era", ERAS)
def test_page_idle_disconnects_without_keepalive(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    open_sim_page(driver, sim_server.page_url(era=era, idle=2))
    assert connect_el(driver, era) is not None
    assert sim(driver, "s.state") == "connected"

    wait_until(lambda: sim(driver, "s.state") == "disconnected", timeout=10)

    counters = sim_counters(driver)
    assert counters["disconnects"] == 1
    assert counters["interactions"] == 0
    assert sim(driver, "s.openPanels()") == ["runtime-disconnected"]
    assert sim(driver, "s.disconnectReason") == "idle"
    dialog = driver.execute_script(
        "const d = document.querySelector('[data-sim-dialog=\"runtime-disconnected\"]');"
        "return {text: d.textContent, tag: d.tagName.toLowerCase(),"
        " inner: (d.querySelector('paper-dialog,mwc-dialog,md-dialog') || d).tagName.toLowerCase(),"
        " role: (d.querySelector('[role]') || d).getAttribute('role')}"
    )
    assert "Your runtime has been disconnected due to inactivity" in dialog["text"]
    assert "Reconnect" in dialog["text"]
    assert dialog["role"] in ("dialog", "alertdialog")
    expected = {
        "2019": "paper-dialog",
        "2021": "paper-dialog",
        "2023": "mwc-dialog",
        "2025": "md-dialog",
    }
    assert expected[era] in (dialog["tag"], dialog["inner"])


@pytest.mark.browser
def test_2025_structure_connected_and_disconnected(driver: Any, sim_server: SimServer) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=60))
    shape = driver.execute_script(
        """
        const root = document.querySelector('colab-connect-button').shadowRoot;
        const btn = root.querySelector('colab-toolbar-button#connect.split-button');
        const md = btn.querySelector('md-text-button#button');
        return {
          tooltip: btn.getAttribute('tooltiptext'),
          inner: !!(md.shadowRoot && md.shadowRoot.querySelector('button#button')),
          sr: btn.querySelector('span.screenreader-only').textContent,
          ram: !!root.querySelector('#connect-button-resource-display colab-usage-sparkline.ram'),
          disks: !!root.querySelector(
            '#connect-button-resource-display colab-usage-sparkline.disks'),
          icon: !!root.querySelector('md-icon-button#connect-icon'),
          dropdown: !!root.querySelector('md-icon-button#connect-dropdown'),
          lightDom: !!document.querySelector('colab-toolbar-button#connect'),
        };
        """
    )
    assert shape["tooltip"].startswith("Connected to\nPython 3 Google Compute Engine backend\nRAM:")
    assert shape["sr"] == shape["tooltip"]
    assert shape["inner"] and shape["ram"] and shape["disks"]
    assert shape["icon"] and shape["dropdown"]
    assert not shape["lightDom"], "2025's button must be hidden from document.querySelector"

    sim(driver, "s.disconnect()")
    after = driver.execute_script(
        """
        const root = document.querySelector('colab-connect-button').shadowRoot;
        const btn = root.querySelector('#connect');
        return {spark: !!root.querySelector('colab-usage-sparkline'),
                label: btn.querySelector('md-text-button').textContent,
                tooltip: btn.getAttribute('tooltiptext')};
        """
    )
    assert after == {"spark": False, "label": "Reconnect", "tooltip": "Reconnect"}


@pytest.mark.browser
@pytest.mark.parametrize(
    ("lang", "connect", "reconnect", "connecting"),
    [
        ("es", "Conectar", "Volver a conectar", "Conectando..."),
        ("tr", "Bağlan", "Yeniden bağlan", "Bağlanıyor..."),
        ("ru", "Подключиться", "Переподключиться", "Подключение..."),
    ],
)
def test_localized_labels(
    driver: Any, sim_server: SimServer, lang: str, connect: str, reconnect: str, connecting: str
) -> None:
    open_sim_page(
        driver, sim_server.page_url(era=2019, lang=lang, state="disconnected", connect_delay=60)
    )
    label = "return document.querySelector('#connect').textContent"
    assert driver.execute_script(label) == connect
    driver.execute_script(CLICK_CONNECT, connect_el(driver, "2019"))
    assert driver.execute_script(label) == connecting
    sim(driver, "s.disconnect()")
    assert driver.execute_script(label) == reconnect


# ---------------------------------------------------------------- what counts as activity
@pytest.mark.browser
def test_dispatched_events_reset_idle_but_mousemove_does_not(
    driver: Any, sim_server: SimServer
) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=6))
    wait_until(lambda: sim(driver, "s.idleRemaining()") < 5, timeout=10)

    after_move = driver.execute_script(
        "document.dispatchEvent(new MouseEvent('mousemove', {bubbles: true}));"
        "document.body.dispatchEvent(new PointerEvent('pointermove', {bubbles: true}));"
        "return window.__sim.idleRemaining();"
    )
    assert after_move < 5
    assert sim_counters(driver)["interactions"] == 0

    for kind in ("click", "keydown", "mousedown", "pointerdown", "wheel", "touchstart"):
        wait_until(lambda: sim(driver, "s.idleRemaining()") < 5.5, timeout=10)
        remaining = driver.execute_script(
            "const kind = arguments[0];"
            "const ev = kind === 'keydown' ? new KeyboardEvent(kind, {bubbles: true})"
            " : new Event(kind, {bubbles: true});"
            "document.body.dispatchEvent(ev); return window.__sim.idleRemaining();",
            kind,
        )
        assert remaining > 5.5, kind
    assert sim_counters(driver)["interactions"] == 6
    assert sim(driver, "s.state") == "connected"


@pytest.mark.browser
def test_late_activity_finds_runtime_gone_even_when_timers_are_throttled(
    driver: Any, sim_server: SimServer
) -> None:
    # tick_ms=600000: the page's own timer never runs during this test (a throttled tab).
    open_sim_page(driver, sim_server.page_url(era=2025, idle=1.5, tick_ms=600000))
    start = driver.execute_script("return performance.now()")
    wait_until(lambda: driver.execute_script("return performance.now()") - start > 2000, timeout=10)
    after_click = driver.execute_script("document.body.click(); return window.__sim.state")
    assert after_click == "disconnected"
    assert sim(driver, "s.disconnectReason") == "idle"
    assert sim_counters(driver)["disconnects"] == 1


@pytest.mark.browser
def test_busy_cell_blocks_idle_disconnect_until_it_finishes(
    driver: Any, sim_server: SimServer
) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=1, busy=1))
    busy_shape = driver.execute_script(
        """
        const exec = document.querySelector('colab-status-bar').shadowRoot
          .querySelector('colab-execution-status').shadowRoot;
        const run = document.querySelector('colab-run-button').shadowRoot;
        return {progress: !!exec.querySelector('md-circular-progress'), text: exec.textContent,
                stop: !!run.querySelector('#stopSymbolMask'),
                play: !!run.querySelector('#playSymbolMask'),
                running: document.querySelector('.cell.code').classList.contains('running')};
        """
    )
    assert busy_shape["progress"] and busy_shape["stop"] and busy_shape["running"]
    assert not busy_shape["play"]
    assert busy_shape["text"].startswith("Executing (")

    # Past the idle deadline by a clear margin, still connected. (Under load the page's timer
    # may skip a second, so wait for "N sec" with N >= 2 rather than for one exact text.)
    def executing_seconds() -> int:
        text = driver.execute_script(
            "return document.querySelector('colab-status-bar').shadowRoot"
            ".querySelector('colab-execution-status').shadowRoot.textContent"
        )
        match = re.search(r"Executing \((\d+) sec\)", text)
        return int(match.group(1)) if match else -1

    wait_until(lambda: executing_seconds() >= 2, timeout=15)
    assert sim(driver, "s.idleRemaining()") == 0
    assert sim(driver, "s.state") == "connected"

    # Finishing restarts the idle timer; then the page disconnects as usual.
    remaining = sim(driver, "(s.setBusy(false), s.idleRemaining())")
    assert remaining > 0.5
    assert driver.execute_script(
        "return !!document.querySelector('colab-run-button').shadowRoot"
        ".querySelector('#playSymbolMask')"
    )
    wait_until(lambda: sim(driver, "s.state") == "disconnected", timeout=10)


# ---------------------------------------------------------------- lifetime and reconnecting
@pytest.mark.browser
def test_lifetime_disconnects_despite_activity_and_reconnect_starts_fresh(
    driver: Any, sim_server: SimServer
) -> None:
    # The first runtime is 8 s into a 10 s lifetime; a reconnect gets a whole new 10 s.
    open_sim_page(
        driver,
        sim_server.page_url(era=2021, idle=60, lifetime=10, age=8, busy=1, connect_delay=0.2),
    )

    def clicked_and_disconnected() -> bool:
        return bool(
            driver.execute_script(
                "document.body.click(); return window.__sim.state === 'disconnected';"
            )
        )

    wait_until(clicked_and_disconnected, timeout=10)
    assert sim(driver, "s.disconnectReason") == "lifetime"
    assert sim(driver, "s.busy") is False, "a disconnect stops the executing cell"
    assert sim_counters(driver)["interactions"] > 0
    assert sim(driver, "s.lifetimeRemaining()") is None

    after = click_dialog_button(driver, "runtime-disconnected", "primary")
    assert after["state"] == "connecting"
    assert after["panels"] == []
    wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    counters = sim_counters(driver)
    assert counters["reconnects"] == 1
    assert counters["disconnects"] == 1
    assert sim(driver, "s.lifetimeRemaining()") > 3


@pytest.mark.browser
@pytest.mark.parametrize("era", ["2019", "2025"])
def test_connect_button_reconnects_when_disconnected(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    open_sim_page(driver, sim_server.page_url(era=era, state="disconnected", connect_delay=0.3))
    assert sim(driver, "s.state") == "disconnected"
    assert sim(driver, "s.idleRemaining()") is None
    assert driver.execute_script(CLICK_CONNECT, connect_el(driver, era)) == "connecting"
    wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    counters = sim_counters(driver)
    assert counters["reconnects"] == 1
    assert counters["connectClicks"] == 1
    assert counters["panelsOpened"] == 0


@pytest.mark.browser
def test_persist_keeps_the_runtime_across_reloads(driver: Any, sim_server: SimServer) -> None:
    url = sim_server.page_url("persisted", era=2025, idle=60, lifetime=100, age=50, persist=1)
    open_sim_page(driver, url)
    before = sim(driver, "(document.body.click(), s.lifetimeRemaining())")
    assert before <= 50
    driver.refresh()
    wait_until(lambda: driver.execute_script("return !!window.__sim"), timeout=15)
    assert sim(driver, "s.lifetimeRemaining()") <= before, "a reload must not renew the runtime"
    assert sim_counters(driver)["interactions"] == 1
    sim(driver, "s.disconnect()")
    driver.refresh()
    wait_until(lambda: driver.execute_script("return !!window.__sim"), timeout=15)
    assert sim(driver, "s.state") == "disconnected"
    assert sim(driver, "s.openPanels()") == []
    assert sim_counters(driver)["disconnects"] == 1

    # Without persist a reload is a new page with a new runtime.
    open_sim_page(driver, sim_server.page_url("not-persisted", era=2025, lifetime=100, age=50))
    driver.refresh()
    wait_until(lambda: driver.execute_script("return !!window.__sim"), timeout=15)
    assert sim(driver, "s.lifetimeRemaining()") > 45


@pytest.mark.browser
def test_initial_connecting_state_becomes_connected(driver: Any, sim_server: SimServer) -> None:
    # tick_ms: the page's own timer stays idle, so the label cannot change before we read it;
    # reading window.__sim catches the page up with its time.
    url = sim_server.page_url(era=2021, state="connecting", connect_delay=0.5, tick_ms=600000)
    open_sim_page(driver, url)
    label = driver.execute_script(
        "return document.querySelector('colab-connect-button').shadowRoot"
        ".querySelector('#connect').textContent"
    )
    assert label == "Connecting..."
    wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    assert sim_counters(driver)["reconnects"] == 0


# ---------------------------------------------------------------- panels a connected click opens
@pytest.mark.browser
def test_clicking_connected_button_opens_resources_view_2025(
    driver: Any, sim_server: SimServer
) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=60, estimate=5 * 3600 + 30 * 60 + 30))
    summary = driver.execute_script(
        "return document.getElementById('resource-summary').textContent"
    )
    assert "may last up to 5 hours 30 minutes" in summary

    driver.execute_script(CLICK_CONNECT, connect_el(driver, "2025"))
    assert sim(driver, "s.openPanels()") == ["resources"]
    panel_text = driver.execute_script(
        "return document.getElementById('resources-panel').textContent"
    )
    assert "may last up to 5 hours 30 minutes" in panel_text
    counters = sim_counters(driver)
    assert counters["panelsOpened"] == 1
    assert counters["connectClicks"] == 1
    assert counters["reconnects"] == 0
    assert sim(driver, "s.state") == "connected"

    driver.execute_script("document.querySelector('#resources-panel .close-button').click()")
    assert sim(driver, "s.openPanels()") == []


@pytest.mark.browser
def test_clicking_connected_button_opens_sessions_dialog_2021(
    driver: Any, sim_server: SimServer
) -> None:
    open_sim_page(driver, sim_server.page_url(era=2021, idle=60))
    driver.execute_script(CLICK_CONNECT, connect_el(driver, "2021"))
    assert sim(driver, "s.openPanels()") == ["sessions"]
    assert driver.execute_script(
        "return !!document.querySelector('colab-sessions-dialog paper-dialog') &&"
        " !!document.querySelector('iron-overlay-backdrop')"
    )
    driver.execute_script("document.querySelector('colab-sessions-dialog .dismiss').click()")
    assert sim(driver, "s.openPanels()") == []
    assert not driver.execute_script("return !!document.querySelector('iron-overlay-backdrop')")
    assert sim_counters(driver)["panelsOpened"] == 1


# ---------------------------------------------------------------- prompt, captcha, usage limit
@pytest.mark.browser
def test_idle_prompt_confirm_counts_and_resets_idle(driver: Any, sim_server: SimServer) -> None:
    open_sim_page(driver, sim_server.page_url(era=2023, idle=8, prompt_after=0.3, prompt_every=0.5))
    wait_until(lambda: sim(driver, "s.openPanels()") == ["idle-prompt"], timeout=10)
    assert "Are you still there?" in driver.execute_script(
        "const d = document.querySelector('[data-sim-dialog=\"idle-prompt\"]');"
        "return d.getAttribute('heading') + d.textContent"
    )
    wait_until(lambda: sim(driver, "s.idleRemaining()") < 7.5, timeout=10)
    after = click_dialog_button(driver, "idle-prompt", "primary")
    assert after["idle"] > 7.5
    assert after["panels"] == []
    assert sim_counters(driver)["promptsConfirmed"] == 1
    # prompt_every: it comes back, and each confirmation counts.
    wait_until(lambda: sim(driver, "s.openPanels()") == ["idle-prompt"], timeout=10)
    click_dialog_button(driver, "idle-prompt", "primary")
    assert sim_counters(driver)["promptsConfirmed"] == 2


@pytest.mark.browser
def test_unconfirmed_prompt_does_not_block_disconnect(driver: Any, sim_server: SimServer) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=2))
    assert sim(driver, "(s.showPrompt(), s.openPanels())") == ["idle-prompt"]
    wait_until(lambda: sim(driver, "s.state") == "disconnected", timeout=10)
    assert sim(driver, "s.openPanels()") == ["runtime-disconnected"]
    assert sim_counters(driver)["promptsConfirmed"] == 0


@pytest.mark.browser
def test_captcha_counts_any_touch_and_removal(driver: Any, sim_server: SimServer) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=60, captcha_after=0.2))
    wait_until(lambda: "captcha" in sim(driver, "s.openPanels()"), timeout=10)
    # Activity aimed at the document is not a touch.
    driver.execute_script("document.dispatchEvent(new KeyboardEvent('keydown', {bubbles: true}))")
    assert sim_counters(driver)["captchaTouches"] == 0
    # A click on its checkbox is.
    driver.execute_script(
        "document.querySelector('colab-recaptcha-dialog .recaptcha-checkbox').click()"
    )
    assert sim_counters(driver)["captchaTouches"] == 1
    # So is clicking its primary button (which does not close it).
    click_dialog_button(driver, "captcha", "primary")
    assert sim_counters(driver)["captchaTouches"] == 2
    assert "captcha" in sim(driver, "s.openPanels()")
    # Removing it is tampering too (reported asynchronously by a MutationObserver).
    driver.execute_script("document.querySelector('colab-recaptcha-dialog').remove()")
    wait_until(lambda: sim_counters(driver)["captchaTouches"] >= 3, timeout=5)


@pytest.mark.browser
def test_captcha_hook_and_usage_limit_dialog(driver: Any, sim_server: SimServer) -> None:
    open_sim_page(driver, sim_server.page_url(era=2019, idle=60))
    sim(driver, "s.showCaptcha()")
    sim(driver, "s.showUsageLimit()")
    assert sim(driver, "s.openPanels()") == ["captcha", "usage-limit"]
    assert driver.execute_script(
        "return !!document.querySelector('colab-recaptcha-dialog paper-dialog #ok')"
    )
    text = driver.execute_script(
        "return document.querySelector('[data-sim-dialog=\"usage-limit\"]').textContent"
    )
    assert "You cannot currently connect to a GPU due to usage limits in Colab" in text
    sim(driver, "s.hideCaptcha()")
    assert sim(driver, "s.openPanels()") == ["usage-limit"]
    assert sim_counters(driver)["captchaTouches"] == 0


# ---------------------------------------------------------------- the server
@pytest.mark.browser
def test_server_logs_requests_title_and_failure_mode(driver: Any, sim_server: SimServer) -> None:
    sim_server.clear_requests()
    url = sim_server.page_url("nb-a", era=2025, title="My notebook.ipynb - Colab")
    open_sim_page(driver, url)
    assert driver.title == "My notebook.ipynb - Colab"
    # Exactly one request per page load: scripts are inlined, the favicon is a data: URL.
    wait_until(lambda: len(sim_server.requests) >= 1, timeout=5)
    assert sim_server.requests == ["/notebook/nb-a?era=2025&title=My+notebook.ipynb+-+Colab"]

    sim_server.fail_with(500)
    driver.get(sim_server.page_url("nb-a"))
    assert "simulated failure 500" in driver.find_element("tag name", "body").text
    assert driver.execute_script("return window.__sim === undefined")

    sim_server.fail_with(None)
    driver.get(sim_server.url("/elsewhere"))
    assert driver.title == "Not a notebook"
    assert driver.execute_script("return window.__sim === undefined")


def test_server_stops_and_restarts_on_the_same_port(fresh_sim_server: SimServer) -> None:
    url = fresh_sim_server.page_url(era=2019)
    port = fresh_sim_server.port
    assert urllib.request.urlopen(url, timeout=5).status == 200
    fresh_sim_server.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)
    fresh_sim_server.start()
    assert fresh_sim_server.port == port
    assert urllib.request.urlopen(url, timeout=5).status == 200
    fresh_sim_server.fail_with(503)
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=5)
    assert info.value.code == 503


def test_server_stop_closes_kept_alive_connections(fresh_sim_server: SimServer) -> None:
    """A browser reuses an HTTP/1.1 keep-alive connection: after stop() that connection must
    be gone too, or "down" would still serve the pages of a client that connected before."""
    import http.client

    conn = http.client.HTTPConnection(fresh_sim_server.host, fresh_sim_server.port, timeout=5)
    try:
        conn.request("GET", "/notebook/kept?era=2025")
        response = conn.getresponse()
        response.read()
        assert response.status == 200 and not response.will_close  # kept alive
        fresh_sim_server.stop()
        conn.auto_open = False  # reuse this very socket; never reconnect silently
        with pytest.raises((OSError, http.client.HTTPException)):
            conn.request("GET", "/notebook/kept?era=2025")
            conn.getresponse().read()
    finally:
        conn.close()
    assert fresh_sim_server.requests == ["/notebook/kept?era=2025"]


@pytest.mark.browser
def test_dropdown_menu_is_a_panel_and_colab_global_probe(
    driver: Any, sim_server: SimServer
) -> None:
    open_sim_page(driver, sim_server.page_url(era=2025, idle=60, lifetime=100, age=40))
    assert sim(driver, "s.lifetimeRemaining()") < 61
    assert driver.execute_script("return window.colab === undefined")
    driver.execute_script(
        "document.querySelector('colab-connect-button').shadowRoot"
        ".querySelector('#connect-dropdown').click()"
    )
    assert sim(driver, "s.openPanels()") == ["connect-menu"]
    assert sim_counters(driver)["panelsOpened"] == 1
    driver.execute_script(
        "[...document.querySelectorAll('#connect-menu md-menu-item')]"
        ".find(i => i.textContent === 'View resources').click()"
    )
    assert sim(driver, "s.openPanels()") == ["resources"]
    assert sim_counters(driver)["panelsOpened"] == 2

    open_sim_page(driver, sim_server.page_url(era=2025, global_=1, dialogs="mwc-md"))
    assert driver.execute_script("return window.colab.global.notebook.kernel.isConnected()")
    sim(driver, "s.disconnect()")
    assert not driver.execute_script("return window.colab.global.notebook.kernel.isConnected()")
    assert driver.execute_script(
        "return !!document.querySelector('mwc-dialog md-text-button[slot=primaryAction]')"
    )


def test_standalone_main_prints_a_working_url(capsys: pytest.CaptureFixture[str]) -> None:
    import threading

    from watchdog.sim.__main__ import main

    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(main(["--era", "2021", "--idle", "30"], stop)), daemon=True
    )
    thread.start()
    try:
        out = wait_until(lambda: capsys.readouterr().out, timeout=10)
        url = out.split("simulated Colab notebook: ", 1)[1].split()[0]
        assert url.endswith("/notebook?era=2021&idle=30")
        assert urllib.request.urlopen(url, timeout=5).status == 200
    finally:
        stop.set()
        thread.join(timeout=10)
    assert codes == [0]


def test_server_delay_head_and_not_found(fresh_sim_server: SimServer) -> None:
    import time

    url = fresh_sim_server.page_url("slow", era=2025)
    head = urllib.request.Request(url, method="HEAD")
    assert urllib.request.urlopen(head, timeout=5).status == 200
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(fresh_sim_server.url("/nope"), timeout=5)
    assert info.value.code == 404

    fresh_sim_server.delay(0.5)
    started = time.monotonic()
    assert urllib.request.urlopen(url, timeout=10).status == 200
    assert time.monotonic() - started >= 0.4
    fresh_sim_server.reset()
    assert fresh_sim_server.requests == [
        "/notebook/slow?era=2025",
        "/nope",
        "/notebook/slow?era=2025",
    ]


def test_standalone_main_port_in_use_exits_2(
    fresh_sim_server: SimServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from watchdog.sim.__main__ import main

    assert main(["--port", str(fresh_sim_server.port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{fresh_sim_server.port}" in err
    assert "--port" in err
