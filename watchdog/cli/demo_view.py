"""The demo's live view: one row per notebook, redrawn in place with rich.

In a terminal the table is redrawn every half second (rich `Live`), and log lines print
above it, wrapped to the terminal's width; elsewhere (a pipe, a file) the table is printed
every 10 s. Nothing printed is wider than the console (80 columns when it is not a
terminal).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, TextIO

from rich import box
from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from watchdog.cli.commands.demo import Row


class LiveView:
    """The table of `rows` (guarded by `lock`) under a heading line; `log_sink` is a loguru
    sink printing above it."""

    def __init__(self, rows: dict[str, Row], lock: threading.Lock, out: TextIO, heading: str):
        self.rows, self.lock, self.heading = rows, lock, heading
        self.console = Console(file=out, highlight=False, soft_wrap=False)
        self.started = time.monotonic()
        self._live: Live | None = None

    @property
    def tty(self) -> bool:
        return self.console.is_terminal

    def table(self) -> Table:
        now = time.monotonic()
        title = f"{self.heading}  [{now - self.started:3.0f}s]"
        table = Table(
            title=Text(title, justify="left"),
            min_width=min(len(title), self.console.width),  # the heading on one line
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            collapse_padding=True,
        )
        for name in ("NOTEBOOK", "STATE", "WORK", "ACTION"):
            # a failure's reason is long: it gets what is left, the rest stay whole
            limit = 14 if name == "ACTION" else None
            table.add_column(name, no_wrap=True, overflow="ellipsis", max_width=limit)
        for name in ("IDLE", "LIFE", "IDLED"):
            table.add_column(name, justify="right", no_wrap=True)
        with self.lock:
            for row in self.rows.values():
                age = now - row.read_at if row.read_at else 0.0
                table.add_row(
                    row.label,
                    row.state,
                    row.work,
                    row.action,
                    _secs(row.idle, age),
                    _secs(row.lifetime, age),
                    str(row.idle_outs),
                )
        return table

    def __enter__(self) -> LiveView:
        if self.tty:
            self._live = Live(get_renderable=self.table, console=self.console, refresh_per_second=2)
            self._live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None
        else:
            self.draw()

    def draw(self) -> None:
        """Print the table once (a live terminal view redraws by itself)."""
        if self._live is None:
            self.console.print(self.table())

    def print(self, text: str) -> None:
        """A line of text, wrapped to the console's width."""
        self.console.print(Text(text), soft_wrap=False)

    def log_sink(self, message: Any) -> None:
        """A loguru sink: the formatted line, above the live view."""
        self.print(str(message).rstrip("\n"))


def _secs(value: float | None, age: float) -> str:
    if value is None:
        return "-"
    return f"{max(0.0, float(value) - age):.0f}s"


def draw_every(view: LiveView, stop: threading.Event, seconds: float = 10.0) -> None:
    """Print the table every `seconds` until `stop` (when not a live terminal view)."""
    while not stop.wait(seconds):
        view.draw()
