"""Fixtures of the pure tier: a clean environment and working directory, a hand-advanced
clock (tests.fakes.FakeClock, as in tests/alerts), the alert tests' captured log lines, and
for the notebook helper a fake /proc/uptime and a fake `google.colab` (or none).

tests/notebook, which runs the notebook cell in processes, imports the same fixtures."""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.alerts.conftest import log_lines  # noqa: F401 (a fixture: loguru lines, captured)
from tests.fakes import FakeClock


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No WATCHDOG_* / XDG_* variables, HOME and the working directory in a temp dir.

    Yields the working directory (where a `.env` would be read from).
    """
    for key in list(os.environ):
        if key.upper().startswith(("WATCHDOG_", "XDG_")):
            monkeypatch.delenv(key)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def uptime(tmp_path: Path) -> Callable[[float], str]:
    """Write a fake /proc/uptime saying the VM has been up `seconds`; returns its path."""

    def write(seconds: float) -> str:
        path = tmp_path / "uptime"
        path.write_text(f"{seconds:.2f} {seconds * 1.7:.2f}\n", encoding="ascii")
        return str(path)

    return write


@pytest.fixture
def off_colab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    for name in ("google.colab", "google.colab.output", "google"):
        monkeypatch.delitem(sys.modules, name, raising=False)


@pytest.fixture
def fake_colab(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, dict[str, object]]]]:
    """A fake `google.colab.output` in sys.modules; yields the recorded eval_js calls."""
    calls: list[tuple[str, dict[str, object]]] = []
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    output = types.ModuleType("google.colab.output")

    def eval_js(script: str, **kwargs: object) -> None:
        calls.append((script, kwargs))

    output.eval_js = eval_js  # type: ignore[attr-defined]
    colab.output = output  # type: ignore[attr-defined]
    google.colab = colab  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.output", output)
    yield calls
