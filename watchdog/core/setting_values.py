"""The settings' values, pure: names, what each field accepts, and the parsers and
validators of their text (durations, lists, apprise URLs, selectors, percentages).

The pydantic-settings model that reads WATCHDOG_* variables and `.env` with them is
`watchdog.cli.settings.Settings`; the loader that turns its errors into one line is
`watchdog.cli.config.load_settings`. Each function raises ValueError with the reason shown
to the user.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from watchdog.core.durations import (
    ACCEPTED as DURATION_ACCEPTED,
)
from watchdog.core.durations import (
    parse_duration,
    parse_duration_list,
)
from watchdog.core.redact import redacted_url
from watchdog.core.urls import (
    ATTACH_ADDRESS_ACCEPTED,
    MAX_URL_LENGTH,
    too_long,
    validate_notebook_url,
)

ENV_PREFIX = "WATCHDOG_"
SELECTOR_KEYS = ("connect", "connected", "dialog", "captcha", "busy")
LOG_LEVELS = ("TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL")
BrowserMode = Literal["launch", "attach", "remote"]
InputMode = Literal["browser", "page"]
KeepAliveMode = Literal["always", "while-busy"]


# What each field accepts, for error messages whose reason comes from pydantic itself.
ACCEPTED: dict[str, str] = {
    "notebooks": "http(s) notebook URLs separated by commas or spaces",
    "interval": DURATION_ACCEPTED,
    "idle_timeout": DURATION_ACCEPTED,
    "max_lifetime": DURATION_ACCEPTED,
    "warn_before": f"durations separated by commas, each {DURATION_ACCEPTED}; or 'none'",
    "reconnect": "true or false",
    "input": "browser (input the browser generates) or page (events the page dispatches)",
    "browser": "launch, attach or remote",
    "attach_address": ATTACH_ADDRESS_ACCEPTED,
    "remote_url": "an http(s) WebDriver/Selenium Grid URL, such as http://127.0.0.1:4444",
    "headless": "true or false",
    "chrome_binary": "a path to the Chrome/Chromium executable",
    "chromedriver": "a path to the chromedriver executable",
    "profile_dir": "a directory path",
    "state_file": "a file path",
    "notify": "apprise URLs (scheme://...) separated by commas or spaces",
    "selectors": "a path to a JSON file {key: [CSS selectors]} with keys from "
    + ", ".join(SELECTOR_KEYS),
    "log_level": ", ".join(LOG_LEVELS),
    "log_file": "a file path",
    "log_json": "true or false",
    "notebooks_per_session": "a whole number >= 0 (0 = all notebooks in one browser session)",
    "allow_remote_attach": "true or false",
    "allow_driver_download": "true or false",
    "finished_after": DURATION_ACCEPTED,
    "memory_warn": "a percentage of RAM such as 90% (from 1% to 100%)",
    "keep_alive": "always or while-busy",
    "idle_grace": DURATION_ACCEPTED,
}


SECRET_FIELDS = frozenset({"notify"})


class FieldConflict(ValueError):
    """Two or more settings disagree. `template` names them as `{field}` placeholders.

    The loader fills each placeholder with the variable (`WATCHDOG_INTERVAL`) or the flag
    (`--interval`) the value came from, so the one-line error names what the user typed.
    """

    def __init__(self, fields: tuple[str, ...], template: str) -> None:
        self.fields = fields
        self.template = template
        super().__init__(template.format(**{f: env_name(f) for f in fields}))

    def render(self, names: dict[str, str]) -> str:
        """The message with each `{field}` replaced by `names[field]`."""
        return self.template.format(**{f: names.get(f, env_name(f)) for f in self.fields})


class FieldValueError(ValueError):
    """A bad value of one field, found by a model check (the selectors file is read there,
    once). The loader renders it like a field's own error: `WATCHDOG_X='value': reason`."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        super().__init__(reason)


def env_name(field: str) -> str:
    """The environment variable of a settings field: `interval` -> `WATCHDOG_INTERVAL`."""
    return ENV_PREFIX + field.upper()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def duration_value(value: Any) -> Any:
    if isinstance(value, str):
        return parse_duration(value)
    return value  # numbers go through pydantic's float validation


def split_list(value: Any) -> Any:
    """Comma/whitespace-separated text (or a JSON list) -> list of str; lists pass through."""
    if is_blank(value):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a valid JSON list ({exc.msg})") from None
        return [item for item in re.split(r"[,\s]+", text) if item]
    return value


def notebook_list(value: Any) -> Any:
    items = split_list(value)
    if not isinstance(items, list | tuple):
        return items
    return [validate_notebook_url(str(item)) for item in items]


def warn_before_list(value: Any) -> Any:
    if is_blank(value):
        return ()
    if isinstance(value, str):
        if value.strip().lower() in ("none", "off"):
            return ()
        return parse_duration_list(value)
    if isinstance(value, list | tuple):
        seconds: set[float] = set()
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise ValueError(f"use {ACCEPTED['warn_before']}")
            seconds.add(float(duration_value(item)))
        return tuple(sorted(seconds, reverse=True))
    return value


APPRISE_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S")


def split_notify(text: str) -> list[str]:
    """One `WATCHDOG_NOTIFY` / `--notify` value -> its apprise URLs, in order.

    Items are separated by whitespace or commas. A comma stays inside a URL only in its query
    (`mailto://...?to=a@x,b@y`) and only when what follows does not start a new `scheme://`.
    """
    urls: list[str] = []
    for word in text.split():
        current = ""
        for part in word.split(","):
            if current and "?" in current and not APPRISE_SCHEME.match(part):
                current += "," + part
                continue
            if current:
                urls.append(current)
            current = part
        if current:
            urls.append(current)
    return [url for url in urls if url]


def check_notify_items(urls: list[str]) -> list[str]:
    """`urls` when each looks like an apprise URL (scheme://...); else ValueError naming the
    first bad item by its position and its redacted form (URLs are secrets)."""
    for position, url in enumerate(urls, start=1):
        if len(url) > MAX_URL_LENGTH:
            raise ValueError(f"item {position}: {too_long(url)}")
        if not APPRISE_SCHEME.match(url):
            raise ValueError(
                f"item {position} ({redacted_url(url)}) is not an apprise URL: use "
                "scheme://... such as ntfy://TOPIC, tgram://TOKEN/CHAT_ID or json://HOST/PATH"
            )
    return urls


def optional_text(value: Any) -> Any:
    return None if is_blank(value) else value


def validate_selector_map(data: Any, source: str = "selectors") -> dict[str, list[str]]:
    """Check the shape {key: [css, ...]} with keys from SELECTOR_KEYS; returns a clean copy."""
    if not isinstance(data, dict):
        raise ValueError(f"{source!r} must hold a JSON object with keys from {SELECTOR_KEYS}")
    unknown = sorted(set(data) - set(SELECTOR_KEYS))
    if unknown:
        raise ValueError(
            f"{source!r} has unknown key(s) {', '.join(map(repr, unknown))}: "
            f"use {', '.join(SELECTOR_KEYS)}"
        )
    clean: dict[str, list[str]] = {}
    for key, selectors in data.items():
        if not isinstance(selectors, list) or not all(
            isinstance(s, str) and s.strip() for s in selectors
        ):
            raise ValueError(
                f"{source!r}: {key!r} must be a list of non-empty CSS selector strings"
            )
        clean[key] = [s.strip() for s in selectors]
    return clean


def percent_value(value: Any) -> Any:
    """`90%` or `90` -> 0.9; a fraction such as 0.9 passes as is."""
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"use {ACCEPTED['memory_warn']}") from None
        return number / 100
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 1:
        return value / 100
    return value
