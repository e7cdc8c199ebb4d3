"""The Python cell printed by `colab-watchdog snippet --python`, built from watchdog/notebook.py.

Pure: standard library only, no I/O. The caller reads the texts (the CLI reads them as
package data) and `render_python_cell(...)` puts them together: the source of
`watchdog/notebook.py`, run as a module of its own inside the cell, its JavaScript
(js/notebook_*.js), and a few lines of set-up that build one `CheckpointGuard` for these
limits. So the deadline and save rules exist once, in notebook.py, for users who will not
pip-install inside Colab. The cell reads the uptime from `$WATCHDOG_UPTIME_FILE` when set
(tests), else `/proc/uptime`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

DEFAULT_MAX_LIFETIME_S = 12 * 3600.0
DEFAULT_WARN_BEFORE_S = (3600.0, 1800.0, 600.0, 300.0)
DEFAULT_SAVE_MARGIN_S = 1800.0
DEFAULT_SAVE_EVERY_S = 3600.0
# The JavaScript files watchdog/notebook.py loads (its `_JS_SOURCES` keys).
JS_FILES = ("notebook_alert.js", "notebook_countdown.js")
MODULE_NAME = "colab_watchdog_notebook"

_HEADER = """\
# Colab runtime deadline, from `colab-watchdog snippet --python`. Run this cell once; no install.
# Estimates when this runtime reaches its maximum lifetime from the VM's uptime (errs early, the
# safe side), prints it, and shows a live countdown below this cell with a warning at each
# margin (plus a notification and a beep where the browser allows them; keep the tab open).
# In a training loop:   if colab_should_save(): save_checkpoint(); colab_saved()
# or:                   colab_guard.step(save_checkpoint)
# The module below is colab-watchdog's watchdog/notebook.py, run under its own name.
"""

# The set-up after the module: `{...}` fields are filled with Python literals.
_SETUP = """\
colab_watchdog._JS_SOURCES.update({js})
colab_guard = colab_watchdog.CheckpointGuard(
    max_lifetime={max_lifetime},
    margin={margin},
    every={every},
    uptime_file=_os.environ.get("WATCHDOG_UPTIME_FILE", colab_watchdog.DEFAULT_UPTIME_FILE),
)
colab_should_save, colab_saved = colab_guard.should_save, colab_guard.saved


def colab_time_left(margin_s=0.0):
    \"\"\"Seconds until the runtime's maximum lifetime, minus margin_s; never negative.\"\"\"
    return max(0.0, colab_guard.time_left() - margin_s)


def colab_deadline(margin_s=0.0):
    \"\"\"When to be done (aware UTC datetime): the runtime's end minus margin_s.\"\"\"
    return colab_guard.deadline() - _dt.timedelta(seconds=margin_s)


colab_guard.show_countdown({warn})
"""


def render_python_cell(
    notebook_source: str,
    js_sources: Mapping[str, str],
    max_lifetime_s: float = DEFAULT_MAX_LIFETIME_S,
    warn_before_s: Sequence[float] = DEFAULT_WARN_BEFORE_S,
    *,
    save_margin_s: float = DEFAULT_SAVE_MARGIN_S,
    save_every_s: float = DEFAULT_SAVE_EVERY_S,
) -> str:
    """Return the Python cell text for these limits (seconds).

    `notebook_source` is the text of watchdog/notebook.py, `js_sources` the text of each of
    `JS_FILES`. Warnings are sorted descending, duplicates dropped. Raises ValueError when a
    value is negative or not finite, when the lifetime is 0, when a JS file is missing, or
    when the source cannot sit inside the cell's raw string (it holds `'''`).
    """
    values = [max_lifetime_s, save_margin_s, save_every_s, *warn_before_s]
    if any(not math.isfinite(v) or v < 0 for v in values) or max_lifetime_s <= 0:
        raise ValueError(
            f"cannot render the Python cell: durations must be finite and >= 0, "
            f"max lifetime > 0 (got {values!r})"
        )
    missing = [name for name in JS_FILES if name not in js_sources]
    if missing:
        raise ValueError(f"cannot render the Python cell: no text for {', '.join(missing)}")
    if "'''" in notebook_source or notebook_source.endswith("\\"):
        raise ValueError("cannot render the Python cell: notebook.py holds ''' or ends in \\")
    warns = sorted({float(w) for w in warn_before_s}, reverse=True)
    module = (
        "import datetime as _dt\n"
        "import os as _os\n"
        "import types as _types\n\n"
        f"_CW_SOURCE = r'''{notebook_source}'''\n"
        f"colab_watchdog = _types.ModuleType({MODULE_NAME!r})\n"
        f"exec(compile(_CW_SOURCE, {MODULE_NAME + '.py'!r}, 'exec'), colab_watchdog.__dict__)\n"
    )
    setup = _SETUP.format(
        js=repr({name: js_sources[name] for name in JS_FILES}),
        max_lifetime=repr(float(max_lifetime_s)),
        margin=repr(float(save_margin_s)),
        every=repr(float(save_every_s)),
        warn=repr(warns),
    )
    return f"{_HEADER}{module}{setup}"
