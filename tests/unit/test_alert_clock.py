"""The session clock and alert detection, driven by a FakeClock advanced by hand."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from tests.alerts.conftest import URL, failed_tick, tick
from tests.fakes import T0, FakeClock
from watchdog.core.alerts import (
    AlertEvent,
    NotebookState,
    observe_browser_lost,
    observe_tick,
    resume,
)
from watchdog.core.model import TickResult
from watchdog.core.session import (
    Limits,
    Session,
    crossed_margins,
    elapsed,
    idle_deadline,
    lifetime_deadline,
    remaining,
    start_session,
)

LIMITS = Limits(idle_timeout=600, max_lifetime=3600, warn_before=(300, 1800, 600))


class Tracker:
    """Folds ticks into one notebook's state, collecting events (what the Monitor does)."""

    def __init__(
        self, nb: NotebookState | None = None, limits: Limits = LIMITS, interval: float = 0.0
    ) -> None:
        self.nb = nb or NotebookState(url=URL)
        self.limits = limits
        self.interval = interval
        self.events: list[AlertEvent] = []

    def feed(self, result: TickResult, hint=None) -> list[AlertEvent]:
        self.nb, new = observe_tick(self.nb, result, self.limits, hint, interval=self.interval)
        self.events += new
        return new

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]

    def restarted(self, now: datetime | None = None) -> Tracker:
        """A new tracker from the serialized state, as a daemon restarted at `now` loads it."""
        raw = json.loads(json.dumps(self.nb.to_json(self.limits)))
        nb = NotebookState.from_json(raw)
        nb = resume(nb, now or nb.last_tick_at or T0, self.limits)
        return Tracker(nb, self.limits, self.interval)


def run_connected(tracker: Tracker, clock: FakeClock, seconds: int, step: int = 10) -> None:
    for _ in range(seconds // step):
        tracker.feed(tick(clock.advance(step)))


# ---------------------------------------------------------------- pure clock functions


def test_limits_sort_margins_and_derive_keepalive_margins() -> None:
    assert LIMITS.warn_before == (1800, 600, 300)
    assert LIMITS.keepalive_margins == (300,)
    assert Limits(idle_timeout=10, max_lifetime=24, warn_before=(16, 8)).keepalive_margins == (8,)
    assert Limits(idle_timeout=10, max_lifetime=24, warn_before=(16,)).keepalive_margins == (5.0,)


def test_deadlines_and_remaining() -> None:
    session = start_session(T0)
    assert lifetime_deadline(session, LIMITS).at == T0 + timedelta(seconds=3600)
    assert lifetime_deadline(session, LIMITS).source == "max_lifetime"
    assert idle_deadline(session, LIMITS) == T0 + timedelta(seconds=600)
    assert remaining(T0 + timedelta(seconds=90), T0) == 90
    assert remaining(T0, T0 + timedelta(seconds=5)) == 0
    assert crossed_margins(T0 + timedelta(seconds=700), (1800, 600, 300), T0) == [1800]


def test_hint_in_the_future_is_clamped_and_negative_elapsed_is_zero() -> None:
    session = start_session(T0, T0 + timedelta(hours=1))
    assert session.started_at == T0
    assert elapsed(session, T0 - timedelta(minutes=5)) == 0


def test_estimate_earlier_than_max_lifetime_wins_and_says_so() -> None:
    session = start_session(T0).with_estimate(T0 + timedelta(seconds=60), 1200)
    deadline = lifetime_deadline(session, LIMITS)
    assert deadline.source == "colab-estimate"
    assert deadline.at == T0 + timedelta(seconds=1260)
    later = start_session(T0).with_estimate(T0, 7200)
    assert lifetime_deadline(later, LIMITS).source == "max_lifetime"


def test_session_roundtrips_through_json() -> None:
    session = Session(T0, T0 + timedelta(seconds=5), T0 + timedelta(hours=2))
    assert Session.from_json(json.loads(json.dumps(session.to_json()))) == session


# ---------------------------------------------------------------- thresholds


def test_first_connected_tick_starts_the_session_and_sends_nothing(clock: FakeClock) -> None:
    tracker = Tracker()
    assert tracker.feed(tick(clock.now())) == []
    assert tracker.nb.session is not None
    assert tracker.nb.session.started_at == T0
    assert tracker.nb.ticks_ok == 1


def test_each_lifetime_margin_fires_exactly_once_then_reached(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 1790)
    assert tracker.events == []
    tracker.feed(tick(clock.advance(10)))  # remaining exactly 1800: crossed
    assert tracker.kinds() == ["lifetime-warning"]
    assert tracker.events[0].margin_s == 1800
    assert tracker.events[0].remaining_s == 1800
    run_connected(tracker, clock, 1800)  # to the deadline, ticking every 10 s
    kinds = tracker.kinds()
    assert kinds == ["lifetime-warning"] * 3 + ["lifetime-reached"]
    assert [e.margin_s for e in tracker.events[:3]] == [1800, 600, 300]
    assert tracker.events[-1].at == T0 + timedelta(seconds=3600)
    run_connected(tracker, clock, 300)  # still connected past the deadline: nothing more
    assert len(tracker.events) == 4
    assert len({e.key for e in tracker.events}) == 4


def test_several_margins_crossed_at_once_send_only_the_most_urgent(clock: FakeClock) -> None:
    tracker = Tracker()
    hint = T0 - timedelta(seconds=3200)  # --elapsed 53m20s: 1800 and 600 already passed
    tracker.feed(tick(clock.now()), hint=hint)
    assert tracker.kinds() == ["lifetime-warning"]
    assert tracker.events[0].margin_s == 600
    run_connected(tracker, clock, 100)
    assert tracker.kinds() == ["lifetime-warning", "lifetime-warning"]
    assert tracker.events[1].margin_s == 300


def test_restart_from_serialized_state_repeats_nothing(clock: FakeClock) -> None:
    tracker = Tracker()
    ticks = [tick(clock.now())] + [tick(clock.advance(60)) for _ in range(62)]
    for result in ticks:
        tracker.feed(result)
    assert tracker.kinds() == ["lifetime-warning"] * 3 + ["lifetime-reached"]
    again = tracker.restarted()
    for result in ticks:  # the same ticks, replayed by a restarted daemon
        again.feed(result)
    assert again.events == []
    assert again.nb.session is not None
    assert again.nb.session.started_at == T0


def test_restart_mid_session_continues_the_session(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 1900)
    assert tracker.kinds() == ["lifetime-warning"]
    again = tracker.restarted(clock.advance(30))  # the daemon was down 30 s
    run_connected(again, clock, 1700)
    assert again.kinds() == ["lifetime-warning", "lifetime-warning", "lifetime-reached"]
    assert [e.margin_s for e in again.events[:2]] == [600, 300]


def test_stale_persisted_session_is_replaced_by_a_new_one(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    again = tracker.restarted(clock.advance(3 * 3600))  # restarted three hours later
    again.feed(tick(clock.now()))
    assert again.nb.session is not None
    assert again.nb.session.started_at == clock.now()
    assert again.events == []


# ---------------------------------------------------------------- transitions


def test_disconnect_then_new_connection_starts_a_new_session(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 100)
    tracker.feed(tick(clock.advance(10), state="disconnected", acted="none"))
    tracker.feed(tick(clock.advance(10), state="disconnected", acted="none"))
    assert tracker.kinds() == ["disconnected"]
    assert tracker.nb.session is None
    tracker.feed(tick(clock.advance(10), state="connecting", acted="none"))
    tracker.feed(tick(clock.advance(10)))
    tracker.feed(tick(clock.advance(10)))
    assert tracker.kinds() == ["disconnected", "reconnected"]
    new_session = tracker.nb.session
    assert new_session is not None
    assert new_session.started_at == T0 + timedelta(seconds=140)
    assert tracker.events[1].remaining_s == 3600
    assert tracker.events[0].key != tracker.events[1].key
    # the new session's warnings come from its own start
    run_connected(tracker, clock, 1800)
    assert tracker.kinds()[-1] == "lifetime-warning"
    assert tracker.events[-1].at == new_session.started_at + timedelta(seconds=1800)


INTERVAL = 10.0
DROPPED = {"kind": "runtime-disconnected", "action": "left-open", "text": "Runtime disconnected"}


def dropped(at: datetime) -> TickResult:
    return tick(at, state="disconnected", acted="none", dialog=DROPPED)


def test_disconnect_seen_just_after_the_deadline_is_lifetime_reached(clock: FakeClock) -> None:
    tracker = Tracker(interval=INTERVAL)
    tracker.feed(tick(clock.now()))
    clock.advance(5)  # ticks at 5, 15, ... 3595: none lands on the deadline itself
    run_connected(tracker, clock, 3590)
    assert tracker.kinds() == ["lifetime-warning"] * 3
    tracker.feed(dropped(clock.advance(INTERVAL)))  # seen 0.5 interval after the deadline
    assert tracker.kinds() == ["lifetime-warning"] * 3 + ["lifetime-reached"]
    reached = tracker.events[-1]
    assert reached.key == "20261126T120000Z:lifetime-reached"
    assert reached.remaining_s == 0
    assert reached.deadline == T0 + timedelta(seconds=3600)
    assert reached.detail == "Runtime disconnected"
    tracker.feed(dropped(clock.advance(INTERVAL)))
    assert tracker.restarted().feed(dropped(clock.advance(INTERVAL))) == []
    assert tracker.kinds() == ["lifetime-warning"] * 3 + ["lifetime-reached"]
    assert tracker.nb.session is None


def test_disconnect_within_one_interval_before_the_deadline_is_lifetime_reached(
    clock: FakeClock,
) -> None:
    # our session starts at the first tick that saw it connected, up to an interval late,
    # so the real runtime may end that much before the deadline we compute
    tracker = Tracker(interval=INTERVAL)
    tracker.feed(tick(clock.now()))
    clock.advance(1)
    run_connected(tracker, clock, 3590)  # last connected tick at 3591
    tracker.feed(dropped(clock.advance(INTERVAL - 9)))  # 3592: 8 s before the deadline
    assert tracker.kinds()[-1] == "lifetime-reached"
    assert "disconnected" not in tracker.kinds()


def test_disconnect_well_before_the_deadline_stays_disconnected(clock: FakeClock) -> None:
    tracker = Tracker(interval=INTERVAL)
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 3570)
    tracker.feed(dropped(clock.advance(INTERVAL)))  # 3580: two intervals before the deadline
    assert tracker.kinds() == ["lifetime-warning"] * 3 + ["disconnected"]
    assert tracker.events[-1].remaining_s == 20
    # the same moment without the interval's tolerance: also only `disconnected` earlier on
    early = Tracker(interval=INTERVAL)
    early.feed(tick(T0))
    early.feed(dropped(T0 + timedelta(seconds=1000)))
    assert early.kinds() == ["disconnected"]


def test_disconnect_after_lifetime_reached_while_connected_sends_nothing_more(
    clock: FakeClock,
) -> None:
    # the runtime's end was already announced by `lifetime-reached` (sent when the deadline
    # passed while still connected); the disconnect that follows is that same end
    tracker = Tracker(interval=INTERVAL)
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 3600)
    assert tracker.kinds() == ["lifetime-warning"] * 3 + ["lifetime-reached"]
    run_connected(tracker, clock, 120)  # still connected two minutes past the deadline
    tracker.feed(dropped(clock.advance(INTERVAL)))
    assert tracker.kinds() == ["lifetime-warning"] * 3 + ["lifetime-reached"]
    assert tracker.nb.session is None
    # the next runtime is a new session with its own alerts
    tracker.feed(tick(clock.advance(INTERVAL)))
    assert tracker.kinds()[-1] == "reconnected"


def test_connecting_and_unknown_are_not_disconnects(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    tracker.feed(tick(clock.advance(10), state="connecting", acted="none"))
    tracker.feed(tick(clock.advance(10), state="unknown", acted="none"))
    tracker.feed(tick(clock.advance(10)))
    assert tracker.events == []
    assert tracker.nb.session is not None
    assert tracker.nb.session.started_at == T0


def test_captcha_fires_once_per_appearance(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    for _ in range(3):
        tracker.feed(tick(clock.advance(10), captcha=True, acted="none"))
    assert tracker.kinds() == ["captcha"]
    assert tracker.restarted().feed(tick(clock.advance(10), captcha=True, acted="none")) == []
    tracker.feed(tick(clock.advance(10)))
    tracker.feed(tick(clock.advance(10), captcha=True, acted="none"))
    assert tracker.kinds() == ["captcha", "captcha"]
    assert tracker.events[0].key != tracker.events[1].key


def test_keepalive_failing_fires_when_idle_remaining_crosses_a_margin(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    for _ in range(29):  # failing ticks for 290 s: idle remaining 310 > 300
        tracker.feed(failed_tick(clock.advance(10)))
    assert tracker.kinds() == ["unreachable"]  # at the 3rd failed tick (own tests)
    tracker.feed(failed_tick(clock.advance(10)))  # idle remaining 300: crossed
    assert tracker.kinds() == ["unreachable", "keepalive-failing"]
    event = tracker.events[1]
    assert event.remaining_s == 300
    assert event.deadline == T0 + timedelta(seconds=600)
    assert event.deadline_source == "idle_timeout"
    for _ in range(10):
        tracker.feed(failed_tick(clock.advance(10)))
    assert tracker.kinds() == ["unreachable", "keepalive-failing"]
    assert tracker.nb.ticks_failed == 40
    assert tracker.nb.state == "unreachable"
    # activity resumes, then fails again: a new episode may alert again
    tracker.feed(tick(clock.advance(10)))
    for _ in range(31):
        tracker.feed(failed_tick(clock.advance(10)))
    assert tracker.kinds() == [
        "unreachable",
        "keepalive-failing",
        "unreachable",  # a new episode: a new key
        "keepalive-failing",
    ]


def test_ticks_without_activity_count_as_failing_keepalive(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    for _ in range(30):
        tracker.feed(tick(clock.advance(10), acted="none", state="unknown"))
    # A page the engine cannot read is not a good tick either.
    assert tracker.kinds() == ["unreachable", "keepalive-failing"]


def test_busy_runtime_counts_as_active(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    for _ in range(60):
        tracker.feed(tick(clock.advance(10), acted="none", busy=True))
    assert "keepalive-failing" not in tracker.kinds()


def test_browser_lost_once_until_a_tick_succeeds(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    nb, events = observe_browser_lost(tracker.nb, "driver died", clock.advance(30), LIMITS)
    assert [e.kind for e in events] == ["browser-lost"]
    assert events[0].detail == "driver died"
    assert events[0].deadline_source == "idle_timeout"
    nb, again = observe_browser_lost(nb, "driver died", clock.advance(30), LIMITS)
    assert again == []
    nb, _ = observe_tick(nb, tick(clock.advance(10)), LIMITS)
    nb, third = observe_browser_lost(nb, "driver died", clock.advance(30), LIMITS)
    assert len(third) == 1
    assert third[0].key != events[0].key


# ---------------------------------------------------------------- clock jumps


def test_clock_jumping_backwards_fires_nothing(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 1000)
    assert tracker.events == []
    clock.set(T0 - timedelta(hours=2))  # NTP or a user moved the clock two hours back
    run_connected(tracker, clock, 600)
    clock.set(T0 + timedelta(seconds=1010))  # and forward again to where it was
    run_connected(tracker, clock, 100)
    assert tracker.events == []
    assert tracker.nb.session is not None
    assert tracker.nb.session.started_at == T0


def test_clock_backwards_after_a_warning_does_not_unsend_or_resend(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    run_connected(tracker, clock, 1810)
    assert tracker.kinds() == ["lifetime-warning"]
    clock.advance(-600)
    run_connected(tracker, clock, 600)
    assert tracker.kinds() == ["lifetime-warning"]
    assert tracker.nb.has_sent(tracker.events[0].key)


def test_estimate_moving_deadline_earlier_sends_the_most_urgent_margin(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now()))
    tracker.feed(tick(clock.advance(10), remaining_estimate_s=400))
    assert tracker.kinds() == ["lifetime-warning"]
    event = tracker.events[0]
    assert event.margin_s == 600
    assert event.deadline_source == "colab-estimate"
    assert event.deadline == T0 + timedelta(seconds=410)
    run_connected(tracker, clock, 420)
    assert tracker.kinds() == ["lifetime-warning", "lifetime-warning", "lifetime-reached"]


def test_status_json_keeps_deadlines_for_status_without_settings(clock: FakeClock) -> None:
    tracker = Tracker()
    tracker.feed(tick(clock.now(), remaining_estimate_s=1000))
    raw = tracker.nb.to_json(LIMITS)
    assert raw["lifetime_source"] == "colab-estimate"
    assert raw["lifetime_deadline"] == "2026-11-26T12:16:40Z"
    assert raw["idle_deadline"] == "2026-11-26T12:10:00Z"
