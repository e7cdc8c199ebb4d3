"""The one place Selenium and urllib3 exceptions become watchdog.errors.BrowserError.

situation                          Selenium gives                    we raise
browser killed / crashed           InvalidSessionIdException         BrowserLost
chromedriver killed                urllib3 MaxRetryError, OSError    BrowserLost
remote node dead / slow            urllib3 timeouts                  BrowserLost
tab closed                         NoSuchWindowException             TabLost
tab closed (BiDi)                  WebDriverException "no such frame" TabLost
page did not load (server down)    WebDriverException "net::ERR_..." PageUnreachable (a TabLost)
page script throws / times out     JavascriptException, Timeout      PageScriptError
profile in use, no driver          SessionNotCreated, NoSuchDriver   BrowserUnavailable
anything else from WebDriver       WebDriverException                BrowserLost (recreate)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import urllib3.exceptions
from selenium.common import exceptions as se

from watchdog.errors import (
    BrowserError,
    BrowserLost,
    BrowserUnavailable,
    PageScriptError,
    PageUnreachable,
    TabLost,
)

INSTALL_HINT = "apt-get install chromium chromium-driver, or set WATCHDOG_REMOTE_URL"


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "msg", None) or str(exc) or type(exc).__name__
    return str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__


# First match wins; order matters (InvalidSessionId and NoSuchWindow are WebDriverExceptions).
# A row with a needle matches only when the exception's first line contains it.
_Row = tuple[tuple[type[BaseException], ...], str | None, type[BrowserError], str]
_TABLE: tuple[_Row, ...] = (
    ((se.NoSuchWindowException,), None, TabLost, "tab closed while"),
    # BiDi's answer for a browsing context that is gone.
    ((se.WebDriverException,), "no such frame", TabLost, "tab closed while"),
    (
        (se.JavascriptException, se.TimeoutException),
        None,
        PageScriptError,
        "page script failed while",
    ),
    (
        (se.UnexpectedAlertPresentException,),
        None,
        PageScriptError,
        "a JavaScript alert blocks the page while",
    ),
    ((se.NoSuchDriverException,), None, BrowserUnavailable, "no chromedriver while"),
    ((se.SessionNotCreatedException,), None, BrowserUnavailable, "browser could not start while"),
    ((se.InvalidSessionIdException,), None, BrowserLost, "browser gone while"),
    # chromedriver's answer to a navigation that failed: "unknown error: net::ERR_CONNECTION_
    # REFUSED". The browser is fine; only that page is unreachable for now.
    ((se.WebDriverException,), "net::ERR_", PageUnreachable, "page did not load while"),
    # MaxRetryError (driver killed), ReadTimeoutError (remote node hung), refused sockets.
    ((urllib3.exceptions.HTTPError, OSError), None, BrowserLost, "driver unreachable while"),
    ((se.WebDriverException,), None, BrowserLost, "driver failed while"),
)

_HINTS: dict[type[BaseException], str] = {
    se.NoSuchDriverException: INSTALL_HINT,
    se.SessionNotCreatedException: "close other browsers using the profile, or check that the "
    "Chrome and chromedriver versions match",
}


def translate(exc: BaseException, doing: str) -> BrowserError:
    """Return the BrowserError that `exc` (raised while `doing` something) stands for.

    A BrowserError is returned unchanged; an exception outside the table is re-raised.
    """
    if isinstance(exc, BrowserError):
        return exc
    line = _first_line(exc)
    for types, needle, error, prefix in _TABLE:
        if isinstance(exc, types) and (needle is None or needle in line):
            hint = next((h for t, h in _HINTS.items() if isinstance(exc, t)), None)
            return error(f"{prefix} {doing}: {type(exc).__name__}: {line}", hint=hint)
    raise exc


def connection_reason(exc: BaseException) -> str | None:
    """A short reason ("connection refused", "timed out", ...) when `exc` is a failure to
    reach an HTTP endpoint at all (urllib3's retries exhausted, a refused or unresolved
    socket); None for anything else."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 8:  # MaxRetryError -> NewConnectionError -> ...
        chain.append(seen)
        nested = getattr(seen, "reason", None)
        seen = nested if isinstance(nested, BaseException) else seen.__cause__ or seen.__context__
    reasons = (
        (ConnectionRefusedError, "connection refused"),
        (urllib3.exceptions.NameResolutionError, "host name not found"),
        (urllib3.exceptions.NewConnectionError, "cannot connect"),
        (TimeoutError, "timed out"),
        (urllib3.exceptions.TimeoutError, "timed out"),
    )
    for kind, reason in reasons:  # the most specific first
        if any(isinstance(e, kind) for e in chain):
            return reason
    return None


@contextmanager
def translating(doing: str) -> Iterator[None]:
    """Run a block of WebDriver calls; re-raise anything Selenium throws as a BrowserError."""
    try:
        yield
    except BrowserError:
        raise
    except (se.WebDriverException, urllib3.exceptions.HTTPError, OSError) as exc:
        raise translate(exc, doing) from exc
