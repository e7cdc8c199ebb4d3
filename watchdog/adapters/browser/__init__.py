"""The Selenium browser adapter: the only package that imports Selenium.

config.py     BrowserConfig (built by the CLI from the settings) and the Chromium flags
driver.py     chromedriver / browser binary resolution, in the documented order
discovery.py  where Chrome, Chromium, Edge and Brave are installed on each OS
manager.py    running Selenium Manager with a time limit
profile.py    the persistent profile directory and stale `Singleton*` lock cleanup
processes.py  killing the browser and driver trees we started, by PID
attach.py     attach-mode address policy, DevTools liveness probe, tab listing
translate.py  the one translation of Selenium/urllib3 exceptions into BrowserError
session.py    SeleniumBrowser, the Browser port (launch, attach, remote)
startup.py    starting and ending a session per mode; choosing its transport
tabs.py       the tab registry (which tab shows which notebook)
transport.py  script, navigation, input per tab: WebDriver BiDi, classic fallback
cdp.py        the same over the DevTools protocol (attach mode)
bidi_socket.py  the websocket client both protocols use
actuator.py   performing the engine's plan with browser-generated input
"""

from watchdog.adapters.browser.config import BrowserConfig
from watchdog.adapters.browser.session import SeleniumBrowser, same_notebook

__all__ = ["BrowserConfig", "SeleniumBrowser", "same_notebook"]
