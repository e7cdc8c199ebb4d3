"""js/engine.js against every era x state x language of the simulated Colab, in headless Chromium.

The engine runs exactly as the daemon runs it: `execute_script(ENGINE + "return
colabWatchdogTick(arguments[0]);", options)`. Every tick is also checked for network silence
(the sim server's request log does not change) and for leaving no panel behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import open_sim_page, sim, sim_counters, wait_until
from watchdog import jsassets
from watchdog.core.model import EngineStatus
from watchdog.sim import SimServer

pytestmark = pytest.mark.browser

ENGINE = jsassets.load("engine.js")
ERAS = ("2019", "2021", "2023", "2025")
LANGS = ("en", "es", "tr", "ru")
STATES = ("connected", "disconnected", "connecting")
# The probe names the structure the engine recognised (2023 shares the 2020-2022 button).
ERA_PROBE = {
    "2019": "2019:light/",
    "2021": "2021:shadow/",
    "2023": "2021:shadow/",
    "2025": "2025:shadow/",
}
CONNECTED_PROBE = {
    "2019": "2019:light/label",
    "2021": "2021:shadow/usage-display",
    "2023": "2021:shadow/usage-display",
    "2025": "2025:shadow/sparkline",
}


@pytest.fixture
def driver(module_chrome_driver: Any, sim_server: SimServer) -> Iterator[Any]:
    yield module_chrome_driver


def load(driver: Any, server: SimServer, **params: object) -> None:
    params.setdefault("idle", 120)
    open_sim_page(driver, server.page_url(**params))


def tick(driver: Any, server: SimServer, **options: object) -> dict[str, Any]:
    """One engine tick; asserts it made no request and returned a valid status."""
    opts: dict[str, object] = {"reconnect": False, "selectors": None, "maxDepth": 8}
    opts.update(options)
    before = server.requests
    status = driver.execute_script(ENGINE + "\nreturn colabWatchdogTick(arguments[0]);", opts)
    assert server.requests == before, "the engine made a network request"
    EngineStatus.from_json(status)  # the status contract, exactly
    assert set(status) == {
        "state",
        "busy",
        "acted",
        "dialog",
        "captcha",
        "probe",
        "remaining_estimate_s",
        "busy_for_s",
        "resources",
        "backend",
        "notice",
        "error",
        "signed_out",
    }
    return dict(status)


def click_connect_button(driver: Any) -> None:
    """What the old snippets did: click the connect button (here: while connected)."""
    driver.execute_script(
        "const host = document.querySelector('colab-connect-button');"
        "(host ? host.shadowRoot.querySelector('#connect') : document.querySelector('#connect'))"
        ".click();"
    )


# ----------------------------------------------------------------------------- state detection


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("era", ERAS)
def test_state_detected_in_every_era_and_language(
    driver: Any, sim_server: SimServer, era: str, lang: str, state: str
) -> None:
    load(driver, sim_server, era=era, lang=lang, state=state, connect_delay=600)
    status = tick(driver, sim_server)
    assert status["state"] == state
    assert status["error"] is None
    assert status["captcha"] is False
    assert status["dialog"] is None
    assert status["probe"].startswith(ERA_PROBE[era])
    if state == "connected":
        assert status["probe"] == CONNECTED_PROBE[era]  # structural, not by label text
        assert status["acted"] == "activity"
    else:
        assert status["acted"] == "none"
    counters = sim_counters(driver)
    assert counters["connectClicks"] == 0
    assert counters["panelsOpened"] == 0
    assert sim(driver, "s.openPanels()") == []
    assert sim(driver, "s.state") == state


def test_reconnect_label_after_a_disconnect_reads_disconnected(
    driver: Any, sim_server: SimServer
) -> None:
    for era in ERAS:
        load(driver, sim_server, era=era, lang="tr")
        sim(driver, "s.disconnect('test')")
        driver.execute_script("document.querySelector('[data-sim-dialog]').remove()")
        status = tick(driver, sim_server)
        assert (status["state"], status["dialog"]) == ("disconnected", None), era


def test_structural_probes_fall_back_in_order(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    remove_sparklines = (
        "document.querySelector('colab-connect-button').shadowRoot"
        ".querySelectorAll('colab-usage-sparkline').forEach((e) => e.remove())"
    )
    driver.execute_script(remove_sparklines)
    assert tick(driver, sim_server)["probe"] == "2025:shadow/tooltiptext"
    load(driver, sim_server, era="2021", lang="es")
    driver.execute_script(
        "const root = document.querySelector('colab-connect-button').shadowRoot;"
        "root.querySelector('colab-usage-display').replaceWith('Conectado');"
    )
    status = tick(driver, sim_server)
    assert (status["state"], status["probe"]) == ("connected", "2021:shadow/label")


# (lang, first line kept, last line kept) of the sim's 4-line 2025 tooltip
TOOLTIP_CUTS = {
    "turkish, multi-line": ("tr", 0, 4),
    "turkish without RAM/Disk": ("tr", 0, 2),  # "Bağlı:" alone must say connected
    "RAM/Disk on separate lines only": ("en", 1, 4),  # no "Connected to" line at all
}


@pytest.mark.parametrize("case", TOOLTIP_CUTS)
def test_tooltiptext_probe_alone_reads_a_multiline_or_turkish_tooltip(
    driver: Any, sim_server: SimServer, case: str
) -> None:
    lang, start, end = TOOLTIP_CUTS[case]
    load(driver, sim_server, era="2025", lang=lang)
    tip = driver.execute_script(
        "const root = document.querySelector('colab-connect-button').shadowRoot;"
        "root.querySelectorAll('colab-usage-sparkline').forEach((e) => e.remove());"
        "const b = root.querySelector('#connect');"
        "const lines = b.getAttribute('tooltiptext').split('\\n');"
        "b.setAttribute('tooltiptext', lines.slice(arguments[0], arguments[1]).join('\\n'));"
        "return b.getAttribute('tooltiptext');",
        start,
        end,
    )
    assert "\n" in tip  # the sim's tooltip is multi-line, like Colab's
    status = tick(driver, sim_server)
    assert (status["state"], status["probe"]) == ("connected", "2025:shadow/tooltiptext"), tip


# ----------------------------------------------------------------------------- activity


@pytest.mark.parametrize("era", ERAS)
def test_activity_restarts_idle_timer_without_opening_anything(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era, idle=4)
    wait_until(lambda: sim(driver, "s.idleRemaining()") < 3, timeout=10)
    before_counters = sim_counters(driver)
    # Read the idle timer right before and right after the tick, in the same script.
    before, after, status = driver.execute_script(
        ENGINE + "\nconst before = window.__sim.idleRemaining();"
        "const status = colabWatchdogTick(arguments[0]);"
        "return [before, window.__sim.idleRemaining(), status];",
        {"reconnect": False, "selectors": None, "maxDepth": 8},
    )
    assert status["acted"] == "activity"
    assert before < 3 and after > 3.5, "the idle timer did not restart"
    counters = sim_counters(driver)
    assert counters["interactions"] > before_counters["interactions"]
    assert counters["panelsOpened"] == 0
    assert counters["connectClicks"] == 0
    assert sim(driver, "s.openPanels()") == []


@pytest.mark.parametrize("era", ERAS)
def test_panel_left_open_by_an_old_tool_is_closed(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era)
    click_connect_button(driver)
    assert sim(driver, "s.openPanels()") in (["resources"], ["sessions"])
    status = tick(driver, sim_server)
    assert status["acted"] == "activity"
    assert "closed" in status["probe"]
    assert sim(driver, "s.openPanels()") == []
    counters = sim_counters(driver)
    assert counters["panelsOpened"] == 1  # only the old tool's click
    # The sessions dialog lists "Terminate other sessions" (#cancel) before Close (.dismiss).
    assert counters["sessionsTerminated"] == 0


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("era", ("2019", "2021", "2023"))
def test_drifted_sessions_dialog_is_closed_by_its_label_never_terminated(
    driver: Any, sim_server: SimServer, era: str, lang: str
) -> None:
    """The sessions dialog's Close lost `.dismiss` (2023: an mwc-dialog whose secondary
    action is "Terminate other sessions"): the engine picks Close by its label."""
    load(driver, sim_server, era=era, lang=lang, sessions_drift=1)
    click_connect_button(driver)
    assert sim(driver, "s.openPanels()") == ["sessions"]
    assert driver.execute_script("return !document.querySelector('colab-sessions-dialog .dismiss')")
    for _ in range(3):
        status = tick(driver, sim_server)
        assert status["acted"] == "activity"
    assert sim(driver, "s.openPanels()") == []
    assert sim_counters(driver)["sessionsTerminated"] == 0


@pytest.mark.parametrize("era", ("2019", "2021", "2023"))
def test_a_panel_with_only_destructive_buttons_is_left_open(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    """No Close at all: nothing is clicked (no `#cancel`, no secondary action fallback)."""
    load(driver, sim_server, era=era, sessions_drift=1)
    click_connect_button(driver)
    driver.execute_script(
        "for (const b of document.querySelectorAll('colab-sessions-dialog #ok, "
        "colab-sessions-dialog [slot=primaryAction]')) b.remove();"
    )
    status = tick(driver, sim_server)
    assert "left colab-sessions-dialog open" in status["probe"]
    assert sim(driver, "s.openPanels()") == ["sessions"]
    assert sim_counters(driver)["sessionsTerminated"] == 0


@pytest.mark.parametrize(
    "label",
    [
        "Terminate",
        "Delete runtime",
        "Disconnect",
        "End session",
        "Stop",
        "Terminar",
        "Eliminar",
        "Sonlandır",
        "Завершить",
    ],
)
def test_a_destructive_label_is_never_clicked(
    driver: Any, sim_server: SimServer, label: str
) -> None:
    """Even with `.dismiss` (a selector that says close): the label wins."""
    load(driver, sim_server, era="2021")
    click_connect_button(driver)
    driver.execute_script(
        "const ok = document.querySelector('colab-sessions-dialog #ok');"
        "ok.textContent = arguments[0];"
        "document.querySelector('colab-sessions-dialog #cancel').classList.add('dismiss');",
        label,
    )
    tick(driver, sim_server)
    assert sim(driver, "s.openPanels()") == ["sessions"]
    assert sim_counters(driver)["sessionsTerminated"] == 0


@pytest.mark.parametrize("era", ERAS)
def test_attach_mode_leaves_the_users_panel_alone(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    """closePanels false (attach mode, the console snippet): the user's panel stays open and
    the activity is keyboard-only (a pointer press could close it)."""
    load(driver, sim_server, era=era)
    click_connect_button(driver)
    opened = sim(driver, "s.openPanels()")
    before = sim_counters(driver)["interactions"]
    status = tick(driver, sim_server, closePanels=False)
    assert status["acted"] == "activity"
    assert "open" in status["probe"]
    assert sim(driver, "s.openPanels()") == opened
    assert sim_counters(driver)["interactions"] == before + 1  # the Shift keydown only


# ----------------------------------------------------------------------------- reconnecting


@pytest.mark.parametrize("era", ERAS)
def test_connect_is_clicked_only_when_reconnect_is_enabled(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era, lang="es", state="disconnected", connect_delay=0.3)
    for _ in range(3):
        status = tick(driver, sim_server, reconnect=False)
        assert (status["state"], status["acted"]) == ("disconnected", "none")
    assert sim_counters(driver)["connectClicks"] == 0
    status = tick(driver, sim_server, reconnect=True)
    assert (status["state"], status["acted"]) == ("disconnected", "reconnect")
    assert sim_counters(driver)["connectClicks"] == 1
    wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    status = tick(driver, sim_server, reconnect=True)
    assert (status["state"], status["acted"]) == ("connected", "activity")
    assert sim_counters(driver)["connectClicks"] == 1
    assert sim(driver, "s.openPanels()") == []


def test_connecting_is_left_alone_even_with_reconnect(driver: Any, sim_server: SimServer) -> None:
    for era in ERAS:
        load(driver, sim_server, era=era, lang="ru", state="connecting", connect_delay=600)
        status = tick(driver, sim_server, reconnect=True)
        assert (status["state"], status["acted"]) == ("connecting", "none"), era
        assert sim_counters(driver)["connectClicks"] == 0


# ----------------------------------------------------------------------------- dialogs


@pytest.mark.parametrize("era", ERAS)
def test_runtime_disconnected_dialog_left_open_unless_reconnecting(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era, lang="en" if era != "2023" else "tr", connect_delay=0.3)
    sim(driver, "s.disconnect('idle')")
    status = tick(driver, sim_server, reconnect=False)
    assert status["dialog"]["kind"] == "runtime-disconnected"
    assert status["dialog"]["action"] == "left-open"
    assert "disconnected" in status["dialog"]["text"]
    assert (status["state"], status["acted"]) == ("disconnected", "none")
    assert sim(driver, "s.openPanels()") == ["runtime-disconnected"]
    status = tick(driver, sim_server, reconnect=True)
    assert status["dialog"]["action"] == "reconnect"
    assert status["acted"] == "reconnect"
    counters = sim_counters(driver)
    assert counters["reconnects"] == 1
    assert counters["connectClicks"] == 0  # the dialog's button, not the toolbar's as well
    wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    assert sim(driver, "s.openPanels()") == []


@pytest.mark.parametrize("state", ["connected", "connecting"])
@pytest.mark.parametrize("era", ERAS)
def test_stale_disconnected_dialog_is_left_open_while_connected_or_connecting(
    driver: Any, sim_server: SimServer, era: str, state: str
) -> None:
    load(driver, sim_server, era=era, state=state, connect_delay=600)
    sim(driver, "s.showDisconnectedDialog()")
    for _ in range(3):
        status = tick(driver, sim_server, reconnect=True)
        assert status["state"] == state
        assert status["dialog"]["kind"] == "runtime-disconnected"
        assert status["dialog"]["action"] == "left-open"
        assert status["acted"] == ("activity" if state == "connected" else "none")
    counters = sim_counters(driver)
    assert (counters["reconnects"], counters["connectClicks"]) == (0, 0)
    assert sim(driver, "s.state") == state
    assert sim(driver, "s.openPanels()") == ["runtime-disconnected"]


@pytest.mark.parametrize("era", ERAS)
def test_idle_prompt_is_confirmed(driver: Any, sim_server: SimServer, era: str) -> None:
    load(driver, sim_server, era=era, prompt_after=0.2)
    wait_until(lambda: sim(driver, "s.openPanels()") == ["idle-prompt"], timeout=10)
    status = tick(driver, sim_server)
    assert status["dialog"]["kind"] == "idle-prompt"
    assert status["dialog"]["action"] == "confirmed"
    assert status["acted"] == "activity"
    assert sim_counters(driver)["promptsConfirmed"] == 1
    assert sim(driver, "s.openPanels()") == []


@pytest.mark.parametrize("era", ERAS)
def test_usage_limit_dialog_is_reported_and_left_open(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era)
    sim(driver, "s.showUsageLimit()")
    status = tick(driver, sim_server)
    assert status["dialog"]["kind"] == "usage-limit"
    assert status["dialog"]["action"] == "left-open"
    assert "usage limits" in status["dialog"]["text"]
    assert sim(driver, "s.openPanels()") == ["usage-limit"]


def test_unknown_dialog_is_left_open_with_its_text(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    driver.execute_script(
        "const d = document.createElement('md-dialog'); d.setAttribute('open', '');"
        "d.id = 'mystery'; d.innerHTML = '<div slot=headline>Something new</div>"
        "<md-text-button slot=primaryAction>Do it</md-text-button>';"
        "d.querySelector('md-text-button').addEventListener('click', () => window.__clicked = 1);"
        "document.getElementById('dialog-host').append(d);"
    )
    status = tick(driver, sim_server)
    assert status["dialog"] == {
        "kind": "unknown",
        "action": "left-open",
        "text": "Something new Do it",
    }
    assert driver.execute_script("return !!document.getElementById('mystery') && !window.__clicked")


@pytest.mark.parametrize("style", ["paper", "mwc", "md", "mwc-md"])
def test_every_dialog_markup_style(driver: Any, sim_server: SimServer, style: str) -> None:
    load(driver, sim_server, era="2025", lang="ru", dialogs=style, connect_delay=0.3)
    sim(driver, "s.showPrompt()")
    status = tick(driver, sim_server)
    assert (status["dialog"]["kind"], status["dialog"]["action"]) == ("idle-prompt", "confirmed")
    sim(driver, "s.disconnect('idle')")
    status = tick(driver, sim_server)
    assert status["dialog"]["kind"] == "runtime-disconnected"
    assert status["dialog"]["action"] == "left-open"
    status = tick(driver, sim_server, reconnect=True)
    assert status["dialog"]["action"] == "reconnect"
    wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    sim(driver, "s.showCaptcha()")
    status = tick(driver, sim_server, reconnect=True)
    assert (status["captcha"], status["acted"]) == (True, "none")
    counters = sim_counters(driver)
    assert (counters["promptsConfirmed"], counters["reconnects"]) == (1, 1)
    assert counters["captchaTouches"] == 0
    assert sim(driver, "s.openPanels()") == ["captcha"]


def test_prompt_is_confirmed_even_behind_another_dialog(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2023")
    sim(driver, "s.showUsageLimit()")
    sim(driver, "s.showPrompt()")
    status = tick(driver, sim_server)
    assert (status["dialog"]["kind"], status["dialog"]["action"]) == ("idle-prompt", "confirmed")
    assert sim(driver, "s.openPanels()") == ["usage-limit"]


# ----------------------------------------------------------------------------- captcha


@pytest.mark.parametrize("era", ERAS)
def test_captcha_is_reported_and_never_touched(
    driver: Any, sim_server: SimServer, era: str
) -> None:
    load(driver, sim_server, era=era, captcha_after=0.2)
    wait_until(lambda: "captcha" in sim(driver, "s.openPanels()"), timeout=10)
    before = sim_counters(driver)
    for reconnect in (False, True):
        status = tick(driver, sim_server, reconnect=reconnect)
        assert status["captcha"] is True
        assert status["acted"] == "none"  # not even activity while a human is needed
    sim(driver, "s.disconnect('idle')")
    status = tick(driver, sim_server, reconnect=True)
    assert (status["captcha"], status["state"], status["acted"]) == (True, "disconnected", "none")
    assert status["dialog"]["action"] == "left-open"
    counters = sim_counters(driver)
    assert counters["captchaTouches"] == 0
    assert counters["interactions"] == before["interactions"]
    assert counters["reconnects"] == 0
    assert "captcha" in sim(driver, "s.openPanels()")


def test_recaptcha_iframe_counts_as_captcha(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    driver.execute_script(
        "const f = document.createElement('iframe');"
        "f.src = 'data:text/html,recaptcha'; f.title = 'reCAPTCHA'; document.body.append(f);"
    )
    status = tick(driver, sim_server)
    assert (status["captcha"], status["acted"]) == (True, "none")


# ----------------------------------------------------------------------------- busy, estimate


@pytest.mark.parametrize("era", ERAS)
def test_busy_detection(driver: Any, sim_server: SimServer, era: str) -> None:
    load(driver, sim_server, era=era, busy=1)
    assert tick(driver, sim_server)["busy"] is True
    sim(driver, "s.setBusy(false)")
    assert tick(driver, sim_server)["busy"] is False
    driver.execute_script(
        "document.querySelectorAll('colab-status-bar, colab-run-button').forEach(e => e.remove())"
    )
    assert tick(driver, sim_server)["busy"] is None


@pytest.mark.parametrize(
    "probe",
    ["md-circular-progress", "#stopSymbolMask", ".cell.running", ".cell-execution.running"],
)
def test_each_busy_signal_alone_is_enough(driver: Any, sim_server: SimServer, probe: str) -> None:
    load(driver, sim_server, era="2025", busy=1)
    keep = {
        "md-circular-progress": "document.getElementById('cell-1')"
        ".classList.remove('running'); document.querySelector('.cell-execution')"
        ".classList.remove('running'); document.querySelector('colab-run-button').remove();",
        "#stopSymbolMask": "document.querySelector('colab-status-bar').remove();"
        "document.getElementById('cell-1').classList.remove('running');"
        "document.querySelector('.cell-execution').classList.remove('running');",
        ".cell.running": "document.querySelector('colab-status-bar').remove();"
        "document.querySelector('colab-run-button').remove();"
        "document.querySelector('.cell-execution').classList.remove('running');",
        ".cell-execution.running": "document.querySelector('colab-status-bar').remove();"
        "document.querySelector('colab-run-button').remove();"
        "document.getElementById('cell-1').classList.remove('running');",
    }[probe]
    driver.execute_script(keep)
    assert tick(driver, sim_server)["busy"] is True


def test_estimate_from_the_page(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025", estimate=7500)  # "2 hours 4 minutes" after a moment
    estimate = tick(driver, sim_server)["remaining_estimate_s"]
    assert estimate is not None and 7200 <= estimate <= 7500


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("this runtime may last up to 11 hours 30 minutes.", 41400),
        ("this runtime may last up to 3 hours.", 10800),
        ("this runtime may last up to 45 minutes.", 2700),
        ("this runtime may last up to 1 hour and 1 minute", 3660),
        ("this runtime will last a while", None),
    ],
)
def test_estimate_parsing_inside_a_shadow_root(
    driver: Any, sim_server: SimServer, text: str, seconds: int | None
) -> None:
    load(driver, sim_server, era="2021")
    driver.execute_script(
        "const host = document.createElement('div'); document.body.append(host);"
        "const inner = document.createElement('span');"
        "host.attachShadow({mode: 'open'}).append(inner); inner.textContent = arguments[0];",
        text,
    )
    assert tick(driver, sim_server)["remaining_estimate_s"] == seconds


BOGUS_ESTIMATE = {
    "markdown cell": "document.querySelector('#cell-0 .markdown').textContent = arguments[0];",
    "output in a shadow root": "const out = document.createElement('div');"
    "out.className = 'output'; document.getElementById('cell-1').append(out);"
    "const span = document.createElement('span');"
    "out.attachShadow({mode: 'open'}).append(span); span.textContent = arguments[0];",
}


@pytest.mark.parametrize("where", BOGUS_ESTIMATE)
def test_estimate_text_inside_notebook_cells_is_ignored(
    driver: Any, sim_server: SimServer, where: str
) -> None:
    load(driver, sim_server, era="2025")  # no real estimate on the page
    text = "Colab says this runtime may last up to 3 hours."
    driver.execute_script(BOGUS_ESTIMATE[where], text)
    assert tick(driver, sim_server)["remaining_estimate_s"] is None


# ----------------------------------------------------------------------------- extra selectors


def test_extra_selectors_are_tried_first(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025", state="disconnected")
    driver.execute_script(
        "const b = document.createElement('button'); b.id = 'my-connect';"
        "b.textContent = 'Reconnect'; b.onclick = () => { window.__myClicks = (window.__myClicks"
        " || 0) + 1; }; document.body.append(b);"
        "const m = document.createElement('div'); m.className = 'my-meter';"
        "m.textContent = 'ok'; document.body.append(m); m.hidden = true;"
    )
    status = tick(driver, sim_server, reconnect=True, selectors={"connect": ["#my-connect"]})
    assert (status["state"], status["acted"], status["probe"]) == (
        "disconnected",
        "reconnect",
        "custom:selectors",
    )
    assert driver.execute_script("return window.__myClicks") == 1
    assert sim_counters(driver)["connectClicks"] == 0  # the built-in button was not used

    driver.execute_script("document.querySelector('.my-meter').hidden = false")
    status = tick(driver, sim_server, selectors={"connected": [".my-meter"]})
    assert (status["state"], status["probe"]) == ("connected", "custom:selectors")

    status = tick(driver, sim_server, selectors={"captcha": [".my-meter"]})
    assert (status["captcha"], status["acted"]) == (True, "none")
    status = tick(driver, sim_server, selectors={"busy": [".my-meter"]})
    assert status["busy"] is True


def test_extra_dialog_selector_and_bad_selectors(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2019")
    driver.execute_script(
        "const d = document.createElement('div'); d.className = 'odd-prompt';"
        "d.innerHTML = 'Are you still there? <button id=ok>Yes</button>';"
        "d.querySelector('button').onclick = () => { d.remove(); window.__yes = 1; };"
        "document.body.append(d);"
    )
    status = tick(driver, sim_server, selectors={"dialog": [".odd-prompt"], "busy": ["::bad("]})
    assert status["error"] is None
    assert "bad selector skipped" in status["probe"]
    assert status["dialog"]["kind"] == "idle-prompt"
    assert status["dialog"]["action"] == "confirmed"
    assert driver.execute_script("return window.__yes") == 1


# ----------------------------------------------------------------------------- robustness


def test_depth_bound_limits_the_shadow_search(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    assert tick(driver, sim_server, maxDepth=0)["state"] == "unknown"
    assert tick(driver, sim_server, maxDepth=1)["state"] == "connected"
    load(driver, sim_server, era="2019")
    assert tick(driver, sim_server, maxDepth=0)["state"] == "connected"


def test_unreadable_page_still_gets_keyboard_activity(driver: Any, sim_server: SimServer) -> None:
    """When Colab changes its page so that no probe reads the state, the tick still feeds the
    idle timer (the Shift key, nothing clicked, no pointer), so the runtime survives until the
    selectors are updated; the daemon still reports "unknown" and reloads the tab."""
    load(driver, sim_server, era="2025", idle=4)
    wait_until(lambda: sim(driver, "s.idleRemaining()") < 3, timeout=10)
    before_counters = sim_counters(driver)
    events = (
        "window.__ev = []; for (const t of ['keydown','pointerdown','mousedown','click'])"
        " document.addEventListener(t, (e) => window.__ev.push(e.type + ':' + e.key), true);"
    )
    before, after, status = driver.execute_script(
        events + ENGINE + "\nconst before = window.__sim.idleRemaining();"
        "const status = colabWatchdogTick(arguments[0]);"
        "return [before, window.__sim.idleRemaining(), status];",
        {"reconnect": True, "selectors": None, "maxDepth": 0},  # 0: the 2025 toolbar is unseen
    )
    assert (status["state"], status["acted"]) == ("unknown", "activity")
    assert before < 3 and after > 3.5, "the idle timer did not restart"
    assert driver.execute_script("return window.__ev") == ["keydown:Shift"]
    counters = sim_counters(driver)
    assert counters["connectClicks"] == before_counters["connectClicks"]
    assert counters["panelsOpened"] == before_counters["panelsOpened"]


def test_page_object_is_a_last_resort_probe(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025", global_=1)
    assert tick(driver, sim_server)["probe"] == "2025:shadow/sparkline"  # DOM first
    driver.execute_script("document.getElementById('toolbar-host').remove()")
    status = tick(driver, sim_server)
    assert (status["state"], status["probe"]) == ("connected", "api:colab.global.notebook")
    driver.execute_script("delete window.colab")
    assert tick(driver, sim_server)["state"] == "unknown"


def test_unreadable_button_falls_back_to_the_page_object(
    driver: Any, sim_server: SimServer
) -> None:
    load(driver, sim_server, era="2021", state="disconnected", global_=1)
    driver.execute_script(
        "const b = document.querySelector('colab-connect-button').shadowRoot"
        ".querySelector('#connect'); b.textContent = '\u2301';"  # an icon only: no label
    )
    status = tick(driver, sim_server)
    assert (status["state"], status["probe"]) == ("disconnected", "api:colab.global.notebook")


def test_engine_never_throws(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025")
    driver.execute_script("document.createTreeWalker = () => { throw new Error('boom'); };")
    status = tick(driver, sim_server)
    assert status["error"] == "boom"
    assert status["acted"] == "none"  # the tick stopped where it threw
    load(driver, sim_server, era="2025")
    status = tick(driver, sim_server, selectors={"connect": "not-a-list"}, maxDepth="x")
    assert (status["state"], status["error"]) == ("connected", None)


def test_ticks_make_no_network_request_at_all(driver: Any, sim_server: SimServer) -> None:
    load(driver, sim_server, era="2025", prompt_after=0.1, estimate=3000, connect_delay=0.2)
    resources = "return performance.getEntriesByType('resource').length"
    before = driver.execute_script(resources)
    for _ in range(3):
        tick(driver, sim_server, reconnect=True)
        sim(driver, "s.disconnect('x')")
        assert tick(driver, sim_server, reconnect=True)["acted"] == "reconnect"
        wait_until(lambda: sim(driver, "s.state") == "connected", timeout=10)
    assert driver.execute_script(resources) == before
