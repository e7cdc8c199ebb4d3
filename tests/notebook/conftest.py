"""Fakes for the notebook helper: a hand-advanced clock and a fake /proc/uptime."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nb_fakes import START_AT, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START_AT)


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
