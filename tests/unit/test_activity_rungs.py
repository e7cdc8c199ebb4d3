"""Evidence, not assumption: an idle-timeout disconnect right after a connected tick steps
that notebook's activity up a rung, sends `keepalive-failing` with the reason, and `status`
shows the input and the rung. Fake ports, no browser."""

from __future__ import annotations

from dataclasses import replace

from tests.daemon.fakes import CONNECTED, FakeBrowser, RecordingListener
from tests.fakes import FakeClock
from watchdog.core.activity import RUNGS, idle_disconnect, rung_name, step_up
from watchdog.core.alerts import NotebookState, observe_tick
from watchdog.core.model import Dialog, TickResult
from watchdog.core.session import Limits
from watchdog.core.status_report import status_entry
from watchdog.daemon.loop import Daemon, DaemonConfig

A, B = "http://nb/a", "http://nb/b"
IDLED_OUT = replace(
    CONNECTED,
    state="disconnected",
    acted="none",
    dialog=Dialog(
        "runtime-disconnected",
        "left-open",
        "Runtime disconnected Your runtime has been disconnected due to inactivity or "
        "reaching its maximum duration.",
    ),
)
KEYED = replace(CONNECTED, input="browser bidi: key")


def test_rungs_step_up_to_the_top_and_stay() -> None:
    assert RUNGS == ("key", "key+move", "key+move+click")
    assert [step_up(n) for n in range(4)] == [1, 2, 2, 2]
    assert rung_name(0) == "key" and rung_name(7) == "key+move+click"


def test_only_an_inactivity_disconnect_after_a_connected_tick_is_evidence() -> None:
    assert idle_disconnect(True, IDLED_OUT)
    assert idle_disconnect(True, IDLED_OUT, connected_for=31, idle_timeout=30)
    assert not idle_disconnect(True, IDLED_OUT, connected_for=29, idle_timeout=30)
    assert not idle_disconnect(False, IDLED_OUT)  # was not connected before: no evidence
    other = replace(IDLED_OUT, dialog=Dialog("runtime-disconnected", "left-open", "Crashed"))
    assert not idle_disconnect(True, other)
    assert not idle_disconnect(True, replace(IDLED_OUT, dialog=None))
    assert not idle_disconnect(True, CONNECTED)


def test_the_daemon_steps_only_the_idled_out_notebook_up_a_rung() -> None:
    browser, clock, listener = FakeBrowser(), FakeClock(), RecordingListener()
    daemon = Daemon(
        [(browser, [A, B])],
        DaemonConfig(interval=1.0, options={"actuator": "browser"}),
        clock=clock,
        listeners=[listener],
    )
    daemon.start()
    daemon.sweep()
    browser.states[A] = IDLED_OUT
    clock.advance(1)
    daemon.sweep()
    browser.states[A] = CONNECTED  # reconnected by hand: a new runtime
    for _ in range(2):
        clock.advance(1)
        daemon.sweep()
    levels = [(url, opts["activity_level"]) for url, opts in browser.options]
    assert levels[:4] == [(A, 0), (B, 0), (A, 0), (B, 0)]
    assert levels[4:] == [(A, 1), (B, 0), (A, 1), (B, 0)]
    assert all(opts["actuator"] == "browser" for _, opts in browser.options)
    assert [r.activity_level for r in listener.ticks if r.url == A] == [0, 1, 1, 1]
    # Idling out again at rung 1 steps up once more; a disconnect seen twice does not.
    browser.states[A] = IDLED_OUT
    for _ in range(2):
        clock.advance(1)
        daemon.sweep()
    assert browser.options[-2:][0][1]["activity_level"] == 2


def test_keepalive_failing_names_the_input_and_status_shows_the_rung() -> None:
    limits = Limits(idle_timeout=30, max_lifetime=43200, warn_before=(600,))
    clock = FakeClock()
    nb = NotebookState(url=A)
    nb, _ = observe_tick(nb, TickResult(A, clock.now(), KEYED, title="nb"), limits)
    clock.advance(20)  # connected for less than the idle timeout: it cannot have idled out
    early, events = observe_tick(nb, TickResult(A, clock.now(), IDLED_OUT), limits)
    assert [e.kind for e in events] == ["disconnected"]
    assert early.session is None
    clock.advance(40)
    nb, events = observe_tick(
        nb, TickResult(A, clock.now(), IDLED_OUT, title="nb", activity_level=1), limits
    )
    kinds = [e.kind for e in events]
    assert kinds == ["disconnected", "keepalive-failing"], kinds
    failing = events[1]
    assert failing.detail is not None and "browser bidi: key" in failing.detail
    assert failing.key.endswith(":keepalive-failing:idle-disconnect")
    entry = status_entry(nb.to_json(limits), clock.now())
    assert entry["input"] == "browser bidi: key"
    assert (entry["activity_level"], entry["activity"]) == (1, "key+move")


def test_a_disconnect_at_the_lifetime_end_is_not_evidence() -> None:
    limits = Limits(idle_timeout=5400, max_lifetime=120, warn_before=())
    clock = FakeClock()
    nb, _ = observe_tick(NotebookState(url=A), TickResult(A, clock.now(), KEYED), limits)
    clock.advance(121)
    _, events = observe_tick(nb, TickResult(A, clock.now(), IDLED_OUT), limits)
    assert [e.kind for e in events] == ["lifetime-reached"]
