"""The one settings model: WATCHDOG_* environment variables, a `.env` file, and flags.

Priority (pydantic-settings): init kwargs (the CLI's flags) > environment > `.env` in the
working directory > defaults. Load it through `watchdog.cli.config.load_settings`, which turns a
`ValidationError` into a one-line `ConfigError`. `.env.example` lists every field with its default
(tests/unit/test_env_example.py keeps the two in sync).

Durations are stored as float seconds and accept the syntax of `watchdog.core.durations`
(`90m`, `1h30m`, `500ms`, bare seconds). List fields accept comma- or whitespace-separated text
from the environment (or a JSON list), and lists from init kwargs. An empty variable means
"use the default".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from watchdog.core.durations import (
    ACCEPTED as DURATION_ACCEPTED,
)
from watchdog.core.durations import (
    format_duration,
    parse_duration,
    parse_duration_list,
)
from watchdog.core.redact import MIN_PASSWORD_FRAGMENT, redacted_url
from watchdog.core.urls import (
    ATTACH_ADDRESS_ACCEPTED,
    MAX_URL_LENGTH,
    parse_attach_address,
    split_userinfo,
    too_long,
    validate_notebook_url,
)
from watchdog.paths import default_paths

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


def default_profile_dir() -> Path:
    """The OS's data folder /colab-watchdog/profile (watchdog.paths): on Linux
    $XDG_DATA_HOME/colab-watchdog/profile, else ~/.local/share/colab-watchdog/profile."""
    return Path(default_paths().profile_dir)


def default_state_file() -> Path:
    """The OS's state folder /colab-watchdog/state.json (watchdog.paths): on Linux
    $XDG_STATE_HOME/colab-watchdog/state.json, else ~/.local/state/colab-watchdog/state.json."""
    return Path(default_paths().state_file)


# ----------------------------------------------------------------------------- validators


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _duration(value: Any) -> Any:
    if isinstance(value, str):
        return parse_duration(value)
    return value  # numbers go through pydantic's float validation


def _split_list(value: Any) -> Any:
    """Comma/whitespace-separated text (or a JSON list) -> list of str; lists pass through."""
    if _is_blank(value):
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


def _notebooks(value: Any) -> Any:
    items = _split_list(value)
    if not isinstance(items, list | tuple):
        return items
    return [validate_notebook_url(str(item)) for item in items]


def _warn_before(value: Any) -> Any:
    if _is_blank(value):
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
            seconds.add(float(_duration(item)))
        return tuple(sorted(seconds, reverse=True))
    return value


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S")


def split_notify(text: str) -> list[str]:
    """One `WATCHDOG_NOTIFY` / `--notify` value -> its apprise URLs, in order.

    Items are separated by whitespace or commas. A comma stays inside a URL only in its query
    (`mailto://...?to=a@x,b@y`) and only when what follows does not start a new `scheme://`.
    """
    urls: list[str] = []
    for word in text.split():
        current = ""
        for part in word.split(","):
            if current and "?" in current and not _SCHEME.match(part):
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
        if not _SCHEME.match(url):
            raise ValueError(
                f"item {position} ({redacted_url(url)}) is not an apprise URL: use "
                "scheme://... such as ntfy://TOPIC, tgram://TOKEN/CHAT_ID or json://HOST/PATH"
            )
    return urls


def _notify(value: Any) -> Any:
    """Apprise URLs. Error messages never include a URL: they are secrets."""
    if _is_blank(value):
        return []
    if isinstance(value, str | SecretStr):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ValueError("expected apprise URLs separated by commas or spaces")
    urls: list[str] = []
    for item in value:
        urls.extend(
            split_notify(item.get_secret_value() if isinstance(item, SecretStr) else str(item))
        )
    return check_notify_items(urls)


def _optional_text(value: Any) -> Any:
    return None if _is_blank(value) else value


def _optional_path(value: Any) -> Any:
    if _is_blank(value):
        return None
    if isinstance(value, str | Path):
        return Path(value).expanduser()
    return value


def _path(value: Any) -> Any:
    if isinstance(value, str | Path) and not _is_blank(value):
        return Path(value).expanduser()
    return value


def load_selector_file(path: Path) -> dict[str, list[str]]:
    """Read and validate a selectors file; returns {key: [css, ...]} (keys from SELECTOR_KEYS).

    Raises ValueError saying what is wrong (unreadable, not JSON, wrong shape).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"file {str(path)!r} does not exist") from None
    except IsADirectoryError:
        raise ValueError(f"{str(path)!r} is a directory, not a JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ValueError(f"cannot read {str(path)!r}: {reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{str(path)!r} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    return validate_selector_map(data, str(path))


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


Duration = Annotated[float, BeforeValidator(_duration)]


def _percent(value: Any) -> Any:
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


class Settings(BaseSettings):
    """Every setting of colab-watchdog. Field `x` is the variable `WATCHDOG_X`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        validate_default=True,
    )

    notebooks: Annotated[list[str], NoDecode, BeforeValidator(_notebooks)] = Field(
        default_factory=list, description="notebook URLs to keep alive"
    )
    interval: Duration = Field(60.0, description="time between two ticks of one notebook")
    idle_timeout: Duration = Field(5400.0, description="Colab's idle timeout (90m)")
    max_lifetime: Duration = Field(43200.0, description="Colab's maximum runtime lifetime (12h)")
    warn_before: Annotated[tuple[float, ...], NoDecode, BeforeValidator(_warn_before)] = Field(
        (3600.0, 1800.0, 600.0, 300.0), description="warn this long before the lifetime ends"
    )
    reconnect: bool = Field(False, description="click Connect/Reconnect when disconnected")
    input: InputMode = Field(
        "browser", description="browser: trusted key/pointer input; page: page events"
    )
    browser: BrowserMode = Field("launch", description="launch, attach or remote")
    attach_address: str = Field("127.0.0.1:9222", description="debugging address for attach")
    remote_url: Annotated[str | None, BeforeValidator(_optional_text)] = Field(
        None, description="WebDriver / Selenium Grid URL for remote"
    )
    headless: bool = Field(True, description="run the launched browser without a window")
    chrome_binary: Annotated[Path | None, BeforeValidator(_optional_path)] = None
    chromedriver: Annotated[Path | None, BeforeValidator(_optional_path)] = None
    profile_dir: Annotated[Path, BeforeValidator(_path)] = Field(
        default_factory=default_profile_dir
    )
    state_file: Annotated[Path, BeforeValidator(_path)] = Field(default_factory=default_state_file)
    notify: Annotated[list[SecretStr], NoDecode, BeforeValidator(_notify)] = Field(
        default_factory=list, description="apprise URLs for alerts (secret)"
    )
    selectors: Annotated[Path | None, BeforeValidator(_optional_path)] = None
    log_level: str = "INFO"
    log_file: Annotated[Path | None, BeforeValidator(_optional_path)] = None
    log_json: bool = False
    notebooks_per_session: int = Field(0, ge=0)
    allow_remote_attach: bool = False
    allow_driver_download: bool = True
    finished_after: Duration = Field(120.0, description="a run this long that ends alerts")
    memory_warn: Annotated[float, BeforeValidator(_percent)] = Field(
        0.9, description="alert when RAM use reaches this fraction"
    )
    keep_alive: KeepAliveMode = Field("always", description="always or while-busy")
    idle_grace: Duration = Field(3600.0, description="while-busy: release after this idle time")

    _selector_map: dict[str, list[str]] | None = PrivateAttr(default=None)

    @field_validator("interval", "idle_timeout", "max_lifetime")
    @classmethod
    def _positive(cls, value: float) -> float:
        if not value > 0:
            raise ValueError(f"must be longer than 0: use {DURATION_ACCEPTED}")
        return value

    @field_validator("warn_before")
    @classmethod
    def _positive_margins(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(not margin > 0 for margin in value):
            raise ValueError(f"every margin must be longer than 0: use {ACCEPTED['warn_before']}")
        return value

    @field_validator("memory_warn")
    @classmethod
    def _fraction(cls, value: float) -> float:
        if not 0.01 <= value <= 1.0:
            raise ValueError(f"use {ACCEPTED['memory_warn']}")
        return value

    @field_validator("finished_after", "idle_grace")
    @classmethod
    def _not_negative(cls, value: float) -> float:
        if value < 0:
            raise ValueError(f"must not be negative: use {DURATION_ACCEPTED}")
        return value

    @field_validator("keep_alive", mode="before")
    @classmethod
    def _keep_alive(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("attach_address")
    @classmethod
    def _address(cls, value: str) -> str:
        value = value.strip()
        try:
            parse_attach_address(value, allow_remote=True)
        except ValueError:
            raise ValueError(f"use {ACCEPTED['attach_address']}") from None
        return value

    @field_validator("remote_url")
    @classmethod
    def _remote(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return validate_notebook_url(value)
        except ValueError:
            raise ValueError(f"use {ACCEPTED['remote_url']}") from None

    @field_validator("browser", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if isinstance(value, str) and not _is_blank(value):
            level = value.strip().upper()
            if level == "WARN":
                level = "WARNING"
            if level not in LOG_LEVELS:
                raise ValueError(f"use one of {', '.join(LOG_LEVELS)}")
            return level
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.selectors is not None:  # read here only: the map is kept for selector_map()
            try:
                self._selector_map = load_selector_file(self.selectors)
            except ValueError as exc:
                raise FieldValueError("selectors", self.selectors, str(exc)) from None
        if self.interval >= self.idle_timeout:
            raise FieldConflict(
                ("interval", "idle_timeout"),
                f"{{interval}} ({format_duration(self.interval)}) must be shorter than "
                f"{{idle_timeout}} ({format_duration(self.idle_timeout)}), or the runtime "
                "idles out between two ticks",
            )
        too_long = [m for m in self.warn_before if m >= self.max_lifetime]
        if too_long:
            raise FieldConflict(
                ("warn_before", "max_lifetime"),
                f"{{warn_before}} margin {format_duration(too_long[0])} must be shorter than "
                f"{{max_lifetime}} ({format_duration(self.max_lifetime)})",
            )
        if self.browser == "remote" and self.remote_url is None:
            raise FieldConflict(
                ("browser", "remote_url"),
                "{browser}=remote needs {remote_url}: set it to the WebDriver/Selenium Grid URL, "
                "such as http://127.0.0.1:4444",
            )
        try:
            parse_attach_address(
                self.attach_address, allow_remote=self.allow_remote_attach, name="{attach_address}"
            )
        except ValueError as exc:
            raise FieldConflict(("attach_address", "allow_remote_attach"), str(exc)) from None
        return self

    # ----------------------------------------------------------------------- accessors

    def selector_map(self) -> dict[str, list[str]] | None:
        """The validated extra selectors (engine `options.selectors`), or None without a file."""
        if self._selector_map is None:
            return None
        return {key: list(values) for key, values in self._selector_map.items()}

    def notify_urls(self) -> list[str]:
        """The apprise URLs in clear text: pass them only to the notifier, never to a log."""
        return [url.get_secret_value() for url in self.notify]

    def secrets(self) -> list[str]:
        """Every secret value (for the log redactor): the apprise URLs, and the credentials
        of a WebDriver URL such as http://user:PASSWORD@grid:4444 (as typed and decoded)."""
        userinfo = split_userinfo(self.remote_url or "")[1] or ""
        password = userinfo.partition(":")[2]
        forms = {userinfo, password, unquote(userinfo), unquote(password)}
        # shorter ones would mask ordinary words of the log
        return self.notify_urls() + sorted(f for f in forms if len(f) >= MIN_PASSWORD_FRAGMENT)
