"""The work alerts and the keep-alive policy, pure: ticks in, events and state out.

finished / crashed / memory-high / usage-limit / released, each once per episode and never
again after a restart (the state goes through its JSON form, as the state file keeps it).
"""

from __future__ import annotations

from typing import Any

from tests.alerts.conftest import tick
from tests.fakes import T0
from watchdog.core.alert_text import render
from watchdog.core.alerts import NotebookState, observe_tick
from watchdog.core.session import Limits
from watchdog.core.work import WorkRules, grace_words, released_text

LIMITS = Limits(idle_timeout=5400, max_lifetime=43200, warn_before=(3600,))
RULES = WorkRules(finished_after=120, memory_warn=0.9, keep_alive="while-busy", idle_grace=600)
RES = {"ram_total_gb": 12.67, "disk_used_gb": 30.0, "disk_total_gb": 107.72}


class Run:
    """A notebook ticked by hand; `restart()` reloads its state from JSON."""

    def __init__(self, rules: WorkRules = RULES) -> None:
        self.nb = NotebookState(url="https://colab.research.google.com/drive/1abc")
        self.rules = rules
        self.at = T0
        self.kinds: list[str] = []
        self.events: list[Any] = []

    def tick(self, seconds: float = 60, **status: Any) -> list[str]:
        from datetime import timedelta

        self.at += timedelta(seconds=seconds)
        self.nb, events = observe_tick(self.nb, tick(self.at, **status), LIMITS, rules=self.rules)
        self.events += events
        kinds = [e.kind for e in events]
        self.kinds += kinds
        return kinds

    def restart(self) -> None:
        self.nb = NotebookState.from_json(self.nb.to_json(LIMITS))


def test_a_long_run_that_ends_sends_one_finished_saying_how_long() -> None:
    run = Run()
    run.tick(busy=True, busy_for_s=30)
    run.tick(busy=True, busy_for_s=90)
    run.tick(busy=True, busy_for_s=150)
    assert run.tick(busy=False) == ["finished"]
    assert run.tick(busy=False) == []
    event = run.events[-1]
    assert "2m 30s" in (event.detail or "")
    title, body = render(event)
    assert title.startswith("Colab watchdog: finished (")
    assert "2m 30s" in body


def test_a_short_run_sends_nothing_and_an_unknown_busy_changes_nothing() -> None:
    run = Run()
    run.tick(busy=True, busy_for_s=10)
    run.tick(busy=None)
    assert run.tick(busy=False) == []
    assert run.nb.work.busy is False


def test_without_the_elapsed_text_the_run_counts_from_the_first_tick_that_saw_it() -> None:
    run = Run()
    run.tick(busy=True)
    run.tick(busy=True)
    run.tick(busy=True)
    assert run.tick(busy=False) == ["finished"]  # 120 s seen running


def test_a_new_run_between_two_ticks_ends_the_old_one() -> None:
    run = Run()
    run.tick(busy=True, busy_for_s=200)
    assert run.tick(busy=True, busy_for_s=5) == ["finished"]
    assert run.tick(busy=True, busy_for_s=65) == []


def test_finished_is_not_repeated_after_a_restart() -> None:
    run = Run()
    run.tick(busy=True, busy_for_s=300)
    run.restart()
    assert run.tick(busy=False) == ["finished"]
    run.restart()
    assert run.tick(busy=False) == []


def test_a_crash_sends_one_crashed_with_its_reason_and_no_finished() -> None:
    run = Run()
    run.tick(busy=True, busy_for_s=500)
    notice = {"kind": "crashed", "text": "Your session crashed after using all available RAM."}
    assert run.tick(busy=False, notice=notice) == ["crashed"]
    run.restart()
    assert run.tick(busy=False, notice=notice) == []
    assert "all available RAM" in render(run.events[0])[1]
    assert run.tick(busy=False) == []  # the toast went away
    assert run.tick(busy=False, notice=notice) == ["crashed"]  # a second crash


def test_memory_high_once_then_again_only_after_falling_below_80_percent() -> None:
    run = Run()
    assert run.tick(resources={**RES, "ram_used_gb": 12.04}) == ["memory-high"]
    assert "95%" in (run.events[0].detail or "")
    run.restart()
    assert run.tick(resources={**RES, "ram_used_gb": 12.1}) == []
    assert run.tick(resources={**RES, "ram_used_gb": 10.5}) == []  # 83 %: still high
    assert run.tick(resources={**RES, "ram_used_gb": 9.0}) == []  # 71 %: re-armed
    assert run.tick(resources={**RES, "ram_used_gb": 11.5}) == ["memory-high"]


def test_no_ram_figures_no_memory_alert() -> None:
    run = Run()
    assert run.tick(resources={"ram_used_gb": None, "ram_total_gb": None}) == []
    assert run.tick(resources=None) == []


def test_usage_limit_from_a_dialog_or_a_toast_once_per_showing() -> None:
    run = Run()
    dialog = {"kind": "usage-limit", "action": "left-open", "text": "Cannot connect to GPU"}
    assert run.tick(dialog=dialog) == ["usage-limit"]
    assert run.tick(dialog=dialog) == []
    assert run.tick() == []
    toast = {"kind": "usage-limit", "text": "You cannot currently connect to a GPU"}
    assert run.tick(notice=toast) == ["usage-limit"]


def test_while_busy_releases_after_the_grace_once_and_holds_again_when_a_cell_runs() -> None:
    run = Run()
    run.tick(busy=True, busy_for_s=30)
    run.tick(busy=False)
    assert run.nb.work.policy == "held"
    for _ in range(9):
        assert run.tick(busy=False) == []
    assert run.tick(busy=False) == ["released"]
    assert run.nb.work.policy == "released"
    assert run.events[-1].detail == released_text(600)
    run.restart()
    assert run.nb.work.policy == "released"
    assert run.tick(busy=False, acted="none") == []
    # No keep-alive alarm for a notebook let go on purpose, even as its idle time runs out.
    for _ in range(90):
        assert "keepalive-failing" not in run.tick(busy=False, acted="none")
    assert run.tick(busy=True, busy_for_s=3, acted="none") == []
    assert run.nb.work.policy == "held"


def test_a_released_notebook_that_idles_out_sends_no_disconnected() -> None:
    run = Run()
    run.tick(busy=False)
    run.tick(600, busy=False)
    assert run.kinds == ["released"]
    assert run.tick(state="disconnected", busy=None, acted="none") == []
    assert run.nb.work.policy == "held"  # the next runtime starts held


def test_always_never_releases() -> None:
    run = Run(WorkRules(keep_alive="always", idle_grace=60))
    run.tick(busy=False)
    for _ in range(5):
        assert run.tick(busy=False) == []
    assert run.nb.work.policy == "held"


def test_released_text_names_the_grace() -> None:
    assert released_text(3600) == (
        "no cell has run for 60 min; letting the runtime idle out, as Colab's rules expect"
    )
    assert grace_words(5) == "5 s"
    assert grace_words(5400) == "90 min"


def test_status_fields_are_null_when_the_page_does_not_show_them() -> None:
    from watchdog.core.status_report import status_entry

    run = Run()
    run.tick(busy=None)
    entry = status_entry(run.nb.to_json(LIMITS), run.at)
    assert entry["resources"] is None
    assert entry["backend"] is None
    assert entry["busy"] is None
    assert entry["busy_for_s"] is None
    assert entry["policy"] == "held"
    run.tick(
        busy=True,
        busy_for_s=72,
        resources={**RES, "ram_used_gb": 1.1},
        backend="Python 3 Google Compute Engine backend (GPU)",
    )
    entry = status_entry(run.nb.to_json(LIMITS), run.at)
    assert entry["busy"] is True
    assert entry["busy_for_s"] == 72
    assert entry["resources"]["ram_used_gb"] == 1.1
    assert entry["backend"].endswith("(GPU)")


def test_the_daemon_sends_no_activity_option_for_a_released_notebook(tmp_path: Any) -> None:
    """Monitor (the policy) + Daemon loop + a scripted browser: the engine options of the
    tick after the release carry `activity: false`; its idle-out is no reason to step up the
    activity rung; a run brings the default back."""
    from dataclasses import replace

    from tests.daemon.fakes import CONNECTED, FakeBrowser
    from tests.fakes import FakeClock
    from watchdog.adapters.statefile import JsonStateStore
    from watchdog.core.model import Dialog
    from watchdog.daemon.loop import Daemon, DaemonConfig
    from watchdog.daemon.monitor import Monitor

    class Notifier:
        def send(self, title: str, body: str) -> None:
            sent.append(title)

    sent: list[str] = []
    clock = FakeClock()
    url = "https://colab.research.google.com/drive/1abc"
    monitor = Monitor(
        store=JsonStateStore(tmp_path / "state.json"),
        notifier=Notifier(),
        clock=clock,
        limits=LIMITS,
        interval=60,
        rules=WorkRules(keep_alive="while-busy", idle_grace=120),
    )
    browser = FakeBrowser()
    browser.states[url] = replace(CONNECTED, busy=False)
    daemon = Daemon(
        [(browser, [url])],
        DaemonConfig(interval=60, options={"reconnect": False}, idle_timeout=120),
        clock=clock,
        listeners=[monitor],
    )
    daemon.start()

    def sweep() -> dict[str, Any]:
        daemon.sweep()
        clock.advance(60)
        return browser.options[-1][1]

    options = [sweep() for _ in range(4)]
    assert [o.get("activity", True) for o in options] == [True, True, True, False]
    assert all(o["reconnect"] is False for o in options)
    assert [t.split(" (")[0] for t in sent] == ["Colab watchdog: released"]
    # The page's idle timer runs out, as it should for a released notebook.
    text = "Your runtime has been disconnected due to inactivity or reaching its maximum duration."
    browser.states[url] = replace(
        CONNECTED,
        state="disconnected",
        acted="none",
        busy=None,
        dialog=Dialog(kind="runtime-disconnected", action="left-open", text=text),
    )
    assert sweep().get("activity", True) is False
    assert len(sent) == 1, sent  # no disconnected, no keep-alive failing
    # A new runtime with a cell running is held, with the same input (rung 0: no step up,
    # the idle-out was no evidence that the activity did not count).
    browser.states[url] = replace(CONNECTED, busy=True)
    last = sweep()
    assert last.get("activity", True) is True
    assert last.get("activity_level", 0) == 0


def test_status_table_shows_the_work_in_80_columns(tmp_path: Any, capsys: Any) -> None:
    from tests.fakes import FakeClock
    from tests.unit.test_monitor import RecordingNotifier
    from watchdog.adapters.statefile import JsonStateStore
    from watchdog.cli.main import main
    from watchdog.daemon.monitor import Monitor

    path = tmp_path / "state.json"
    clock = FakeClock()
    monitor = Monitor(
        store=JsonStateStore(path),
        notifier=RecordingNotifier(),
        clock=clock,
        limits=LIMITS,
        interval=1.0,
        rules=RULES,
    )
    monitor.on_start()
    monitor.on_tick(
        tick(
            clock.now(),
            busy=True,
            busy_for_s=72,
            resources={**RES, "ram_used_gb": 1.1},
            backend="Python 3 Google Compute Engine backend (GPU)",
        )
    )
    monitor.on_tick(tick(clock.now(), url="https://colab.research.google.com/drive/2x", busy=None))
    monitor.on_sweep(clock.now())
    assert main(["status", "--state-file", str(path)]) == 0
    out = capsys.readouterr().out
    lines = out.split("\nfiles:")[0].splitlines()  # (the files section prints paths as they are)
    assert max(len(line) for line in lines) <= 80, out
    work = [line for line in lines if line.startswith(("  busy", "  idle"))]
    assert work[0].startswith("  busy ") and "RAM 1.1/12.7 GB" in work[0], out
    assert "disk 30/108 GB" in work[0] and "| GPU | held" in work[0], out
    assert work[1] == "  busy ? | RAM ? | disk ? | backend ? | held", out


def test_an_unreadable_or_connecting_tick_changes_nothing() -> None:
    run = Run()
    assert run.tick(resources={**RES, "ram_used_gb": 12.5}) == ["memory-high"]
    assert run.tick(state="unknown", busy=None, resources=None) == []
    assert run.tick(state="connecting", busy=None, resources=None) == []
    assert run.tick(resources={**RES, "ram_used_gb": 12.5}) == []
    assert run.nb.work.memory_high


def test_a_new_runtime_after_a_disconnect_is_a_new_episode() -> None:
    run = Run()
    assert run.tick(resources={**RES, "ram_used_gb": 12.5}) == ["memory-high"]
    assert run.tick(state="disconnected", busy=None) == ["disconnected"]
    assert run.tick(resources={**RES, "ram_used_gb": 12.5}) == ["reconnected", "memory-high"]
