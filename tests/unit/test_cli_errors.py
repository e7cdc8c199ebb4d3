"""The CLI in-process: bad input exits 2 with ONE stderr line naming the variable or flag."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchdog.cli.main import main

pytestmark = pytest.mark.usefixtures("clean_env")

SECRET = "tgram://123456789:AAHsecretTokenPart/987654321"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("colab-watchdog: error: ")
    return lines[0]


def test_url_converts_a_github_link(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "url", "https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb")
    assert code == 0
    assert out == "https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/path.ipynb\n"


@pytest.mark.parametrize(
    "bad", ["ftp://github.com/a/b/blob/m/x.ipynb", "https://github.com/a/b", "not a url"]
)
def test_url_rejects_bad_input(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, out, err = run_cli(capsys, "url", bad)
    assert code == 2
    assert out == ""
    line = one_error_line(err)
    assert "GITHUB_URL" in line and "github.com/OWNER/REPO/blob/BRANCH/path.ipynb" in line


@pytest.mark.parametrize(
    ("env", "needles"),
    [
        ({"WATCHDOG_INTERVAL": "5x"}, ["WATCHDOG_INTERVAL='5x'", "500ms"]),
        ({"WATCHDOG_INTERVAL": "-1s"}, ["WATCHDOG_INTERVAL='-1s'"]),
        ({"WATCHDOG_INTERVAL": "3h"}, ["WATCHDOG_INTERVAL", "WATCHDOG_IDLE_TIMEOUT"]),
        ({"WATCHDOG_WARN_BEFORE": "13h"}, ["WATCHDOG_WARN_BEFORE", "WATCHDOG_MAX_LIFETIME"]),
        ({"WATCHDOG_RECONNECT": "perhaps"}, ["WATCHDOG_RECONNECT='perhaps'", "true or false"]),
        ({"WATCHDOG_SELECTORS": "/nope.json"}, ["WATCHDOG_SELECTORS", "does not exist"]),
        ({"WATCHDOG_NOTEBOOKS": "gopher://x"}, ["WATCHDOG_NOTEBOOKS", "http(s)"]),
        ({"WATCHDOG_ATTACH_ADDRESS": "10.9.8.7:9222"}, ["WATCHDOG_ALLOW_REMOTE_ATTACH"]),
    ],
)
def test_bad_environment_names_the_variable(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    needles: list[str],
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code, out, err = run_cli(capsys, "snippet")
    assert code == 2
    assert out == ""
    line = one_error_line(err)
    for needle in needles:
        assert needle in line


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["--interval", "soon"], ["--interval='soon'", "90m"]),
        (["--interval", "2h"], ["--interval", "WATCHDOG_IDLE_TIMEOUT"]),
        (["--warn-before", "20h"], ["--warn-before", "WATCHDOG_MAX_LIFETIME"]),
        (["--max-lifetime", "1x"], ["--max-lifetime='1x'"]),
    ],
)
def test_bad_flag_names_the_flag(
    capsys: pytest.CaptureFixture[str], argv: list[str], needles: list[str]
) -> None:
    code, out, err = run_cli(capsys, "snippet", *argv)
    assert code == 2
    assert out == ""
    line = one_error_line(err)
    for needle in needles:
        assert needle in line


def test_secret_never_in_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_NOTIFY", f"{SECRET} not-a-url-AAHsecretTokenPart")
    code, out, err = run_cli(capsys, "snippet")
    assert code == 2
    line = one_error_line(err)
    assert "WATCHDOG_NOTIFY=<redacted>" in line
    assert "AAHsecretTokenPart" not in out + err and "987654321" not in out + err


def test_unreadable_dotenv_is_named(capsys: pytest.CaptureFixture[str], clean_env: Path) -> None:
    (clean_env / ".env").mkdir()
    code, _, err = run_cli(capsys, "snippet")
    assert code == 2
    assert ".env is a directory" in one_error_line(err)


def test_bad_dotenv_value_names_the_file(
    capsys: pytest.CaptureFixture[str], clean_env: Path
) -> None:
    (clean_env / ".env").write_text("WATCHDOG_IDLE_TIMEOUT=forever\n")
    code, _, err = run_cli(capsys, "snippet")
    assert code == 2
    assert "WATCHDOG_IDLE_TIMEOUT='forever' (in .env)" in one_error_line(err)


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["run", "--interval", "5x"], ["--interval='5x'", "500ms"]),
        (["run", "--interval", "2h"], ["--interval", "WATCHDOG_IDLE_TIMEOUT"]),
        (["run", "ftp://host/nb"], ["'ftp://host/nb'", "http(s)"]),
        (["run", "--attach", "10.0.0.1:9222"], ["--attach", "10.0.0.1:9222", "loopback"]),
        (["run", "--remote", "ftp://grid"], ["--remote='ftp://grid'", "http"]),
    ],
)
def test_run_refuses_bad_input_before_starting_a_browser(
    capsys: pytest.CaptureFixture[str], argv: list[str], needles: list[str]
) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert out == ""
    assert code == 2
    line = one_error_line(err)
    for needle in needles:
        assert needle in line


def test_run_never_shows_a_notify_secret(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(
        capsys, "run", "--notify", SECRET, "--notify", "bad-AAHsecretTokenPart"
    )
    assert code == 2
    assert "--notify=<redacted>" in one_error_line(err)
    assert "AAHsecretTokenPart" not in out + err and "987654321" not in out + err


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        # argparse reads "-5s" as an option; the line says how to pass it.
        (["run", "--interval", "-5s", "http://127.0.0.1:1/x"], ["run:", "--interval=VALUE"]),
        (["snippet", "--warn-before", "-5m"], ["snippet:", "--warn-before=VALUE"]),
        (["snippet", "--bogus"], ["unrecognized arguments: --bogus", "--help"]),
        (["snippet", "--format", "pdf"], ["--format", "'pdf'", "bookmarklet"]),
        (["no-such-command"], ["'no-such-command'", "test-alert"]),
    ],
)
def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], needles: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    assert out == ""
    line = one_error_line(err)
    assert "usage:" not in err
    for needle in needles:
        assert needle in line
