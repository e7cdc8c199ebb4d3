"""colab-watchdog: keep Google Colab sessions alive within their limits and warn before they end.

Layout (the architecture in file names):

    watchdog/core/      pure logic: durations, URLs, engine status, session clock, alerts, snippet
                        rendering. Standard library only; no I/O, no clock reads.
    watchdog/daemon/    the tick loop; talks to the outside only through the ports in ports.py.
    watchdog/adapters/  the outside world: Selenium browser, apprise notifier, JSON state file,
                        system clock, systemd notify. Adapters never import each other or the
                        daemon.
    watchdog/cli/       the composition root: reads settings, configures logging, builds adapters.
    watchdog/sim/       a simulated Colab page and server for the demo and the tests.
    watchdog/notebook.py  in-notebook deadline helper (standard library only).
    js/                 all the JavaScript: the keep-alive engine, its console-snippet wrapper,
                        the page scripts the browser adapter calls, the notebook helper's
                        countdown and alert (shipped in the wheel; none lives in Python).
"""

__version__ = "0.1.0"
