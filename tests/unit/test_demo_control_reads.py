"""The demo reads its unwatched control tab once per sweep, not after every watched tick."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from watchdog.cli.commands.demo import DemoBrowser, DemoListener, Row
from watchdog.core.model import EngineStatus

CONTROL = "http://127.0.0.1:1/control"
WATCHED = ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"]


class FakeInner:
    def __init__(self) -> None:
        self.evaluated: list[str] = []

    def tick(self, url: str, options: dict[str, Any]) -> tuple[EngineStatus, str | None]:
        return EngineStatus.from_json({"state": "connected", "acted": "activity"}), "t"

    def evaluate(self, url: str, script: str) -> Any:
        self.evaluated.append(url)
        return ["connected", 9, 40, 0]


def test_control_tab_is_read_once_per_sweep() -> None:
    lock = threading.Lock()
    rows = {url: Row(url, True) for url in WATCHED}
    rows[CONTROL] = Row("control", False)
    inner = FakeInner()
    browser = DemoBrowser(inner, CONTROL, rows, lock)
    listener = DemoListener(rows, lock, [browser])
    for url in WATCHED:
        browser.tick(url, {})
    listener.on_sweep(datetime.now(UTC))
    assert inner.evaluated == [*WATCHED, CONTROL]
    assert rows[CONTROL].state == "connected" and rows[CONTROL].idle == 9
    assert rows[WATCHED[0]].action == "activity"
