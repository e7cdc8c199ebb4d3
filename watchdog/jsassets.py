"""Load the JavaScript in js/ (and the notebook helper's own source) as package data.

In a wheel the folder is installed as `watchdog/_js` (see pyproject's force-include); in a
source checkout or an editable install it is the top-level `js/` folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from watchdog.core import notebook_cell
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


def notebook_source() -> str:
    """The text of watchdog/notebook.py, as installed (the `snippet --python` cell runs it)."""
    path = Path(str(resources.files("watchdog"))) / "notebook.py"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WatchdogError(f"cannot read {path}: {exc.strerror}") from exc


def python_cell(
    max_lifetime_s: float = notebook_cell.DEFAULT_MAX_LIFETIME_S,
    warn_before_s: Sequence[float] = notebook_cell.DEFAULT_WARN_BEFORE_S,
    **limits: float,
) -> str:
    """The `snippet --python` cell: watchdog/notebook.py and its JavaScript, set up for these
    limits (seconds; `limits` passes save_margin_s / save_every_s on). Raises ValueError for
    bad limits (see `notebook_cell.render_python_cell`)."""
    sources = {name: load(name) for name in notebook_cell.JS_FILES}
    return notebook_cell.render_python_cell(
        notebook_source(), sources, max_lifetime_s, warn_before_s, **limits
    )
