"""Running Selenium Manager (the driver/browser finder shipped inside Selenium) with a bound.

Selenium's own wrapper waits for it without a time limit; a laptop on a captive portal or
a proxy that swallows requests must not hang `run` for minutes, so the binary is run here
with `--timeout` for each network request and a hard limit on the whole process.
It never sends usage statistics and never downloads a browser.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from loguru import logger


def _binary() -> Path | None:
    try:
        from selenium.webdriver.common.selenium_manager import SeleniumManager  # noqa: PLC0415 private API: in the try

        return Path(SeleniumManager()._get_binary())
    except Exception as exc:  # no binary for this platform, or a changed private API
        logger.debug("Selenium Manager is not available: {}", exc)
        return None


def run_selenium_manager(
    args: list[str], *, timeout: float, env: Mapping[str, str] | None = None
) -> dict[str, object]:
    """The `result` object of `selenium-manager ARGS --output json`, or {} when it fails,
    times out or is missing. `result["message"]` explains a failure when it ran.

    `env` is the environment it runs with (its cache is $SE_CACHE_PATH, else
    ~/.cache/selenium); None means this process's."""
    binary = _binary()
    if binary is None:
        return {}
    per_request = max(1, int(timeout / 2))
    command = [
        str(binary),
        *args,
        "--avoid-stats",
        "--avoid-browser-download",
        "--timeout",
        str(per_request),
        "--language-binding",
        "python",
        "--output",
        "json",
    ]
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout,
            check=False,
            creationflags=flags,
            env=None if env is None else dict(env),
        )
    except subprocess.TimeoutExpired:
        logger.warning("Selenium Manager gave no answer within {:.0f}s", timeout)
        return {"message": f"no answer within {timeout:.0f}s"}
    except OSError as exc:
        logger.debug("Selenium Manager could not run: {}", exc)
        return {}
    try:
        data = json.loads(completed.stdout.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError:
        data = {}
    result = data.get("result") if isinstance(data, dict) else None
    result = result if isinstance(result, dict) else {}
    if completed.returncode:
        logger.debug("Selenium Manager {} failed: {}", args, result.get("message"))
    return result
