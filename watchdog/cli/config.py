"""Load the settings for a command; turn every validation problem into ONE line.

    settings = load_settings({"interval": args.interval, "reconnect": args.reconnect})

`overrides` are the command's flags (None values mean "flag not given" and are dropped); they
win over the environment and `.env`. A bad value raises `ConfigError` (exit 2) whose message
names the flag (`--interval`) when the value came from a flag, else the variable
(`WATCHDOG_INTERVAL`), shows the bad value (never a secret's: `<redacted>`), and says what is
accepted.
"""

from __future__ import annotations

import difflib
import io
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dotenv.parser import parse_stream
from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_settings import SettingsError

from watchdog.cli.settings import Settings
from watchdog.core.setting_values import (
    ACCEPTED,
    ENV_PREFIX,
    SECRET_FIELDS,
    FieldConflict,
    FieldValueError,
    env_name,
)
from watchdog.core.urls import split_userinfo
from watchdog.errors import ConfigError

_MAX_SHOWN = 120

# python-dotenv warns about an unparseable line through stdlib logging, without the file's
# name; settings_warnings() says it once, with the file and the line.
logging.getLogger("dotenv.main").setLevel(logging.ERROR)


def load_settings(
    overrides: dict[str, Any] | None = None,
    *,
    flag_names: dict[str, str] | None = None,
    env_file: Path | None = Path(".env"),
    warn: bool = True,
) -> Settings:
    """Build the Settings from flags (`overrides`), the environment, `.env` and defaults.

    `flag_names` maps a field to the flag that set it when it is not `--field-name`
    (for example {"browser": "--attach"}). `env_file` is read relative to the working directory;
    None skips it. With `warn`, a misspelled `WATCHDOG_*` name or an unparseable `.env` line
    gets one warning on stderr (see settings_warnings). Raises ConfigError with a one-line
    message for any bad or inconsistent value, and for a `.env` that exists but cannot be
    read.
    """
    given = {key: value for key, value in (overrides or {}).items() if value is not None}
    unknown = sorted(set(given) - set(Settings.model_fields))
    if unknown:
        raise TypeError(f"load_settings: unknown setting(s) {unknown}")
    if env_file is not None:
        _check_env_file(env_file)
    for warning in settings_warnings(os.environ, env_file) if warn else []:
        _warn_once(warning)
    names = _source_names(given, flag_names or {}, env_file)
    try:
        return Settings(_env_file=env_file, **given)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ConfigError(_one_line(exc.errors()[0], names)) from None
    except SettingsError as exc:
        raise ConfigError(f"cannot read the settings: {exc}") from None


# Variables of the WATCHDOG_ namespace that are not ours: systemd's service watchdog.
FOREIGN = frozenset({"WATCHDOG_USEC", "WATCHDOG_PID"})
_warned: set[str] = set()


def settings_warnings(environ: Mapping[str, str], env_file: Path | None) -> list[str]:
    """Warnings about settings that would be silently ignored: a `WATCHDOG_*` name that is no
    setting (with the closest valid name), in the environment or in `env_file`, and an
    `env_file` line that python-dotenv cannot parse (by file and line number)."""
    known = {env_name(field) for field in Settings.model_fields}
    found: list[tuple[str, str]] = [(key, "the environment") for key in environ]
    warnings: list[str] = []
    if env_file is not None and env_file.is_file():
        shown = str(env_file)
        text = env_file.read_text(encoding="utf-8")
        for binding in parse_stream(io.StringIO(text)):
            if binding.error:
                line = binding.original.string.strip()
                warnings.append(
                    f"{shown} line {binding.original.line}: cannot parse {line[:40]!r} "
                    "(use NAME=value); the line is ignored"
                )
            elif binding.key is not None:
                found.append((binding.key, f"{shown} line {binding.original.line}"))
    for key, where in found:
        upper = key.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known or upper in FOREIGN:
            continue
        close = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=0.6)
        fix = f"did you mean {close[0]}?" if close else "see .env.example for the settings"
        warnings.append(f"{key} ({where}) is not a setting and is ignored: {fix}")
    return warnings


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        sys.stderr.write(f"colab-watchdog: warning: {message}\n")


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
        userinfo = split_userinfo(value)[1]
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
