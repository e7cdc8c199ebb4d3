"""What the Selenium browser adapter needs to know, built by the CLI from the settings."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from watchdog.core.host import Host, family_of

Mode = Literal["launch", "attach", "remote"]

# Chromium on Linux encrypts the profile's cookies (the Google sign-in) with a key from the
# desktop keyring when one answers, and with a fixed key when none does (systemd, Docker, ssh).
# `login` and every session force the fixed key, so a profile signed in on the desktop still
# decrypts when the daemon runs where no keyring answers. Ignored on macOS and Windows.
COOKIE_KEY_FLAG = "--password-store=basic"

# Per the engineering notes: these matter headless and as root; without the background-networking
# flags Chromium floods a closed network with connection attempts.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Colab tabs other than the current one must keep their timers running.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    COOKIE_KEY_FLAG,
)

# Services a keep-alive daemon never needs, which Chromium starts on its own.
# - The on-device AI model service: about 3 minutes after start Chromium launches it once to
#   measure the machine's "performance class" for on-device models, unless a class is given on
#   the command line. We give "GPU blocked" (8), which is what --disable-gpu makes true.
#   Disabling the features that are meant to gate it (OptimizationGuideOnDeviceModel,
#   LogOnDeviceMetricsOnStartup) did not stop it in Chromium 156; the switch did.
# - The optimization guide: hints, prediction models and their downloads.
# Measured with `python -m bench.census` (3 tabs): 11 processes throughout with these flags;
# without them a twelfth, OnDeviceModelService, appears by 180 s. Kept apart from
# CHROMIUM_FLAGS so `python -m bench.census --without-trim` shows what they remove.
TRIM_FEATURES: tuple[str, ...] = (
    "OptimizationGuideModelDownloading",
    "OptimizationHintsFetching",
    "OptimizationTargetPrediction",
    "OptimizationHints",
    "OptimizationGuideModelExecution",
    "OptimizationGuideOnDeviceModel",
    "LogOnDeviceMetricsOnStartup",
)
TRIM_FLAGS: tuple[str, ...] = (
    "--optimization-guide-performance-class=8",
    # chromedriver merges this with its own --disable-features list.
    "--disable-features=" + ",".join(TRIM_FEATURES),
)


def chromium_flags(platform: str) -> tuple[str, ...]:
    """CHROMIUM_FLAGS for `platform` (a sys.platform value): the cookie-key flag only on
    Linux, the one OS where it means something."""
    if family_of(platform) == "linux":
        return CHROMIUM_FLAGS
    return tuple(flag for flag in CHROMIUM_FLAGS if flag != COOKIE_KEY_FLAG)


@dataclass(frozen=True)
class BrowserConfig:
    """One browser session's configuration.

    `env` is the process environment as the CLI read it (for `SE_CHROMEDRIVER` and `PATH`):
    the adapter never reads `os.environ` itself. `platform` (sys.platform) and `home` say
    where to look for browsers; `home` empty means the current user's.
    """

    mode: Mode = "launch"
    headless: bool = True
    chrome_binary: str | None = None
    chromedriver: str | None = None
    profile_dir: Path | None = None
    attach_address: str | None = None
    allow_remote_attach: bool = False
    remote_url: str | None = None
    remote_timeout: float = 60.0
    allow_driver_download: bool = True
    page_load_timeout: float = 60.0
    script_timeout: float = 30.0
    # The most one tick may take (every call into the tab shares it): past it the tab is
    # taken for hung, so one runaway page costs the other notebooks at most this per sweep.
    tick_deadline: float = 10.0
    # The HTTP client's timeout towards a local chromedriver (launch, attach): no call to it
    # waits longer (Selenium's own default is 120 s). Above page_load_timeout.
    client_timeout: float = 75.0
    extra_arguments: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    platform: str = sys.platform
    home: str = ""
    # Ask for WebDriver BiDi (every tab driven by its context, no switching); False forces
    # the classic fallback (switch to each tab).
    bidi: bool = True

    @property
    def host(self) -> Host:
        return Host(self.platform, self.env, self.home or str(Path.home()))
