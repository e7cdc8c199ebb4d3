"""Load the JavaScript in js/ as package data.

In a wheel the folder is installed as `watchdog/_js` (see pyproject's force-include); in a
source checkout or an editable install it is the top-level `js/` folder.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from watchdog.errors import WatchdogError


def _candidates() -> list[Path]:
    installed = Path(str(resources.files("watchdog"))) / "_js"
    checkout = Path(__file__).resolve().parent.parent / "js"
    return [installed, checkout]


@cache
def js_dir() -> Path:
    """The folder holding the engine's JavaScript files."""
    for folder in _candidates():
        if folder.is_dir():
            return folder
    raise WatchdogError(
        "the js/ folder of colab-watchdog is missing from this installation",
        hint="reinstall with `pip install colab-watchdog`",
    )


@cache
def load(name: str) -> str:
    """The text of js/<name> (for example `engine.js`)."""
    path = js_dir() / name
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WatchdogError(f"cannot read {path}: {exc.strerror}") from exc
