"""Secrets at the edges: apprise's partial masks, Authorization headers, --notify-file,
the log file's mode and links, the URL length cap, and the child environment."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from watchdog.adapters.browser.session import child_environment
from watchdog.cli.main import main
from watchdog.core.redact import fragments_of, redact, redact_headers
from watchdog.core.urls import validate_notebook_url
from watchdog.errors import ConfigError

URL = "json://alice:s3cretpw@127.0.0.1:9/hook-token-123"


def test_apprise_partial_masks_are_masked_whole() -> None:
    fragments = fragments_of([URL])
    line = "Failed to send JSON notification to json://alice:s...w@127.0.0.1:9/h...3"
    out = redact(line, fragments)
    assert "s...w" not in out and "h...3" not in out
    assert "...-123" not in redact("token ...-123 refused", fragments)


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Basic dXNlcjpwYXNzd29yZA==",
        "{'Authorization': 'Basic dXNlcjpwYXNzd29yZA=='}",
        'headers={"authorization": "Bearer abc.def.ghi"}',
    ],
)
def test_authorization_headers_are_redacted(text: str) -> None:
    out = redact_headers(text)
    assert "dXNlcjpwYXNzd29yZA" not in out and "abc.def" not in out
    assert "***" in out
    assert redact(text, []) == out  # the log patcher and error lines use redact


def test_notify_file_modes_and_content(tmp_path: Path, capsys: Any) -> None:
    notify = tmp_path / "notify.txt"
    notify.write_text("# phone\njson://127.0.0.1:9/ok\n\n  ntfy://topic-x  \n")
    notify.chmod(0o644)
    code = main(["run", "--once", "--notify-file", str(notify), "http://127.0.0.1:9/n"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "chmod 600" in err and "json://" not in err

    from watchdog.cli.commands.run import read_notify_file

    notify.chmod(0o600)
    assert read_notify_file(str(notify)) == ["json://127.0.0.1:9/ok", "ntfy://topic-x"]
    notify.write_text("# nothing\n")
    with pytest.raises(ConfigError, match="holds no URL"):
        read_notify_file(str(notify))
    with pytest.raises(ConfigError, match="cannot read it"):
        read_notify_file(str(tmp_path / "missing"))


def test_help_warns_that_flag_values_show_in_ps(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--notify-file" in out
    assert out.count("`ps`") >= 2  # --notify and --remote


def test_url_length_is_capped_with_one_short_line(capsys: Any) -> None:
    long_url = "http://127.0.0.1:9/" + "a" * 20_000
    with pytest.raises(ValueError, match="longer than the 8 KB limit") as caught:
        validate_notebook_url(long_url)
    assert len(str(caught.value)) < 300
    assert main(["run", "--once", long_url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 400, err[:500]


def test_log_file_is_0600_and_never_followed_through_a_link(tmp_path: Path) -> None:
    from watchdog.cli.logging import configure_logging, shutdown_logging

    log = tmp_path / "w.log"
    log.write_text("")
    log.chmod(0o644)
    configure_logging("INFO", log)
    shutdown_logging()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    fresh = tmp_path / "new.log"
    configure_logging("INFO", fresh)
    shutdown_logging()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600

    target = tmp_path / "elsewhere"
    link = tmp_path / "link.log"
    link.symlink_to(target)
    with pytest.raises(ConfigError, match="symbolic link"):
        configure_logging("INFO", link)
    shutdown_logging()
    assert not target.exists()
    fd_flags = os.O_WRONLY | os.O_CREAT
    from watchdog.cli.logging import private_opener

    with pytest.raises(OSError):  # O_NOFOLLOW, even if the check above were raced
        private_opener(str(link), fd_flags)


def test_child_environment_has_no_watchdog_variables() -> None:
    env = {"PATH": "/bin", "WATCHDOG_NOTIFY": "json://x/y", "watchdog_remote_url": "u", "HOME": "/"}
    assert child_environment(env) == {"PATH": "/bin", "HOME": "/"}
    assert child_environment({}) is None
