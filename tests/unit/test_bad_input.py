"""Bad input, through `main([...])` in-process: exit 2 with ONE stderr line naming the
problem (or exit 1 with one line where it is not a configuration error). Cases already in
tests/unit/test_cli_errors.py and tests/unit/test_settings.py are not repeated here.

That the light commands import neither Selenium nor apprise, in a fresh interpreter:
tests/reliability/test_light_imports.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from watchdog.cli.main import main

NB = "http://127.0.0.1:9/notebook"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for key in list(os.environ):
        if key.startswith("WATCHDOG_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return tmp_path


def one_line(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 2) -> str:
    got = main(argv)
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if line.strip()]
    assert got == code, err
    assert len(lines) == 1, err
    assert lines[0].startswith("colab-watchdog"), lines[0]
    assert out == "" or argv[:1] == ["status"], out
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["run", "http://"], ["'http://'", "no host"]),
        (["run", "colab.research.google.com/drive/x"], ["no scheme"]),
        (["run", "javascript:alert(1)"], ["'javascript'", "http(s)"]),
        (["run", "https://exa mple.com/nb"], ["spaces"]),
        (["run", "--interval", "0", NB], ["--interval='0'", "longer than 0"]),
        (["run", "--interval=-5s", NB], ["--interval='-5s'", "negative"]),
        (["run", "--interval", "", NB], ["--interval=''", "empty"]),
        (["run", "--elapsed", "soon", NB], ["--elapsed", "'soon'"]),
        (["run", "--started-at", "yesterday", NB], ["--started-at='yesterday'", "ISO 8601"]),
        (["run", "--started-at", "0001-01-01T00:00", NB], ["--started-at='0001-01-01T00:00'"]),
        (["run", "--elapsed", "1000000d", NB], ["--elapsed='1000000d'", "too long"]),
        (["run", "--attach", "[::1]:notaport"], ["--attach", "HOST:PORT"]),
        (["run", "--attach", "0.0.0.0:9222"], ["0.0.0.0", "loopback"]),
        (["run", "--remote", "not a url"], ["--remote='not a url'", "http"]),
    ],
)
def test_bad_run_flags(
    capsys: pytest.CaptureFixture[str], argv: list[str], needles: list[str]
) -> None:
    line = one_line(capsys, argv)
    for needle in needles:
        assert needle in line, line


def test_negative_value_as_a_separate_argument_is_one_line_naming_the_fix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--interval -5s` is parsed by argparse as a missing value (it looks like an option):
    exit 2 with one line that names the flag and says to write `--interval=VALUE` (which then
    gets the negative-duration message above)."""
    with pytest.raises(SystemExit) as exc:
        main(["run", "--interval", "-5s", NB])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "--interval=VALUE" in err, err


@pytest.mark.parametrize(
    ("env", "needles"),
    [
        ({"WATCHDOG_MAX_LIFETIME": "1h", "WATCHDOG_WARN_BEFORE": "1h"}, ["1h", "shorter"]),
        ({"WATCHDOG_IDLE_TIMEOUT": "0"}, ["WATCHDOG_IDLE_TIMEOUT='0'"]),
        ({"WATCHDOG_NOTEBOOKS_PER_SESSION": "-1"}, ["WATCHDOG_NOTEBOOKS_PER_SESSION='-1'"]),
        ({"WATCHDOG_BROWSER": "firefox"}, ["WATCHDOG_BROWSER='firefox'", "launch"]),
        ({"WATCHDOG_LOG_LEVEL": "LOUD"}, ["WATCHDOG_LOG_LEVEL='LOUD'", "DEBUG"]),
    ],
)
def test_bad_run_settings(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    needles: list[str],
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    line = one_line(capsys, ["run", NB])
    for needle in needles:
        assert needle in line, line


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ("{connect: [", ["not valid JSON", "line 1"]),
        ('{"connectz": ["#x"]}', ["unknown key", "'connectz'", "connect, connected"]),
        ('{"connect": "#x"}', ["'connect'", "list"]),
        ("[1, 2]", ["WATCHDOG_SELECTORS"]),
    ],
)
def test_invalid_selectors_file_for_run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    content: str,
    needles: list[str],
) -> None:
    path = tmp_path / "selectors.json"
    path.write_text(content)
    monkeypatch.setenv("WATCHDOG_SELECTORS", str(path))
    line = one_line(capsys, ["run", NB])
    assert "WATCHDOG_SELECTORS" in line
    for needle in needles:
        assert needle in line, line


def test_log_file_under_a_regular_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv("WATCHDOG_LOG_FILE", str(tmp_path / "afile" / "x.log"))
    line = one_line(capsys, ["run", NB])
    assert "WATCHDOG_LOG_FILE" in line and "writable" in line, line


def test_unreadable_dotenv_for_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / ".env").symlink_to(tmp_path / "missing-target")
    line = one_line(capsys, ["run", NB])
    assert ".env" in line, line


@pytest.mark.parametrize(("flags", "code"), [([], 2), (["--json"], 2), (["--check"], 1)])
def test_garbage_state_file_for_status(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    flags: list[str],
    code: int,
) -> None:
    """Bad input for `status` (exit 2), unhealthy for `--check` (exit 1); one line naming the
    file and saying it is corrupt; the garbage is left in place for the daemon (which moves it
    aside) or the user."""
    state = tmp_path / "state.json"
    state.write_bytes(b"\x00\x01garbage{")
    monkeypatch.setenv("WATCHDOG_STATE_FILE", str(state))
    line = one_line(capsys, ["status", *flags], code=code)
    assert str(state) in line, line
    assert "corrupt" in line, line
    assert state.read_bytes() == b"\x00\x01garbage{"
