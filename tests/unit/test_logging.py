"""configure_logging: secrets never reach a sink; stdlib logging is intercepted and quieted."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from loguru import logger

from watchdog.cli.logging import configure_logging, shutdown_logging
from watchdog.errors import ConfigError

SECRET = "tgram://123456789:AAHsecretTokenPart/987654321"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root_handlers = list(logging.root.handlers)
    root_level = logging.root.level
    yield
    logger.remove()
    logger.configure(patcher=lambda record: None)
    logger.add(sys.stderr)
    logging.root.handlers = root_handlers
    logging.root.setLevel(root_level)


def test_secret_and_its_parts_are_redacted_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", None, False, [SECRET])
    logger.info("sending to {}", SECRET)
    logger.bind(channel=SECRET).warning("token AAHsecretTokenPart for chat 987654321")
    err = capsys.readouterr().err
    assert "sending to ***" in err
    assert "AAHsecretTokenPart" not in err and "987654321" not in err


def test_secret_in_an_exception_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", None, False, [SECRET])
    try:
        raise RuntimeError(f"could not reach {SECRET}")
    except RuntimeError:
        logger.exception("alert failed")
    err = capsys.readouterr().err
    assert "alert failed" in err and "RuntimeError: could not reach ***" in err
    assert "AAHsecretTokenPart" not in err


def test_no_variable_values_in_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", None, False, [])
    token = "local-variable-value-xyz"  # loguru's diagnose mode would print this value
    try:
        raise ValueError("boom " + str(len(token)))
    except ValueError:
        logger.exception("failed")
    err = capsys.readouterr().err
    assert "ValueError: boom 24" in err
    assert "local-variable-value-xyz" not in err


def test_json_lines_and_file_sink(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log_file = tmp_path / "logs" / "watchdog.log"
    configure_logging("INFO", log_file, True, [SECRET])
    logger.info("tick via {}", SECRET)
    logger.debug("not at INFO")
    shutdown_logging()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert [line["record"]["message"] for line in lines] == ["tick via ***"]
    written = log_file.read_text(encoding="utf-8")
    assert "tick via ***" in written and "AAHsecretTokenPart" not in written
    assert "not at INFO" not in written


def test_stdlib_logging_is_intercepted_and_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG", None, False, [SECRET])
    logging.getLogger("apprise").warning("Failed to send to %s", SECRET)
    logging.getLogger("selenium.webdriver.remote.remote_connection").debug("POST /session")
    logging.getLogger("urllib3.connectionpool").info("Starting new HTTP connection")
    err = capsys.readouterr().err
    assert "Failed to send to ***" in err
    assert "POST /session" not in err
    assert "Starting new HTTP connection" not in err


def test_unwritable_log_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="WATCHDOG_LOG_FILE"):
        configure_logging("INFO", tmp_path, False, [])  # a directory cannot be a log file
