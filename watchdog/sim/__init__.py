"""A simulated Colab page and server, for the demo and the browser tests.

`SimServer` serves local pages that reproduce each era's connect-button structure, the idle
timer, the lifetime limit, the dialogs, a busy cell and a captcha, all parameterized by the
query string, with counters readable through `window.__sim`. Full reference:
watchdog/sim/README.md. Run it standalone with `python -m watchdog.sim`.
"""

from watchdog.sim.server import DEFAULT_TITLE, SimServer, render_notebook

__all__ = ["DEFAULT_TITLE", "SimServer", "render_notebook"]
