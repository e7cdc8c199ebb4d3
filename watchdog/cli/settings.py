"""The one settings model: WATCHDOG_* environment variables, a `.env` file, and flags.

Priority (pydantic-settings): init kwargs (the CLI's flags) > environment > `.env` in the
working directory > defaults. Load it through `watchdog.cli.config.load_settings`, which turns a
`ValidationError` into a one-line `ConfigError`. `.env.example` lists every field with its default
(tests/unit/test_env_example.py keeps the two in sync).

Durations are stored as float seconds and accept the syntax of `watchdog.core.durations`
(`90m`, `1h30m`, `500ms`, bare seconds). List fields accept comma- or whitespace-separated text
from the environment (or a JSON list), and lists from init kwargs. An empty variable means
"use the default".

The pure parsers and validators of the values are in `watchdog.core.setting_values`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
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
)
from watchdog.core.redact import MIN_PASSWORD_FRAGMENT
from watchdog.core.setting_values import (
    ACCEPTED,
    ENV_PREFIX,
    LOG_LEVELS,
    BrowserMode,
    FieldConflict,
    FieldValueError,
    InputMode,
    KeepAliveMode,
    check_notify_items,
    duration_value,
    is_blank,
    notebook_list,
    optional_text,
    percent_value,
    split_notify,
    validate_selector_map,
    warn_before_list,
)
from watchdog.core.urls import (
    parse_attach_address,
    split_userinfo,
    validate_notebook_url,
)
from watchdog.paths import default_paths


def default_profile_dir() -> Path:
    """The OS's data folder /colab-watchdog/profile (watchdog.paths): on Linux
    $XDG_DATA_HOME/colab-watchdog/profile, else ~/.local/share/colab-watchdog/profile."""
    return Path(default_paths().profile_dir)


def default_state_file() -> Path:
    """The OS's state folder /colab-watchdog/state.json (watchdog.paths): on Linux
    $XDG_STATE_HOME/colab-watchdog/state.json, else ~/.local/state/colab-watchdog/state.json."""
    return Path(default_paths().state_file)


def _notify(value: Any) -> Any:
    """Apprise URLs. Error messages never include a URL: they are secrets."""
    if is_blank(value):
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


def _optional_path(value: Any) -> Any:
    if is_blank(value):
        return None
    if isinstance(value, str | Path):
        return Path(value).expanduser()
    return value


def _path(value: Any) -> Any:
    if isinstance(value, str | Path) and not is_blank(value):
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


Duration = Annotated[float, BeforeValidator(duration_value)]


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

    notebooks: Annotated[list[str], NoDecode, BeforeValidator(notebook_list)] = Field(
        default_factory=list, description="notebook URLs to keep alive"
    )
    interval: Duration = Field(60.0, description="time between two ticks of one notebook")
    idle_timeout: Duration = Field(5400.0, description="Colab's idle timeout (90m)")
    max_lifetime: Duration = Field(43200.0, description="Colab's maximum runtime lifetime (12h)")
    warn_before: Annotated[tuple[float, ...], NoDecode, BeforeValidator(warn_before_list)] = Field(
        (3600.0, 1800.0, 600.0, 300.0), description="warn this long before the lifetime ends"
    )
    reconnect: bool = Field(False, description="click Connect/Reconnect when disconnected")
    input: InputMode = Field(
        "browser", description="browser: trusted key/pointer input; page: page events"
    )
    browser: BrowserMode = Field("launch", description="launch, attach or remote")
    attach_address: str = Field("127.0.0.1:9222", description="debugging address for attach")
    remote_url: Annotated[str | None, BeforeValidator(optional_text)] = Field(
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
    memory_warn: Annotated[float, BeforeValidator(percent_value)] = Field(
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
        if isinstance(value, str) and not is_blank(value):
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
