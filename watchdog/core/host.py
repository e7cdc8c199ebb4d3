"""The machine the watchdog runs on, as plain data: its platform, environment and home.

Everything that differs between Linux, macOS and Windows (default paths, where browsers are
installed, driver file names, signals, shell quoting) is a function of a `Host`, so unit
tests on any OS can exercise all three by building a Host by hand. The CLI builds the real
one (`watchdog.paths.current_host`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

Family = Literal["linux", "macos", "windows"]


def family_of(platform: str) -> Family:
    """`sys.platform` -> the OS family: darwin is macOS, win32/cygwin Windows, else Linux
    (the BSDs follow the Linux/XDG conventions)."""
    if platform == "darwin":
        return "macos"
    if platform in ("win32", "cygwin"):
        return "windows"
    return "linux"


@dataclass(frozen=True)
class Host:
    """`platform` is a `sys.platform` value; `env` the process environment; `home` the
    user's home directory as that OS writes it."""

    platform: str
    env: Mapping[str, str] = field(default_factory=dict)
    home: str = ""

    @property
    def family(self) -> Family:
        return family_of(self.platform)

    def path(self, *parts: str) -> PurePath:
        """A path in this host's flavour (backslashes on Windows)."""
        if self.family == "windows":
            return PureWindowsPath(*parts)
        return PurePosixPath(*parts)

    def getenv(self, name: str) -> str:
        """The variable `name` ("" when unset); case-insensitive on Windows, as there."""
        if self.family != "windows":
            return self.env.get(name, "")
        wanted = name.upper()
        return next((v for k, v in self.env.items() if k.upper() == wanted), "")

    def env_path(self, name: str) -> PurePath | None:
        """The variable `name` as a path; None when unset or blank."""
        value = self.getenv(name).strip()
        return self.path(value) if value else None

    @property
    def home_path(self) -> PurePath:
        return self.path(self.home)

    @property
    def path_entries(self) -> list[str]:
        """The directories of PATH, split with this OS's separator."""
        sep = ";" if self.family == "windows" else ":"
        return [entry.strip('"') for entry in self.getenv("PATH").split(sep) if entry]
