"""Alert rendering: title words, notebook, remaining time, deadline, what to do."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from tests.alerts.conftest import URL
from tests.fakes import T0
from watchdog.core.alert_text import KIND_WORDS, render
from watchdog.core.alerts import AlertEvent


def event(kind: str = "lifetime-warning", **kw: object) -> AlertEvent:
    base: dict[str, object] = {
        "kind": kind,
        "key": f"s:{kind}",
        "url": URL,
        "title": "My training",
        "at": T0,
        "remaining_s": 7530.0,
        "deadline": T0 + timedelta(seconds=7530),
        "deadline_source": "max_lifetime",
        "margin_s": 7200.0,
    }
    base.update(kw)
    return AlertEvent(**base)  # type: ignore[arg-type]


def test_lifetime_warning_title_and_body() -> None:
    title, body = render(event())
    assert title.startswith("Colab watchdog: lifetime warning")
    assert "2h 05m" in title
    assert "My training" in body
    assert URL in body
    assert "2h 05m" in body
    assert "2026-11-26T14:05:30Z" in body
    assert "Thu 26 Nov 14:05 UTC" in body
    assert "save a checkpoint now" in body.lower()
    assert "WATCHDOG_MAX_LIFETIME" in body


def test_readable_deadline_uses_the_given_zone() -> None:
    _, body = render(event(), tz=timezone(timedelta(hours=1), "CET"))
    assert "2026-11-26T14:05:30Z (Thu 26 Nov 15:05 CET)" in body


def test_estimate_source_is_named() -> None:
    _, body = render(event(deadline_source="colab-estimate"))
    assert "Colab's own estimate" in body


@pytest.mark.parametrize("kind", sorted(KIND_WORDS))
def test_every_kind_names_itself_in_words(kind: str) -> None:
    title, body = render(event(kind))
    assert title.startswith(f"Colab watchdog: {KIND_WORDS[kind]}")  # type: ignore[index]
    assert "-" not in KIND_WORDS[kind].replace("keep-alive", "")  # type: ignore[index]
    assert "What to do:" in body
    assert URL in body


def test_event_without_session_has_no_deadline_line() -> None:
    title, body = render(
        event("captcha", remaining_s=None, deadline=None, deadline_source=None, title=None)
    )
    assert title == f"Colab watchdog: captcha ({URL})"
    assert "Deadline" not in body
    assert "(untitled)" in body


def test_keepalive_failing_says_idle_time() -> None:
    _, body = render(event("keepalive-failing", remaining_s=300.0, deadline_source="idle_timeout"))
    assert "Idle time remaining: 5m 00s" in body
