"""The one exception tree of colab-watchdog, and the exit codes.

    WatchdogError                 base; `hint` says how to fix it
    ├── ConfigError               bad input: settings, flags, files (exit 2)
    ├── BrowserError              raised only by the browser adapter, translated from Selenium
    │   ├── BrowserUnavailable    no browser/driver could be started or reached (exit 2 at start)
    │   ├── BrowserLost           browser or driver died, remote node dead: recreate the driver
    │   ├── TabLost               the notebook tab is gone or navigated away: reopen it
    │   │   ├── PageUnreachable   the page did not load (net::ERR_*, server down): reopen the
    │   │   │                     tab with backoff; the browser itself is fine
    │   │   ├── SignedOut         the tab landed on a sign-in page: a person must sign in
    │   │   └── PageHung          the page did not answer by the tick's deadline (a loop):
    │   │                         its tab is replaced at the next try, with backoff
    │   └── PageScriptError       the engine threw inside the page: a failed tick, nothing more
    ├── NotifyError               one alert channel failed; `permanent` says whether to retry
    └── StateError                the state file cannot be read or written

Vendor exceptions (Selenium, urllib3, apprise, OSError) are translated once, at the adapter
boundary, with `raise ... from exc`. Nothing outside the adapters branches on their messages.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes. `main()` is the only place that turns exceptions into these."""

    OK = 0
    FAILURE = 1  # a check failed: `--once` saw an unreachable notebook, `status --check` is stale
    USAGE = 2  # bad input: settings, flags, files; nothing was changed
    INTERRUPTED = 130  # Ctrl+C in a terminal


class WatchdogError(Exception):
    """Base of every error colab-watchdog raises on purpose."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class ConfigError(WatchdogError):
    """Bad input. The message names the variable or flag, the bad value, and what is accepted."""

    exit_code = ExitCode.USAGE


class BrowserError(WatchdogError):
    """A browser failure, already translated from Selenium at the adapter boundary."""


class BrowserUnavailable(BrowserError):
    """No browser or driver could be started or reached."""

    exit_code = ExitCode.USAGE


class BrowserLost(BrowserError):
    """The browser, its driver or the remote node is gone; the driver must be recreated."""


class TabLost(BrowserError):
    """The notebook's tab was closed or navigated away; the tab must be reopened.

    `landed` is the address the tab showed instead, when known.
    """

    def __init__(self, message: str, *, hint: str | None = None, landed: str | None = None):
        super().__init__(message, hint=hint)
        self.landed = landed


class PageUnreachable(TabLost):
    """Navigating the tab failed (connection refused, DNS, ...): retry with backoff, never
    recreate the browser for it."""


class SignedOut(TabLost):
    """The tab landed on Google's sign-in page (or Colab's signed-out page): the profile is
    signed out. Reopening cannot help; retried with backoff, alerted once."""


class PageHung(TabLost):
    """The page did not answer within the tick's deadline (a script stuck in a loop) while
    the browser did: the tab is replaced when the notebook is next tried (with backoff),
    never at once."""


class PageScriptError(BrowserError):
    """The engine threw inside the page. Counted as a failed tick; nothing is recreated."""


class NotifyError(WatchdogError):
    """One alert channel failed. Transient failures are retried with a bound; permanent are not."""

    def __init__(self, message: str, *, permanent: bool, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.permanent = permanent


class StateError(WatchdogError):
    """The state file cannot be read or written."""
