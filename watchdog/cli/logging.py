"""The only place loguru sinks are configured.

`configure_logging(...)` removes loguru's default sink and adds:
- stderr, human-readable (or one JSON object per line with `json=True`);
- optionally a file with rotation, retention and `enqueue=True` (safe from any thread);
- a patcher, applied before every sink, that replaces every secret (the apprise URLs and their
  token parts, see watchdog.core.redact) with `***` in messages, extras and exception text;
- an intercept of stdlib `logging` (Selenium, urllib3 and apprise log there), with Selenium's
  per-command HTTP logger quieted to WARNING and urllib3's retry warnings to ERROR.
`guard_apprise_logging(urls)`, called before an AppriseNotifier is built, keeps apprise's own
logger at WARNING and redacts the alert URLs' secrets in its records at the source.
`diagnose=False` and `backtrace=False` everywhere: loguru's diagnose mode prints variable values
(tokens, URLs) in tracebacks. Call `shutdown_logging()` at exit to flush the file queue.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from loguru import logger

from watchdog.core.redact import fragments_of, redact
from watchdog.errors import ConfigError

if TYPE_CHECKING:
    from loguru import Record

HUMAN_FORMAT = "<green>{time:YYYY-MM-DD HH:mm:ss}</green> | <level>{level: <7}</level> | {message}"
FILE_FORMAT = "{time:YYYY-MM-DDTHH:mm:ss.SSSZZ} | {level: <7} | {name}:{line} | {message}"
FILE_ROTATION = "10 MB"
FILE_RETENTION = 5  # rotated files kept

# Selenium logs every HTTP command at DEBUG; urllib3 warns about each retry of an endpoint
# that is down ("Retrying (Retry(total=2, ...))"): the adapter reports that once, in one line.
QUIET_LOGGERS = {"selenium.webdriver.remote.remote_connection": "WARNING", "urllib3": "ERROR"}


class InterceptHandler(logging.Handler):
    """Send stdlib `logging` records to loguru (the recipe from loguru's README)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level: str | int = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        frame: FrameType | None = inspect.currentframe()
        depth = 0
        while frame is not None:
            filename = frame.f_code.co_filename
            is_logging = filename == logging.__file__
            is_frozen = "importlib" in filename and "_bootstrap" in filename
            if depth > 0 and not (is_logging or is_frozen):
                break
            frame = frame.f_back
            depth += 1
        logger.opt(depth=depth, exception=record.exc_info).log(level, record.getMessage())


class RedactedException(Exception):
    """Stands in for a logged exception whose text held a secret; its text starts with the
    original type's name and has every secret replaced by `***`."""


def make_redactor(secrets: Iterable[str]) -> Any:
    """A loguru patcher that replaces every secret fragment with `***` in a record."""
    fragments = fragments_of(s for s in secrets if s)

    def patch(record: Record) -> None:
        # Even without secrets: an Authorization header in an error is masked (redact).
        record["message"] = redact(record["message"], fragments)
        for key, value in list(record["extra"].items()):
            if isinstance(value, str):
                record["extra"][key] = redact(value, fragments)
        exc = record["exception"]
        if exc is not None and exc.value is not None:
            text = str(exc.value)
            clean = redact(text, fragments)
            if clean != text:
                # A module-level stand-in: the file sink's queue pickles records, so a
                # dynamically made class with the original's name would not survive it.
                name = exc.type.__name__ if exc.type is not None else "Exception"
                replaced = RedactedException(f"{name}: {clean}")
                record["exception"] = exc._replace(type=RedactedException, value=replaced)

    return patch


def private_opener(path: str, flags: int) -> int:
    """open()'s opener for the log file (and its rotations): never through a symbolic link
    (O_NOFOLLOW where the OS has it), created 0600, an existing file made 0600."""
    fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
    if hasattr(os, "fchmod"):
        with contextlib.suppress(OSError):  # another owner's file: writable, mode as it is
            os.fchmod(fd, 0o600)
    return fd


def configure_logging(
    level: str = "INFO",
    log_file: Path | None = None,
    json: bool = False,
    secrets: Iterable[str] = (),
    *,
    sink: Callable[[str], None] | None = None,
) -> None:
    """Replace every loguru sink with stderr (+ `log_file`), redacting `secrets` everywhere.

    `sink` replaces stderr (the demo prints log lines above its live view); the format is
    the same HUMAN_FORMAT for every command. Raises ConfigError naming WATCHDOG_LOG_FILE
    when the log file cannot be opened.
    """
    logger.remove()
    logger.configure(patcher=make_redactor(secrets))
    logger.add(
        sys.stderr if sink is None else sink,
        level=level,
        format=HUMAN_FORMAT,
        serialize=json,
        diagnose=False,
        backtrace=False,
        colorize=None if sink is None else False,
    )
    if log_file is not None:
        if log_file.is_symlink():
            raise ConfigError(
                f"WATCHDOG_LOG_FILE={str(log_file)!r} is a symbolic link: colab-watchdog does "
                "not follow links for its log; give the real file's path"
            )
        try:
            logger.add(
                log_file,
                level=level,
                format=FILE_FORMAT,
                serialize=json,
                rotation=FILE_ROTATION,
                retention=FILE_RETENTION,
                enqueue=True,
                encoding="utf-8",
                opener=private_opener,
                diagnose=False,
                backtrace=False,
            )
        except OSError as exc:
            raise ConfigError(
                f"WATCHDOG_LOG_FILE={str(log_file)!r}: cannot open it for writing "
                f"({exc.strerror}): use a writable file path"
            ) from None
    intercept_stdlib_logging()


def intercept_stdlib_logging() -> None:
    """Route stdlib logging through loguru; quiet Selenium's HTTP chatter and urllib3."""
    logging.basicConfig(handlers=[InterceptHandler()], level=0, force=True)
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)


def shutdown_logging() -> None:
    """Flush queued file writes; call once at exit."""
    logger.complete()


class _RedactingFilter(logging.Filter):
    """Replaces the secret parts of every alert URL in apprise's own log records."""

    def __init__(self) -> None:
        super().__init__()
        self._fragments: set[str] = set()
        self._lock = threading.Lock()

    def add(self, urls: Sequence[str]) -> None:
        with self._lock:
            self._fragments.update(fragments_of(urls))

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            fragments = list(self._fragments)
        if fragments:
            message = record.getMessage()
            cleaned = redact(message, fragments)
            if cleaned != message:
                record.msg, record.args = cleaned, ()
        return True


_REDACTOR = _RedactingFilter()


def guard_apprise_logging(urls: Sequence[str]) -> None:
    """Keep apprise's stdlib logger from showing the secrets of `urls`; call it before an
    AppriseNotifier is built over them (it adds to what earlier calls registered)."""
    apprise_logger = logging.getLogger("apprise")
    if apprise_logger.level == logging.NOTSET:
        # apprise's debug/info lines can carry request URLs (a Telegram bot token is in
        # its URL path); the warnings name only hosts and statuses.
        apprise_logger.setLevel(logging.WARNING)
    # ...but it logs an unparseable URL whole, at ERROR: redact at the source as well.
    _REDACTOR.add(urls)
    if _REDACTOR not in apprise_logger.filters:
        apprise_logger.addFilter(_REDACTOR)
