"""Load the settings for a command; turn every validation problem into ONE line.

    settings = load_settings({"interval": args.interval, "reconnect": args.reconnect})

`overrides` are the command's flags (None values mean "flag not given" and are dropped); they
win over the environment and `.env`. A bad value raises `ConfigError` (exit 2) whose message
names the flag (`--interval`) when the value came from a flag, else the variable
(`WATCHDOG_INTERVAL`), shows the bad value (never a secret's: `<redacted>`), and says what is
accepted.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import SettingsError

from watchdog.errors import ConfigError
from watchdog.settings import (
    ACCEPTED,
    SECRET_FIELDS,
    FieldConflict,
    FieldValueError,
    Settings,
    env_name,
    remote_userinfo,
)

_MAX_SHOWN = 120


def load_settings(
    overrides: dict[str, Any] | None = None,
    *,
    flag_names: dict[str, str] | None = None,
    env_file: Path | None = Path(".env"),
) -> Settings:
    """Build the Settings from flags (`overrides`), the environment, `.env` and defaults.

    `flag_names` maps a field to the flag that set it when it is not `--field-name`
    (for example {"browser": "--attach"}). `env_file` is read relative to the working directory;
    None skips it. Raises ConfigError with a one-line message for any bad or inconsistent value,
    and for a `.env` that exists but cannot be read.
    """
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    unknown = sorted(set(given) - set(Settings.model_fields))
    if unknown:
        raise TypeError(f"load_settings: unknown setting(s) {unknown}")
    if env_file is not None:
        _check_env_file(env_file)
    names = _source_names(given, flag_names or {}, env_file)
    try:
        return Settings(_env_file=env_file, **given)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ConfigError(_one_line(exc.errors()[0], names)) from None
    except SettingsError as exc:
        raise ConfigError(f"cannot read the settings: {exc}") from None


def _check_env_file(path: Path) -> None:
    """Fail with the file's name when `.env` exists but is not a readable UTF-8 file."""
    if not os.path.lexists(path):
        return
    shown = str(path.absolute())
    if path.is_dir():
        raise ConfigError(f"{shown} is a directory, not a settings file: remove or rename it")
    try:
        path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read the settings file {shown}: {exc.strerror}: fix or remove it"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read the settings file {shown}: it is not UTF-8 text") from None


def _source_names(
    given: dict[str, Any], flags: dict[str, str], env_file: Path | None
) -> dict[str, str]:
    """For each field, the name the user set it by: the flag, or the variable (and where)."""
    environ = {key.upper() for key in os.environ}
    in_dotenv = env_file is not None and env_file.is_file()
    names: dict[str, str] = {}
    for field in Settings.model_fields:
        if field in given:
            names[field] = flags.get(field, "--" + field.replace("_", "-"))
        elif in_dotenv and env_name(field) not in environ:
            names[field] = f"{env_name(field)} (in {env_file})"
        else:
            names[field] = env_name(field)
    return names


def _shown_value(field: str, value: Any) -> str:
    if field in SECRET_FIELDS:
        return "<redacted>"
    if field == "remote_url" and isinstance(value, str):
        userinfo = remote_userinfo(value)
        if userinfo:
            value = value.replace(f"{userinfo}@", "***@", 1)
    if isinstance(value, list | tuple):
        value = ",".join(str(item) for item in value)
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 4] + "...'"


def _one_line(error: ErrorDetails, names: dict[str, str]) -> str:
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, FieldConflict):
        return _flatten(cause.render(names))
    field = str(error["loc"][0]) if error["loc"] else ""
    value = error["input"]
    if isinstance(cause, FieldValueError):
        field, value = cause.field, cause.value
    if field not in names:
        return _flatten(f"invalid settings: {error['msg']}")
    if isinstance(cause, ValueError):
        reason = str(cause)
    else:
        msg = error["msg"]
        reason = msg[:1].lower() + msg[1:]
        if field in ACCEPTED:
            reason += f"; use {ACCEPTED[field]}"
    name = names[field]
    shown = _shown_value(field, value)
    if " (in " in name:  # WATCHDOG_X (in .env): keep the value next to the variable
        variable, _, where = name.partition(" ")
        return _flatten(f"{variable}={shown} {where}: {reason}")
    return _flatten(f"{name}={shown}: {reason}")


def _flatten(text: str) -> str:
    return " ".join(text.split())
