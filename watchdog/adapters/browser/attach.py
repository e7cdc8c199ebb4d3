"""Attach mode helpers: address policy, the DevTools liveness probe, tab listing, and putting
the user's front tab back (WebDriver brings every tab it switches to to the front)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from watchdog.core import urls
from watchdog.core.urls import is_colab_host
from watchdog.errors import BrowserLost, ConfigError


def parse_attach_address(address: str, *, allow_remote: bool) -> tuple[str, int]:
    """(host, port) of `host:port`; refuses non-loopback hosts unless `allow_remote`.

    Raises ConfigError naming the flag, the value and what is accepted (core.urls' rule).
    """
    try:
        return urls.parse_attach_address(address, allow_remote=allow_remote)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _get_json(host: str, port: int, path: str, timeout: float) -> Any:
    url = f"http://{host}:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise BrowserLost(
            f"no browser answers on {host}:{port} ({exc})",
            hint=f"start Chrome with --remote-debugging-port={port} and a dedicated "
            "--user-data-dir (Chrome 136+ requires one)",
        ) from exc


def probe(host: str, port: int, timeout: float = 3.0) -> dict[str, Any]:
    """GET /json/version: the browser's version info. Raises BrowserLost when nothing answers."""
    info = _get_json(host, port, "/json/version", timeout)
    return info if isinstance(info, dict) else {}


def list_tabs(host: str, port: int, timeout: float = 3.0) -> list[tuple[str, str]]:
    """(target id, URL) of every page tab; target ids are WebDriver window handles.

    Chromium lists them most recently activated first: the first is the tab in front."""
    targets = _get_json(host, port, "/json/list", timeout)
    if not isinstance(targets, list):
        return []
    return [
        (str(t.get("id")), str(t.get("url", "")))
        for t in targets
        if isinstance(t, dict) and t.get("type") == "page"
    ]


def activate_tab(host: str, port: int, target: str, timeout: float = 3.0) -> bool:
    """GET /json/activate/<id>: bring that tab to the front. False when it could not be (the
    tab is gone, nothing answers); the caller goes on, this is only about the user's view."""
    url = f"http://{host}:{port}/json/activate/{target}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
    except (OSError, ValueError):
        return False
    return True


def colab_tabs(address: str, *, allow_remote: bool) -> list[str]:
    """The URLs of every Colab tab open in the browser at `address` (attach mode, no URL given).

    Raises ConfigError for a bad address, BrowserLost when nothing answers there.
    """
    host, port = parse_attach_address(address, allow_remote=allow_remote)
    found: list[str] = []
    for _, url in list_tabs(host, port):
        if is_colab_host(url) and url not in found:
            found.append(url)
    return found
