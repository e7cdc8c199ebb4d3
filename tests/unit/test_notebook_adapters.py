"""Keras and PyTorch-style adapters, exercised with tiny fakes instead of the frameworks."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import pytest

from tests.fakes import FakeClock
from watchdog.notebook import CheckpointGuard

MINUTE = 60.0


class FakeKerasCallback:
    """Stands in for keras.callbacks.Callback: records that its __init__ ran."""

    def __init__(self) -> None:
        self.model: object = None
        self.base_init_ran = True

    def set_model(self, model: object) -> None:
        self.model = model


def install_fake_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    keras = types.ModuleType("keras")
    callbacks = types.ModuleType("keras.callbacks")
    callbacks.Callback = FakeKerasCallback  # type: ignore[attr-defined]
    keras.callbacks = callbacks  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keras", keras)
    monkeypatch.setitem(sys.modules, "keras.callbacks", callbacks)


def hide_keras(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import keras` raise ImportError, even if keras is installed
    for name in ("keras", "tensorflow", "tensorflow.keras"):
        monkeypatch.setitem(sys.modules, name, None)


@pytest.fixture
def guard(clock: FakeClock, uptime: Callable[[float], str], off_colab: None) -> CheckpointGuard:
    # up 11h of 12h: periodic every 10m, margin (30m) crossed 30m from now
    return CheckpointGuard(
        "12h", "30m", "10m", clock=clock, uptime_file=uptime(11 * 3600), notify=False, display=False
    )


def fit(callback: object, clock: FakeClock, epochs: int, batches: int) -> None:
    """A fake `model.fit`: one minute per batch, calling the hooks Keras calls."""
    for epoch in range(epochs):
        for batch in range(batches):
            clock.advance(MINUTE)
            callback.on_train_batch_end(batch, {"loss": 0.1})  # type: ignore[attr-defined]
        callback.on_epoch_end(epoch, {"loss": 0.1})  # type: ignore[attr-defined]


def test_keras_callback_subclasses_keras_when_importable(
    guard: CheckpointGuard, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_fake_keras(monkeypatch)
    saves: list[float] = []
    callback = guard.keras_callback(lambda: saves.append(clock()))
    assert isinstance(callback, FakeKerasCallback)
    assert callback.base_init_ran is True
    assert callback.guard is guard  # type: ignore[attr-defined]
    fit(callback, clock, epochs=4, batches=10)  # 40 minutes
    start = clock() - 40 * MINUTE
    # periodic at 10m and 20m; margin at 30m; periodic again at 40m
    assert [round((t - start) / MINUTE) for t in saves] == [10, 20, 30, 40]
    assert guard.margin_fired is True


def test_keras_callback_uses_tf_keras_when_only_tensorflow_is_there(
    guard: CheckpointGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keras", None)
    tensorflow = types.ModuleType("tensorflow")
    tf_keras = types.ModuleType("tensorflow.keras")
    tf_keras.callbacks = types.SimpleNamespace(Callback=FakeKerasCallback)  # type: ignore[attr-defined]
    tensorflow.keras = tf_keras  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tensorflow", tensorflow)
    monkeypatch.setitem(sys.modules, "tensorflow.keras", tf_keras)
    assert isinstance(guard.keras_callback(lambda: None), FakeKerasCallback)


def test_keras_callback_is_duck_typed_without_keras(
    guard: CheckpointGuard, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    hide_keras(monkeypatch)
    saves: list[float] = []
    callback = guard.keras_callback(lambda: saves.append(clock()))
    assert not isinstance(callback, FakeKerasCallback)
    callback.set_model("model")
    fit(callback, clock, epochs=2, batches=15)  # 30 minutes
    assert len(saves) == 3  # 10m, 20m, then the margin at 30m
    assert guard.saves == 3


def test_keras_epoch_end_alone_also_saves(
    guard: CheckpointGuard, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    hide_keras(monkeypatch)
    saves: list[int] = []
    callback = guard.keras_callback(lambda: saves.append(1))
    for epoch in range(3):
        clock.advance(15 * MINUTE)
        callback.on_epoch_end(epoch)
    assert len(saves) == 3


def test_torch_loop_tick(guard: CheckpointGuard, clock: FakeClock) -> None:
    state = {"step": 0}
    checkpoints: list[int] = []
    tick = guard.torch_loop(lambda: checkpoints.append(state["step"]))
    saved_flags = []
    for step in range(1, 46):  # one step a minute for 45 minutes
        clock.advance(MINUTE)
        state["step"] = step
        saved_flags.append(tick())
    assert checkpoints == [10, 20, 30, 40]
    assert saved_flags.count(True) == 4


def test_iterate_wraps_a_data_loader(guard: CheckpointGuard, clock: FakeClock) -> None:
    seen: list[int] = []
    checkpoints: list[int] = []
    for batch in guard.iterate(range(25), lambda: checkpoints.append(seen[-1])):
        clock.advance(MINUTE)
        seen.append(batch)
    assert seen == list(range(25))
    assert checkpoints == [9, 19]  # after the body of the 10th and 20th batch
