"""Finding an installed Chromium-family browser the way people have it installed.

Searched in this order (`browser_candidates` lists it for a given host):
1. well-known command names on PATH (Chrome, Chromium, Edge, Brave);
2. the standard install locations of the OS: `/Applications` and `~/Applications` on macOS,
   Program Files, Program Files (x86) and the per-user LocalAppData on Windows,
   `/opt/...` on Linux;
3. Selenium Manager's own browser discovery (offline: it never downloads a browser).

Chrome and Chromium come first (chromedriver is made for them); Edge and Brave are Chromium
too and work with `login`, attach mode and a chromedriver of the same major version.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.adapters.browser.manager import run_selenium_manager
from watchdog.core.host import Host

# (browser, macOS app bundle, Windows folder under a base, Windows exe)
_KNOWN: tuple[tuple[str, str, str, str], ...] = (
    ("Google Chrome", "Google Chrome", "Google\\Chrome\\Application", "chrome.exe"),
    ("Chromium", "Chromium", "Chromium\\Application", "chrome.exe"),
    ("Microsoft Edge", "Microsoft Edge", "Microsoft\\Edge\\Application", "msedge.exe"),
    ("Brave", "Brave Browser", "BraveSoftware\\Brave-Browser\\Application", "brave.exe"),
)

PATH_NAMES: dict[str, tuple[str, ...]] = {
    "linux": (
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
        "chrome",
        "microsoft-edge",
        "microsoft-edge-stable",
        "brave-browser",
        "brave",
    ),
    "macos": ("google-chrome", "chromium", "chrome", "microsoft-edge", "brave-browser"),
    "windows": ("chrome.exe", "chromium.exe", "msedge.exe", "brave.exe"),
}

_LINUX_LOCATIONS = (
    ("Google Chrome", "/opt/google/chrome/chrome"),
    ("Chromium", "/snap/bin/chromium"),
    ("Microsoft Edge", "/opt/microsoft/msedge/msedge"),
    ("Brave", "/opt/brave.com/brave/brave"),
)

IsExecutable = Callable[[str], bool]
SeleniumManagerBrowser = Callable[[Host], "str | None"]


@dataclass(frozen=True)
class Candidate:
    """One place a browser may be: `name` is the browser, `where` says how it was found."""

    name: str
    path: str
    where: str  # "PATH", "standard location", "Selenium Manager"


def is_executable(path: str) -> bool:
    """True when `path` is an executable file on this machine."""
    return Path(path).is_file() and os.access(path, os.X_OK)


def _browser_of(command: str) -> str:
    lowered = command.lower()
    for key, name in (("edge", "Microsoft Edge"), ("brave", "Brave"), ("chromium", "Chromium")):
        if key in lowered:
            return name
    return "Google Chrome"


def standard_locations(host: Host) -> list[Candidate]:
    """The OS's usual install paths of Chrome, Chromium, Edge and Brave, in search order."""
    found: list[Candidate] = []
    if host.family == "macos":
        roots = [host.path("/Applications"), host.home_path / "Applications"]
        for name, bundle, _, _ in _KNOWN:
            for root in roots:
                exe = root / f"{bundle}.app" / "Contents" / "MacOS" / bundle
                found.append(Candidate(name, str(exe), "standard location"))
    elif host.family == "windows":
        bases = [
            host.env_path("PROGRAMFILES") or host.path("C:\\Program Files"),
            host.env_path("PROGRAMFILES(X86)") or host.path("C:\\Program Files (x86)"),
            host.env_path("LOCALAPPDATA") or host.home_path / "AppData" / "Local",
        ]
        for name, _, folder, exe_name in _KNOWN:
            for base in bases:
                found.append(Candidate(name, str(base / folder / exe_name), "standard location"))
    else:
        found = [Candidate(name, path, "standard location") for name, path in _LINUX_LOCATIONS]
    return found


def browser_candidates(host: Host) -> list[Candidate]:
    """Every place searched before Selenium Manager, in order: names on PATH, then the
    standard locations."""
    on_path = [
        Candidate(_browser_of(name), str(host.path(entry, name)), "PATH")
        for name in PATH_NAMES[host.family]
        for entry in host.path_entries
    ]
    return on_path + standard_locations(host)


def selenium_manager_browser(host: Host) -> str | None:
    """Selenium Manager's browser discovery (offline, no browser download); None when it
    finds nothing or cannot run."""
    result = run_selenium_manager(["--browser", "chrome", "--offline"], timeout=20, env=host.env)
    path = result.get("browser_path")
    return str(path) if path else None


def find_browser(
    host: Host,
    *,
    executable: IsExecutable = is_executable,
    selenium_manager: SeleniumManagerBrowser = selenium_manager_browser,
) -> Candidate | None:
    """The first installed browser in search order; None when there is none."""
    for candidate in browser_candidates(host):
        if executable(candidate.path):
            return candidate
    path = selenium_manager(host)
    if path and executable(path):
        return Candidate(_browser_of(path), path, "Selenium Manager")
    return None
