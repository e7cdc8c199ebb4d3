"""The self-contained Python cell printed by `colab-watchdog snippet --python`.

Pure: standard library only, no I/O. `render_python_cell(...)` fills the template below with
the lifetime and warning margins. The cell repeats the deadline logic of `watchdog/notebook.py`
(deadline = now + max_lifetime - VM uptime, which errs early) for users who will not
pip-install inside Colab. It reads the uptime from `$WATCHDOG_UPTIME_FILE` when set (tests),
else `/proc/uptime`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

DEFAULT_MAX_LIFETIME_S = 12 * 3600.0
DEFAULT_WARN_BEFORE_S = (3600.0, 1800.0, 600.0, 300.0)
DEFAULT_SAVE_MARGIN_S = 1800.0
DEFAULT_SAVE_EVERY_S = 3600.0

# Placeholders are replaced with Python literals; the template has no other `__X__` tokens.
CELL_TEMPLATE = '''\
# Colab runtime deadline, from `colab-watchdog snippet --python`. Run this cell once; no install.
# Estimates when this runtime reaches its maximum lifetime from the VM's uptime (errs early, the
# safe side), prints it, and shows a live countdown below this cell with a warning at each
# margin (plus a notification and a beep where the browser allows them; keep the tab open).
# In a training loop:   if colab_should_save(): save_checkpoint(); colab_saved()
import datetime as _dt
import json as _json
import os as _os
import time as _time

COLAB_MAX_LIFETIME_S = __MAX_LIFETIME_S__
COLAB_WARN_BEFORE_S = __WARN_BEFORE_S__
COLAB_SAVE_MARGIN_S = __SAVE_MARGIN_S__
COLAB_SAVE_EVERY_S = __SAVE_EVERY_S__
_CW_UPTIME_FILE = _os.environ.get("WATCHDOG_UPTIME_FILE", "/proc/uptime")
_CW_STARTED = _time.time()


def colab_uptime():
    """Seconds since this VM booted (since this cell ran, where /proc/uptime is missing)."""
    try:
        with open(_CW_UPTIME_FILE) as fh:
            return float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return _time.time() - _CW_STARTED


def colab_time_left(margin_s=0.0):
    """Seconds until the runtime's maximum lifetime, minus margin_s; never negative."""
    return max(0.0, COLAB_MAX_LIFETIME_S - colab_uptime() - margin_s)


def colab_deadline(margin_s=0.0):
    """When to be done (aware UTC datetime): now + max lifetime - uptime - margin_s."""
    end = _time.time() + COLAB_MAX_LIFETIME_S - colab_uptime() - margin_s
    return _dt.datetime.fromtimestamp(end, tz=_dt.timezone.utc)


def _cw_fmt(seconds):
    whole = max(0, int(seconds))
    h, m, s = whole // 3600, whole % 3600 // 60, whole % 60
    return f"{h}h {m:02d}m" if h else (f"{m}m {s:02d}s" if m else f"{s}s")


_cw_state = {"last_save": _time.time(), "margin_fired": False}


def colab_should_save():
    """True every COLAB_SAVE_EVERY_S, and once when under COLAB_SAVE_MARGIN_S of the end."""
    now = _time.time()
    if not _cw_state["margin_fired"] and colab_time_left() <= COLAB_SAVE_MARGIN_S:
        _cw_state["margin_fired"] = True
        _cw_state["last_save"] = now
        print(f"colab-watchdog: {_cw_fmt(colab_time_left())} left: save a checkpoint now")
        return True
    if COLAB_SAVE_EVERY_S and now - _cw_state["last_save"] >= COLAB_SAVE_EVERY_S:
        _cw_state["last_save"] = now
        return True
    return False


def colab_saved():
    """Record a checkpoint: the next periodic save is COLAB_SAVE_EVERY_S from now."""
    _cw_state["last_save"] = _time.time()


_CW_JS = """
((leftS, warnS) => {
  const end = Date.now() + leftS * 1000;
  const fmt = (s) => {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), x = s % 60;
    const p = (n) => String(n).padStart(2, "0");
    return h ? h + "h " + p(m) + "m" : (m ? m + "m " + p(x) + "s" : x + "s");
  };
  const line = document.createElement("div");
  line.style.fontFamily = "monospace";
  document.body.appendChild(line);
  const fired = new Set(warnS.filter((w) => w >= leftS));
  let note = "";
  const alarm = (text) => {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      const osc = ctx.createOscillator(), gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.1;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.4);
    } catch (e) {}
    try {
      if ("Notification" in window && Notification.permission === "granted") {
        new Notification("Colab runtime ending", {body: text});
      }
    } catch (e) {}
  };
  const tick = () => {
    const s = (end - Date.now()) / 1000;
    const crossed = warnS.filter((w) => s <= w && !fired.has(w));
    if (crossed.length) {
      crossed.forEach((w) => fired.add(w));
      note = " - under " + fmt(Math.min(...crossed)) + ": save your work now";
      line.style.color = "#d93025";
      alarm("About " + fmt(s) + " left in this Colab runtime: save your work now.");
    }
    line.textContent = "Colab runtime: about " + fmt(s) + " left (estimate, errs early)" + note;
    return line.textContent;
  };
  try {
    if ("Notification" in window && Notification.permission === "default") {
      Notification.requestPermission().catch(() => {});
    }
  } catch (e) {}
  setInterval(tick, 1000);
  return tick();
})(@LEFT@, @WARN@)
"""


def _cw_show():
    left, up = colab_time_left(), colab_uptime()
    ends = colab_deadline().strftime("%Y-%m-%d %H:%M UTC")
    print(f"Colab runtime: up {_cw_fmt(up)}; about {_cw_fmt(left)} left, ends ~{ends}")
    if COLAB_WARN_BEFORE_S:
        warns = ", ".join(_cw_fmt(w) for w in COLAB_WARN_BEFORE_S)
        print(f"Warnings at {warns} before the end.")
    passed = [w for w in COLAB_WARN_BEFORE_S if left <= w]
    if passed:
        print(f"Already under the {_cw_fmt(min(passed))} warning: save your work now.")
    try:
        from google.colab import output
    except ImportError:
        print("Not on Colab: no countdown in the page; call colab_time_left() to check.")
        return
    js = _CW_JS.replace("@LEFT@", _json.dumps(left))
    js = js.replace("@WARN@", _json.dumps(list(COLAB_WARN_BEFORE_S)))
    try:
        output.eval_js(js, ignore_result=True)
    except Exception as exc:
        print(f"Countdown unavailable ({exc}); call colab_time_left() to check.")


_cw_show()
'''


def render_python_cell(
    max_lifetime_s: float = DEFAULT_MAX_LIFETIME_S,
    warn_before_s: Sequence[float] = DEFAULT_WARN_BEFORE_S,
    *,
    save_margin_s: float = DEFAULT_SAVE_MARGIN_S,
    save_every_s: float = DEFAULT_SAVE_EVERY_S,
) -> str:
    """Return the Python cell text for these limits (seconds).

    Warnings are sorted descending, duplicates dropped. Raises ValueError when a value is
    negative or not finite, or when the lifetime is 0.
    """
    values = [max_lifetime_s, save_margin_s, save_every_s, *warn_before_s]
    if any(not math.isfinite(v) or v < 0 for v in values) or max_lifetime_s <= 0:
        raise ValueError(
            f"cannot render the Python cell: durations must be finite and >= 0, "
            f"max lifetime > 0 (got {values!r})"
        )
    warns = sorted({float(w) for w in warn_before_s}, reverse=True)
    replacements = {
        "__MAX_LIFETIME_S__": repr(float(max_lifetime_s)),
        "__WARN_BEFORE_S__": repr(warns),
        "__SAVE_MARGIN_S__": repr(float(save_margin_s)),
        "__SAVE_EVERY_S__": repr(float(save_every_s)),
    }
    cell = CELL_TEMPLATE
    for token, literal in replacements.items():
        cell = cell.replace(token, literal)
    return cell
