"""Where colab-watchdog keeps its files on each OS: browser profile, state file, logs.

Linux (and other Unix) keeps the XDG locations it has always used, so nothing moves:

    profile  $XDG_DATA_HOME/colab-watchdog/profile      (~/.local/share/...)
    state    $XDG_STATE_HOME/colab-watchdog/state.json  (~/.local/state/...)
    logs     $XDG_STATE_HOME/colab-watchdog/log

macOS and Windows use their own conventions, as `platformdirs` gives them:

    macOS    ~/Library/Application Support/colab-watchdog/{profile,state.json}
             ~/Library/Logs/colab-watchdog
    Windows  %LOCALAPPDATA%\\colab-watchdog\\{profile,state.json}
             %LOCALAPPDATA%\\colab-watchdog\\Logs

`paths_for(host)` computes them from a `Host` (so tests cover every OS anywhere);
`default_paths()` is what the running program uses: platformdirs itself on macOS and
Windows. The unit tests check on each OS they run on that the two agree.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath

from watchdog.core.host import Host

APP_NAME = "colab-watchdog"


@dataclass(frozen=True)
class AppPaths:
    """The default locations. `attach_profile_dir` is the dedicated profile that
    `attach-command` starts Chrome on (Chrome refuses a debugging port on the default one)."""

    profile_dir: PurePath
    state_file: PurePath
    log_dir: PurePath
    attach_profile_dir: PurePath


def _app_dirs(host: Host) -> tuple[PurePath, PurePath, PurePath]:
    """(data dir, state dir, log dir) of the app on `host`."""
    home = host.home_path
    if host.family == "windows":
        local = host.env_path("LOCALAPPDATA") or home / "AppData" / "Local"
        data = local / APP_NAME
        return data, data, data / "Logs"
    if host.family == "macos":
        support = home / "Library" / "Application Support"
        data = (host.env_path("XDG_DATA_HOME") or support) / APP_NAME
        state = (host.env_path("XDG_STATE_HOME") or support) / APP_NAME
        return data, state, home / "Library" / "Logs" / APP_NAME
    data = (host.env_path("XDG_DATA_HOME") or home / ".local" / "share") / APP_NAME
    state = (host.env_path("XDG_STATE_HOME") or home / ".local" / "state") / APP_NAME
    return data, state, state / "log"


def paths_for(host: Host) -> AppPaths:
    """The default profile, state file and log directory on `host`."""
    data, state, logs = _app_dirs(host)
    return AppPaths(
        profile_dir=data / "profile",
        state_file=state / "state.json",
        log_dir=logs,
        attach_profile_dir=data / "attach-profile",
    )


def current_host() -> Host:
    """The machine this process runs on."""
    return Host(platform=sys.platform, env=dict(os.environ), home=str(Path.home()))


def default_paths() -> AppPaths:
    """`paths_for` the running machine; on macOS and Windows the folders come from
    platformdirs (which asks Windows for its known folders instead of reading variables)."""
    host = current_host()
    computed = paths_for(host)
    if host.family == "linux":
        return computed
    import platformdirs  # noqa: PLC0415 lazy: not needed on Linux

    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    data, state = Path(dirs.user_data_dir), Path(dirs.user_state_dir)
    return AppPaths(
        profile_dir=data / "profile",
        state_file=state / "state.json",
        log_dir=Path(dirs.user_log_dir),
        attach_profile_dir=data / "attach-profile",
    )
