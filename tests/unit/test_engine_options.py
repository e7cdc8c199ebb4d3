"""The engine options the daemon passes: panels are closed except in attach mode."""

from __future__ import annotations

from watchdog.cli.compose import engine_options
from watchdog.cli.settings import Settings


def test_attach_mode_leaves_panels_alone() -> None:
    attach = Settings(browser="attach", attach_address="127.0.0.1:9222")  # type: ignore[call-arg]
    assert engine_options(attach)["closePanels"] is False
    assert engine_options(Settings())["closePanels"] is True  # type: ignore[call-arg]
