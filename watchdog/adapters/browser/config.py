"""What the Selenium browser adapter needs to know, built by the CLI from the settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Mode = Literal["launch", "attach", "remote"]

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
)


@dataclass(frozen=True)
class BrowserConfig:
    """One browser session's configuration.

    `env` is the process environment as the CLI read it (for `SE_CHROMEDRIVER` and `PATH`):
    the adapter never reads `os.environ` itself.
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
    allow_driver_download: bool = False
    page_load_timeout: float = 60.0
    script_timeout: float = 30.0
    extra_arguments: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
