"""Inside the notebook: when does this Colab runtime end, and save before it does.

Standard library only. Importing this module imports nothing else from colab-watchdog and none
of its dependencies, so it works in a bare Colab runtime (copy this one file next to a notebook,
or `pip install colab-watchdog`)::

    from watchdog.notebook import CheckpointGuard
    guard = CheckpointGuard(max_lifetime="12h", margin="30m", every="60m")
    for step, batch in enumerate(loader):
        train(batch)
        guard.step(lambda: torch.save(model.state_dict(), "/content/drive/MyDrive/ckpt.pt"))

How the deadline is computed: `/proc/uptime` (its first field) counts the seconds since the VM
booted. Colab hands out a runtime shortly after its VM boots, so
`deadline = now + max_lifetime - uptime` errs early, which is the safe direction. The maximum
lifetime (about 12 hours on the free tier, up to 24 on paid ones) is a parameter, never assumed.

On Colab (`google.colab` imported, or `COLAB_RELEASE_TAG` set) the guard can show a countdown
line in the cell output and, when time left drops under the margin, raise a browser notification
and a short beep through `google.colab.output.eval_js`. Off Colab it only logs (stdlib logging,
logger name "watchdog.notebook").
"""

from __future__ import annotations

import datetime as _dt
import importlib
import json
import logging
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "CheckpointGuard",
    "format_remaining",
    "on_colab",
    "parse_duration",
    "read_uptime",
    "session_deadline",
    "time_left",
]

log = logging.getLogger("watchdog.notebook")

Clock = Callable[[], float]
Duration = str | int | float
T = TypeVar("T")

DEFAULT_UPTIME_FILE = "/proc/uptime"
_DISPLAY_INTERVAL_S = 15.0  # redraw the countdown line at most this often
_ACCEPTED = "use e.g. 12h, 1h30m, 90m, 45s, 1.5s, 500ms or a number of seconds"
_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)(ms|d|h|m|s)")
_UNIT_S = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(value: Duration, name: str = "duration") -> float:
    """Return `value` in seconds: "12h", "1h30m", "90m", "45s", "1.5s", "500ms", "3600" or a number.

    Raises ValueError naming `name`, the bad value and what is accepted, for anything else
    (negative, empty, NaN or infinite values, unknown units, booleans).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{name}: {value!r} is not a duration; {_ACCEPTED}")
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        seconds = _parse_text(text)
        if seconds is None:
            raise ValueError(f"{name}: {value!r} is not a duration; {_ACCEPTED}")
    else:
        seconds = float(value)
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name}: {value!r} must be a finite duration >= 0; {_ACCEPTED}")
    return seconds


def _parse_text(text: str) -> float | None:
    if not text:
        return None
    try:
        return float(text)  # a bare number of seconds ("3600", "1.5")
    except ValueError:
        pass
    total, pos = 0.0, 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _UNIT_S[match.group(2)]
        pos = match.end()
    return total if pos == len(text) else None


def format_remaining(seconds: float) -> str:
    """Return a short countdown text: "2h 05m", "4m 09s", "12s"."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


_fallback_boot: dict[Any, float] = {}


def read_uptime(uptime_file: str = DEFAULT_UPTIME_FILE, clock: Clock = time.time) -> float:
    """Return the seconds since the VM booted, from the first field of `uptime_file`.

    Where the file cannot be read (not Linux), counts from the first call in this process
    instead and logs that once: later than the VM's boot, so the deadline errs late there.
    """
    try:
        return float(Path(uptime_file).read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        if clock not in _fallback_boot:
            _fallback_boot[clock] = clock()
            log.warning(
                "cannot read %s; counting the session from now (not on a Linux VM?)", uptime_file
            )
        return max(0.0, clock() - _fallback_boot[clock])


def _left_s(lifetime_s: float, margin_s: float, uptime_s: float) -> float:
    return max(0.0, lifetime_s - uptime_s - margin_s)


def session_deadline(
    max_lifetime: Duration = "12h",
    margin: Duration = "0s",
    *,
    uptime_file: str = DEFAULT_UPTIME_FILE,
    clock: Clock = time.time,
) -> _dt.datetime:
    """Return when to be done (aware UTC): now + max_lifetime - uptime - margin.

    May lie in the past when the runtime is older than `max_lifetime - margin`.
    Raises ValueError for a bad duration.
    """
    lifetime_s = parse_duration(max_lifetime, "max_lifetime")
    margin_s = parse_duration(margin, "margin")
    now = clock()
    uptime_s = read_uptime(uptime_file, clock)
    return _dt.datetime.fromtimestamp(now + lifetime_s - uptime_s - margin_s, tz=_dt.UTC)


def time_left(
    max_lifetime: Duration = "12h",
    margin: Duration = "0s",
    *,
    uptime_file: str = DEFAULT_UPTIME_FILE,
    clock: Clock = time.time,
) -> float:
    """Return the seconds until `session_deadline(...)`; never negative (0 once it has passed)."""
    lifetime_s = parse_duration(max_lifetime, "max_lifetime")
    margin_s = parse_duration(margin, "margin")
    return _left_s(lifetime_s, margin_s, read_uptime(uptime_file, clock))


def on_colab() -> bool:
    """Return True when running inside a Google Colab runtime."""
    return "google.colab" in sys.modules or bool(os.environ.get("COLAB_RELEASE_TAG"))


# Runs in the cell's output frame: a short beep, then a notification if the user allows them.
_ALERT_JS = """
(async (title, body) => {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = 880; gain.gain.value = 0.1;
    osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 0.4);
  } catch (e) {}
  try {
    if ("Notification" in window) {
      if (Notification.permission === "default") await Notification.requestPermission();
      if (Notification.permission === "granted") new Notification(title, {body: body});
    }
  } catch (e) {}
  return true;
})(%s, %s)
"""


class CheckpointGuard:
    """Tells a training loop when to save: every `every`, and once when time left < `margin`.

    Call `should_save()` each step or epoch; when it returns True, save and call `saved()`
    (or let `step(save_fn)` do both). A True answer counts as the start of a save, so a loop
    that forgets `saved()` is not told to save on every following step.

    The VM's uptime is read once, at construction; after that only `clock` is read, so a
    check costs one clock call. `clock` returns epoch seconds (inject a fake one in tests).
    `every=None` (or 0) turns periodic saves off. `notify` (browser notification and beep at
    the margin) and `display` (a countdown line in the cell output) default to "on Colab".
    """

    def __init__(
        self,
        max_lifetime: Duration = "12h",
        margin: Duration = "30m",
        every: Duration | None = "60m",
        *,
        clock: Clock = time.time,
        uptime_file: str = DEFAULT_UPTIME_FILE,
        notify: bool | None = None,
        display: bool | None = None,
    ) -> None:
        self.max_lifetime_s = parse_duration(max_lifetime, "max_lifetime")
        self.margin_s = parse_duration(margin, "margin")
        self.every_s = 0.0 if every is None else parse_duration(every, "every")
        if self.margin_s >= self.max_lifetime_s:
            raise ValueError(
                f"margin: {margin!r} must be shorter than max_lifetime {max_lifetime!r}"
            )
        self._clock = clock
        colab = on_colab()
        self.notify = colab if notify is None else notify
        self.display = colab if display is None else display
        now = clock()
        self._boot = now - read_uptime(uptime_file, clock)
        self._last_save = now
        self.margin_fired = False
        self.saves = 0
        self._handle: Any = None
        self._drawn_at = -math.inf

    # -- time ---------------------------------------------------------------------------
    def time_left(self) -> float:
        """Seconds until the runtime's end (not the margin); never negative."""
        return _left_s(self.max_lifetime_s, 0.0, self._clock() - self._boot)

    def deadline(self) -> _dt.datetime:
        """When the runtime ends (aware UTC), as estimated at construction."""
        return _dt.datetime.fromtimestamp(self._boot + self.max_lifetime_s, tz=_dt.UTC)

    def next_save_in(self) -> float | None:
        """Seconds until the next periodic save is due (0 when due), None when periodic is off."""
        if not self.every_s:
            return None
        return max(0.0, self.every_s - (self._clock() - self._last_save))

    # -- the decision -------------------------------------------------------------------
    def should_save(self) -> bool:
        """Return True when the loop should save now.

        True once when time left first drops to the margin or below, and whenever `every`
        has passed since the last save. Showing the countdown and alerting happen here too.
        """
        now = self._clock()
        left = self.time_left()
        due = False
        if not self.margin_fired and left <= self.margin_s:
            self.margin_fired = True
            self._alert(left)
            due = True
        elif self.every_s and now - self._last_save >= self.every_s:
            log.info("periodic checkpoint due; %s left in this runtime", format_remaining(left))
            due = True
        if due:
            self._last_save = now
        if self.display:
            self._draw(now, force=due)
        return due

    def saved(self) -> None:
        """Record that a checkpoint was just written: the next periodic save is `every` later."""
        self._last_save = self._clock()
        self.saves += 1

    def step(self, save_fn: Callable[[], object]) -> bool:
        """Call `save_fn()` and `saved()` when `should_save()`; returns whether it saved.

        An exception from `save_fn` propagates (the save is not recorded).
        """
        if not self.should_save():
            return False
        save_fn()
        self.saved()
        return True

    def status_line(self) -> str:
        """A one-line countdown, e.g. "Colab runtime: 3h 12m left (ends ~21:04 UTC); ..."."""
        left = self.time_left()
        ends = self.deadline().strftime("%H:%M UTC")
        line = f"Colab runtime: {format_remaining(left)} left (ends ~{ends})"
        if self.margin_fired:
            return f"{line}; under the {format_remaining(self.margin_s)} margin: save now"
        nxt = self.next_save_in()
        if nxt is None:
            return f"{line}; saving at the {format_remaining(self.margin_s)} margin"
        return f"{line}; next checkpoint in {format_remaining(nxt)}"

    # -- adapters -----------------------------------------------------------------------
    def torch_loop(self, save_fn: Callable[[], object]) -> Callable[[], bool]:
        """Return a no-argument function to call once per training step (PyTorch-style loops).

        `tick = guard.torch_loop(lambda: torch.save(state, path))`, then `tick()` each step.
        """
        return lambda: self.step(save_fn)

    def iterate(self, iterable: Iterable[T], save_fn: Callable[[], object]) -> Iterator[T]:
        """Yield from `iterable`, running `step(save_fn)` after the loop body of each item."""
        for item in iterable:
            yield item
            self.step(save_fn)

    def keras_callback(self, save_fn: Callable[[], object]) -> Any:
        """Return a Keras callback that runs `step(save_fn)` after every batch and epoch.

        Subclasses `keras.callbacks.Callback` when Keras (or TensorFlow's) can be imported;
        otherwise returns a plain object with the same hook methods.
        """
        base = _keras_callback_base()
        guard = self

        def hook(_self: object, _index: int, logs: object = None) -> None:
            guard.step(save_fn)

        if base is None:
            return _DuckKerasCallback(guard, save_fn)

        def init(cb: Any) -> None:
            base.__init__(cb)
            cb.guard = guard

        cls = type(
            "CheckpointGuardCallback",
            (base,),
            {"__init__": init, "on_train_batch_end": hook, "on_epoch_end": hook},
        )
        return cls()

    # -- output on Colab ----------------------------------------------------------------
    def _alert(self, left: float) -> None:
        message = (
            f"About {format_remaining(left)} left in this Colab runtime "
            f"(ends ~{self.deadline().strftime('%H:%M UTC')}): saving a checkpoint now."
        )
        log.warning(message)
        if not self.notify:
            return
        try:
            from google.colab import output  # type: ignore[import-not-found]

            output.eval_js(
                _ALERT_JS % (json.dumps("Colab runtime ending"), json.dumps(message)),
                ignore_result=True,
            )
        except Exception as exc:  # an alert must never stop training
            log.info("browser notification unavailable: %s", exc)

    def _draw(self, now: float, *, force: bool) -> None:
        if not force and now - self._drawn_at < _DISPLAY_INTERVAL_S:
            return
        self._drawn_at = now
        data = {"text/plain": self.status_line()}
        try:
            if self._handle is None:
                from IPython.display import display  # type: ignore[import-not-found]

                self._handle = display(data, raw=True, display_id=True)
            else:
                self._handle.update(data, raw=True)
        except Exception as exc:  # no IPython: fall back to the log, once
            log.info("%s (countdown display unavailable: %s)", self.status_line(), exc)
            self.display = False


class _DuckKerasCallback:
    """Stands in for a Keras callback where Keras is not installed (custom loops, tests)."""

    def __init__(self, guard: CheckpointGuard, save_fn: Callable[[], object]) -> None:
        self.guard = guard
        self._save_fn = save_fn
        self.model: object = None

    def set_model(self, model: object) -> None:
        self.model = model

    def set_params(self, params: object) -> None:
        self.params = params

    def on_train_batch_end(self, batch: int, logs: object = None) -> None:
        self.guard.step(self._save_fn)

    def on_epoch_end(self, epoch: int, logs: object = None) -> None:
        self.guard.step(self._save_fn)


def _keras_callback_base() -> Any:
    """Return `keras.callbacks.Callback` (Keras 3, else tf.keras), or None when neither imports."""
    for name in ("keras", "tensorflow.keras"):
        try:
            module = importlib.import_module(name)
            return module.callbacks.Callback
        except Exception:  # noqa: S112 - a broken framework install means "no Keras"
            continue
    return None
