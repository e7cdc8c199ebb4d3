"""Inside the notebook: when does this Colab runtime end, and save before it does.

Standard library only. Importing this module imports nothing else from colab-watchdog and none
of its dependencies, so it works in a bare Colab runtime (`pip install --no-deps
colab-watchdog`, or paste the cell `colab-watchdog snippet --python` prints: this file and
its JavaScript, js/notebook_*.js, in one cell)::

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
    "DURATION_ACCEPTED",
    "CheckpointGuard",
    "duration_seconds",
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
# -- durations: the one grammar of colab-watchdog ---------------------------------------
# The daemon's settings read durations with these same functions (watchdog.core.durations
# imports them from here): this file must run in Colab by itself, so the rule lives here.

DURATION_ACCEPTED = (
    "a number with a unit (ms, s, m, h, d) such as 90m, 12h, 1h30m, 45s, 1.5s or 500ms, "
    "or a bare number of seconds"
)
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
_UNIT_ORDER = ("d", "h", "m", "s", "ms")
_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_PART = re.compile(rf"\s*({_NUMBER})\s*(ms|d|h|m|s)", re.IGNORECASE)
_BARE = re.compile(_NUMBER)


def duration_seconds(value: Duration) -> float:
    """Return the seconds `value` stands for (never negative, always finite).

    Text is one or more `<number><unit>` parts, largest unit first, each unit at most once
    (`1h30m`, `1h 30m`, `2m30.5s`), or a bare non-negative number of seconds (`90`, `1.5`).
    Units: `ms`, `s`, `m`, `h`, `d`; case-insensitive. A number (not a bool) is seconds.
    Raises ValueError "invalid duration <value>: ...; use <what is accepted>".
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"invalid duration {value!r}: use {DURATION_ACCEPTED}")
    if isinstance(value, str):
        seconds = _text_seconds(value)
    else:
        seconds = float(value)
        if seconds < 0:
            raise ValueError(
                f"invalid duration {value!r}: it must not be negative; use {DURATION_ACCEPTED}"
            )
    if not math.isfinite(seconds):
        raise ValueError(f"invalid duration {value!r}: use {DURATION_ACCEPTED}")
    return seconds


def _text_seconds(text: str) -> float:
    raw = text.strip()
    if raw.startswith("-"):
        raise ValueError(
            f"invalid duration {text!r}: it must not be negative; use {DURATION_ACCEPTED}"
        )
    if not raw:
        raise ValueError(f"invalid duration {text!r}: it is empty; use {DURATION_ACCEPTED}")
    if _BARE.fullmatch(raw):
        return float(raw)
    total, pos, last_rank = 0.0, 0, -1
    while pos < len(raw):
        match = _PART.match(raw, pos)
        if match is None:
            raise ValueError(f"invalid duration {text!r}: use {DURATION_ACCEPTED}")
        unit = match.group(2).lower()
        rank = _UNIT_ORDER.index(unit)
        if rank <= last_rank:
            raise ValueError(
                f"invalid duration {text!r}: put each unit once, largest first (like 1h30m); "
                f"use {DURATION_ACCEPTED}"
            )
        last_rank = rank
        total += float(match.group(1)) * _UNIT_SECONDS[unit]
        pos = match.end()
    return total


def parse_duration(value: Duration, name: str = "duration") -> float:
    """Return `value` in seconds: "12h", "1h30m", "90m", "45s", "1.5s", "500ms", "3600" or a number.

    Raises ValueError "<name>: invalid duration ..." naming the bad value and what is
    accepted (negative, empty, NaN or infinite values, unknown units, booleans).
    """
    try:
        return duration_seconds(value)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None


def format_remaining(seconds: float) -> str:
    """Time left, for people: "2h 05m", "4m 10s", "45s".

    Rounded DOWN to the displayed unit so it never promises more time than there is:
    one hour or more -> "2h 05m" (minutes zero-padded); under an hour -> "4m 10s"
    (seconds zero-padded); under a minute -> "45s". Negative or NaN counts as "0s".
    """
    if math.isnan(seconds) or seconds <= 0:
        return "0s"
    if math.isinf(seconds):
        return "unlimited"
    hours, rest = divmod(math.floor(seconds), 3600)
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


# -- JavaScript for the cell's output frame (js/notebook_*.js) ----------------------------

# name -> source. Filled from the package's js/ folder on first use; the `snippet --python`
# cell, which has no files around it, fills it with the same texts itself.
_JS_SOURCES: dict[str, str] = {}


def _js(name: str) -> str:
    """The text of js/<name>: installed as watchdog/_js, or the checkout's top-level js/."""
    if name not in _JS_SOURCES:
        here = Path(__file__).resolve().parent
        for folder in (here / "_js", here.parent / "js"):
            if (folder / name).is_file():
                _JS_SOURCES[name] = (folder / name).read_text(encoding="utf-8")
                break
        else:
            raise OSError(f"js/{name} is missing next to {here} (reinstall colab-watchdog)")
    return _JS_SOURCES[name]


def _script(name: str, *args: object) -> str:
    """A script for eval_js: the function expression of js/<name> called with `args`, each
    passed as a JSON literal, or as a function when it is a `_Function`."""
    values = ", ".join(
        f"({arg}\n)" if isinstance(arg, _Function) else json.dumps(arg) for arg in args
    )
    return f"({_js(name)}\n)({values})"


class _Function(str):
    """JavaScript source of a function expression, passed to `_script` as code, not text."""


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

    def show_countdown(
        self, warn_before: Iterable[Duration] = (), *, echo: Callable[[str], object] = print
    ) -> None:
        """Say when this runtime ends; on Colab, also start a live countdown in the cell output.

        `echo` gets each line: the end estimate, the `warn_before` margins and, when time
        left is already under one, the advice to save now. On Colab the countdown line
        redraws every second in the page and, crossing each margin, turns red, beeps and
        raises a notification (where the browser allows them). Never raises for a missing
        page: it says why there is no countdown instead.
        """
        warns = sorted({parse_duration(w, "warn_before") for w in warn_before}, reverse=True)
        left = self.time_left()
        up = format_remaining(self._clock() - self._boot)
        ends = self.deadline().strftime("%Y-%m-%d %H:%M UTC")
        echo(f"Colab runtime: up {up}; about {format_remaining(left)} left, ends ~{ends}")
        if warns:
            echo(f"Warnings at {', '.join(map(format_remaining, warns))} before the end.")
        passed = [w for w in warns if left <= w]
        if passed:
            echo(f"Already under the {format_remaining(min(passed))} warning: save your work now.")
        try:
            from google.colab import output  # type: ignore[import-not-found]  # noqa: PLC0415 Colab only
        except ImportError:
            echo("Not on Colab: no countdown in the page; time_left() tells the time left.")
            return
        try:
            alert = _Function(_js("notebook_alert.js"))
            script = _script("notebook_countdown.js", alert, left, warns)
            output.eval_js(script, ignore_result=True)
        except Exception as exc:  # the page is for people; the numbers above still stand
            echo(f"Countdown unavailable ({exc}); time_left() tells the time left.")

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
            from google.colab import output  # noqa: PLC0415 Colab only

            output.eval_js(
                _script("notebook_alert.js", "Colab runtime ending", message), ignore_result=True
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
                from IPython.display import display  # type: ignore[import-not-found]  # noqa: PLC0415 Colab only

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
