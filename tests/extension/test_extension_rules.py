"""The extension's pure rules (js/extension/settings.js and lifetime.js), run in the
extension's own page in Chromium: settings fallback, durations, the runtime clock, and the
work (finished runs, crashes)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.extension.conftest import ExtensionBrowser

pytestmark = pytest.mark.browser

CONNECTED = {"state": "connected", "captcha": False, "remaining_estimate_s": None}
DISCONNECTED = {"state": "disconnected", "captcha": False, "remaining_estimate_s": None}
SETTINGS = {
    "interval": 1,
    "maxLifetime": 100,
    "warnBefore": [50, 20],
    "idleTimeout": 60,
    "finishedAfter": 10,
}

CRASH = {
    "kind": "crashed",
    "text": "Your session crashed after using all available RAM.",
    "via": "toast",
}


def busy(for_s: float | None = None, **more: Any) -> dict[str, Any]:
    return dict(CONNECTED, busy=True, busy_for_s=for_s, **more)


IDLE = dict(CONNECTED, busy=False, busy_for_s=None)

# Feeds cwxTrack a list of [seconds, status] and returns the events and sessions after each.
RUN = """
const s = cwxSettings(args[0]);
let session = null;
const out = [];
for (const [t, status] of args[1]) {
  const r = cwxTrack(session, status, t * 1000, s);
  session = r.session;
  out.push({events: r.events, startedAt: session.startedAt, left: cwxLeft(session, s, t * 1000)});
}
return out;
"""


def track(ext: ExtensionBrowser, steps: list[tuple[float, dict[str, Any]]]) -> list[Any]:
    return list(ext.call(RUN, SETTINGS, [[t, status] for t, status in steps]))


def test_settings_keep_defaults_for_bad_fields(ext: ExtensionBrowser) -> None:
    got = ext.call(
        "return [cwxSettings(null), cwxSettings({interval: -1, reconnect: 'yes',"
        " maxLifetime: 86400, warnBefore: [90000]}), cwxSettings({maxLifetime: 40})];"
    )
    defaults, bad, short = got
    assert defaults["interval"] == 1  # this build's --interval
    assert defaults["warnBefore"] == [3600, 1800, 600, 300]
    assert bad["interval"] == 1 and bad["reconnect"] is False
    assert bad["maxLifetime"] == 86400 and bad["warnBefore"] == [3600, 1800, 600, 300]
    assert short["maxLifetime"] == 40 and short["warnBefore"] == []


def test_durations_parse_and_format(ext: ExtensionBrowser) -> None:
    got = ext.call(
        "return [['1h30m', '90', '500ms', '2d', 'soon', '1m1m', ''].map(cwxParseDuration),"
        " cwxParseMargins('5m, 60m,30m 5m'), cwxParseMargins('5m, never'),"
        " [5400, 61, 0].map(cwxFormatDuration)];"
    )
    parsed, margins, bad_margins, formatted = got
    assert parsed[:4] == [5400, 90, 0.5, 172800]
    assert parsed[4:] == [None, None, None]  # NaN comes back as null
    assert margins == [3600, 1800, 300]
    assert bad_margins is None
    assert formatted == ["1h30m", "1m1s", "0s"]


def test_margins_fire_once_and_the_lifetime_end_once(ext: ExtensionBrowser) -> None:
    steps = [(0, CONNECTED), (49, CONNECTED), (51, CONNECTED), (85, CONNECTED), (99, CONNECTED)]
    steps += [(100, CONNECTED), (101, CONNECTED)]
    out = track(ext, steps)
    kinds = [[(e["kind"], e.get("margin")) for e in step["events"]] for step in out]
    assert kinds == [
        [],
        [],
        [("margin", 50)],
        [("margin", 20)],
        [],
        [("lifetime-reached", None)],
        [],
    ]
    assert all(step["startedAt"] == 0 for step in out)


def test_two_margins_crossed_at_once_are_one_event(ext: ExtensionBrowser) -> None:
    out = track(ext, [(0, CONNECTED), (40, CONNECTED), (85, CONNECTED), (90, CONNECTED)])
    assert [len(step["events"]) for step in out] == [0, 0, 1, 0]
    assert out[2]["events"][0]["margin"] == 20


def test_disconnect_resets_and_is_reported_once(ext: ExtensionBrowser) -> None:
    steps = [(0, CONNECTED), (10, DISCONNECTED), (11, DISCONNECTED), (20, CONNECTED)]
    out = track(ext, steps)
    assert [e["kind"] for e in out[1]["events"]] == ["disconnected"]
    assert out[1]["events"][0]["atLifetimeEnd"] is False
    assert out[2]["events"] == []
    assert out[1]["startedAt"] is None
    assert out[3]["startedAt"] == 20000  # a new runtime
    end = track(ext, [(0, CONNECTED), (99.5, DISCONNECTED)])
    assert end[1]["events"][0]["atLifetimeEnd"] is True


def test_a_stale_record_starts_a_new_runtime(ext: ExtensionBrowser) -> None:
    out = track(ext, [(0, CONNECTED), (10, CONNECTED), (71, CONNECTED)])  # idle timeout 60 s
    assert [step["startedAt"] for step in out] == [0, 0, 71000]


def test_the_page_estimate_wins_only_when_earlier(ext: ExtensionBrowser) -> None:
    early = dict(CONNECTED, remaining_estimate_s=30)
    late = dict(CONNECTED, remaining_estimate_s=500)
    assert track(ext, [(0, early)])[0]["left"] == 30
    assert track(ext, [(0, late)])[0]["left"] == 100


def test_badge_text_and_colour(ext: ExtensionBrowser) -> None:
    got = ext.call(
        "const s = cwxSettings(args[0]);"
        "return [7200, 3599, 61, 59, 20, -5, null].map((left) => cwxBadge(left, s));",
        SETTINGS,
    )
    assert [b["text"] for b in got] == ["2h", "59m", "1m", "59s", "20s", "0s", ""]
    assert [b["red"] for b in got] == [False, False, False, False, True, True, False]


def work_events(out: list[Any]) -> list[list[tuple[str, Any]]]:
    """Each step's finished/crashed events as (kind, seconds it ran | the page's text)."""
    return [
        [
            (e["kind"], e["ran"] if e["kind"] == "finished" else e["text"])
            for e in step["events"]
            if e["kind"] in ("finished", "crashed")
        ]
        for step in out
    ]


def test_a_run_that_finishes_is_announced_once_with_its_length(ext: ExtensionBrowser) -> None:
    # Timed from the first tick that saw it running, then from the page's elapsed time.
    steps = [(0, busy()), (5, busy()), (12, busy()), (13, IDLE), (14, IDLE)]
    steps += [(20, busy(3)), (30, busy(13)), (31, IDLE), (32, IDLE)]
    assert work_events(track(ext, steps)) == [
        [],
        [],
        [],
        [("finished", 12)],
        [],
        [],
        [],
        [("finished", 13)],  # from 17 s (20 - 3) to the last busy tick at 30 s
        [],
    ]


def test_a_short_run_and_unreadable_ticks_announce_nothing(ext: ExtensionBrowser) -> None:
    assert work_events(track(ext, [(0, busy()), (9, busy()), (10, IDLE)])) == [[], [], []]
    # Connecting, unknown, or no execution indicator: nothing changes, the run goes on.
    connecting = {"state": "connecting", "captcha": False, "busy": False}
    unknown = {"state": "unknown", "captcha": False, "busy": False}
    steps = [(0, busy()), (12, busy()), (13, connecting), (14, unknown)]
    steps += [(15, dict(CONNECTED, busy=None)), (16, IDLE)]
    assert work_events(track(ext, steps)) == [[], [], [], [], [], [("finished", 12)]]


def test_a_run_that_ended_between_two_ticks_is_still_announced(ext: ExtensionBrowser) -> None:
    steps = [(0, busy(0)), (15, busy(15)), (40, busy(3)), (55, busy(18)), (56, IDLE)]
    assert work_events(track(ext, steps)) == [[], [], [("finished", 15)], [], [("finished", 18)]]


def test_a_crash_is_announced_once_per_message_and_ends_the_run(ext: ExtensionBrowser) -> None:
    crash = dict(CONNECTED, busy=False, notice=CRASH)
    connecting = {"state": "connecting", "captcha": False, "notice": None}
    steps = [(0, busy()), (20, busy()), (21, crash), (22, crash), (23, connecting)]
    steps += [(24, crash), (25, IDLE), (26, crash)]
    text = CRASH["text"]
    assert work_events(track(ext, steps)) == [
        [],
        [],
        [("crashed", text)],
        [],
        [],
        [],  # the same message after a connecting tick: the same episode
        [],  # the message went away; the crash ended the run, so no "finished"
        [("crashed", text)],  # a new message
    ]


def test_a_disconnect_forgets_the_run(ext: ExtensionBrowser) -> None:
    steps = [(0, busy()), (20, busy()), (21, DISCONNECTED), (22, IDLE)]
    assert work_events(track(ext, steps)) == [[], [], [], []]


def test_finished_after_falls_back_to_the_default_when_bad(ext: ExtensionBrowser) -> None:
    got = ext.call(
        "return [cwxSettings(null), cwxSettings({finishedAfter: -1}),"
        " cwxSettings({finishedAfter: 0})].map((s) => s.finishedAfter);"
    )
    assert got == [120, 120, 0]  # the daemon's WATCHDOG_FINISHED_AFTER default, 2m
