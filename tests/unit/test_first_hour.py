"""What a new user meets in the first hour: honest one-line messages for careless input."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchdog.cli.main import main
from watchdog.core.setting_values import split_notify

pytestmark = pytest.mark.usefixtures("clean_env")


def error_line(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 2) -> str:
    assert main(argv) == code
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("colab-watchdog: error: ")
    return lines[0]


# -- run without a notebook -----------------------------------------------------------------


def test_run_without_a_notebook_exits_2_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    line = error_line(capsys, ["run"])
    assert "WATCHDOG_NOTEBOOKS" in line and "demo" in line


def test_run_once_without_a_notebook_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert "WATCHDOG_NOTEBOOKS" in error_line(capsys, ["run", "--once"])


def test_run_and_demo_do_not_import_each_other() -> None:
    import ast

    root = Path(__file__).resolve().parents[2] / "watchdog" / "cli" / "commands"
    for name, other in (("run", "demo"), ("demo", "run")):
        tree = ast.parse((root / f"{name}.py").read_text(encoding="utf-8"))
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert f"watchdog.cli.commands.{other}" not in modules


# -- notify lists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("json://127.0.0.1:8765,garbage", ["json://127.0.0.1:8765", "garbage"]),
        ("ntfy://a, ntfy://b ntfy://c", ["ntfy://a", "ntfy://b", "ntfy://c"]),
        ("mailto://u:p@x.org?to=a@x.org,b@y.org", ["mailto://u:p@x.org?to=a@x.org,b@y.org"]),
        ("mailto://u:p@x.org?to=a@x.org,ntfy://t", ["mailto://u:p@x.org?to=a@x.org", "ntfy://t"]),
        (",ntfy://a,,", ["ntfy://a"]),
    ],
)
def test_notify_lists_are_split_into_items(text: str, urls: list[str]) -> None:
    assert split_notify(text) == urls


def test_a_garbage_item_in_the_notify_list_is_refused_naming_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_NOTIFY", "json://127.0.0.1:8765,garbage")
    line = error_line(capsys, ["run", "https://colab.research.google.com/drive/x"])
    assert "WATCHDOG_NOTIFY" in line and "item 2" in line and "garbage" not in line


def test_an_item_apprise_cannot_use_is_refused_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = "nosuchscheme://TOKEN1234567/chat"
    line = error_line(
        capsys,
        [
            "run",
            "https://colab.research.google.com/drive/x",
            "--notify",
            "json://127.0.0.1:8765",
            "--notify",
            secret,
        ],
    )
    assert "--notify item 2" in line and "apprise" in line
    assert "TOKEN1234567" not in line


# -- messages -------------------------------------------------------------------------------


def test_remote_attach_refusal_names_the_flag_and_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    line = error_line(capsys, ["run", "--attach", "10.1.2.3:9222"])
    assert "--allow-remote-attach" in line and "WATCHDOG_ALLOW_REMOTE_ATTACH" in line


def test_started_at_in_the_future_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    line = error_line(
        capsys,
        [
            "run",
            "--once",
            "--started-at",
            "2999-01-01T09:00",
            "https://colab.research.google.com/x",
        ],
    )
    assert "--started-at" in line and "future" in line


def test_a_github_page_as_notebook_suggests_the_url_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = "https://github.com/OWNER/REPO/blob/main/x.ipynb"
    line = error_line(capsys, ["run", "--once", page])
    assert f"colab-watchdog url {page}" in line
    assert "https://colab.research.google.com/github/OWNER/REPO/blob/main/x.ipynb" in line


def test_status_with_a_directory_as_state_file_is_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = error_line(capsys, ["status", "--state-file", str(tmp_path)])
    assert "--state-file" in line and "directory" in line


def warnings_of(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["snippet"]) == 0
    err = capsys.readouterr().err
    return [line for line in err.splitlines() if line.startswith("colab-watchdog: warning: ")]


def test_a_misspelled_variable_gets_one_warning_with_the_closest_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_NOTEBOKS", "https://colab.research.google.com/drive/x")
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")  # systemd's, not ours: no warning
    [line] = warnings_of(capsys)
    assert "WATCHDOG_NOTEBOKS" in line and "did you mean WATCHDOG_NOTEBOOKS?" in line


def test_a_misspelled_variable_in_dotenv_names_the_file_and_line(
    capsys: pytest.CaptureFixture[str], clean_env: Path
) -> None:
    (clean_env / ".env").write_text("WATCHDOG_INTERVAL=30s\nWATCHDOG_INTERVL=30s\n")
    [line] = warnings_of(capsys)
    assert ".env line 2" in line and "did you mean WATCHDOG_INTERVAL?" in line


def test_an_unparseable_dotenv_line_is_named(
    capsys: pytest.CaptureFixture[str], clean_env: Path
) -> None:
    (clean_env / ".env").write_text("WATCHDOG_INTERVAL=30s\nthis line is not a setting\n")
    [line] = warnings_of(capsys)
    assert ".env line 2" in line and "cannot parse" in line


# -- status and urls ------------------------------------------------------------------------


def test_status_tells_notebooks_with_the_same_title_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from tests.alerts.conftest import tick
    from tests.fakes import FakeClock
    from tests.unit.test_monitor import LIMITS, RecordingNotifier
    from watchdog.adapters.statefile import JsonStateStore
    from watchdog.daemon.monitor import Monitor

    path = tmp_path / "state.json"
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
    monitor = Monitor(
        store=JsonStateStore(path),
        notifier=RecordingNotifier(),
        clock=clock,
        limits=LIMITS,
        interval=1.0,
        pid=777,
    )
    monitor.on_start()
    title = "Untitled0.ipynb - Colab with a much longer title than fits"
    for notebook_id in ("1AAAAbbbbCCCC", "1ZZZZyyyyXXXX"):
        url = f"https://colab.research.google.com/drive/{notebook_id}"
        monitor.on_tick(tick(clock.now(), url=url, title=title))
    monitor.on_sweep(clock.now())
    assert main(["status", "--state-file", str(path)]) == 0
    out = capsys.readouterr().out
    table = out.split("\n\n", 1)[0]  # the heading line and the table (paths follow)
    assert all(len(line) <= 80 for line in table.splitlines()), out
    rows = [line for line in out.splitlines() if line.startswith("Untitled0")]
    assert len(rows) == 2
    assert "1AAAAbbb" in rows[0] and "1ZZZZyyy" in rows[1]
    assert "[1AAAAbbb] https://colab.research.google.com/drive/1AAAAbbbbCCCC" in out


def test_url_turns_a_gist_into_its_colab_link(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["url", "https://gist.github.com/someone/0123abcd"]) == 0
    assert capsys.readouterr().out == "https://colab.research.google.com/gist/someone/0123abcd\n"


def test_notebook_labels_add_a_short_id_only_when_titles_repeat() -> None:
    from watchdog.core.urls import notebook_labels

    base = "https://colab.research.google.com/drive/"
    labels = notebook_labels(
        [(base + "1aaa", "a.ipynb - Colab"), (base + "1bbb", "a.ipynb - Colab"), (base + "1c", "b")]
    )
    assert labels == ["a [1aaa]", "a [1bbb]", "b"]


def test_a_demo_too_short_for_the_warnings_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for duration in ("0", "10s"):
        line = error_line(capsys, ["demo", "--duration", duration])
        assert "--duration" in line and "20s or more" in line


@pytest.mark.parametrize(
    ("duration", "lifetime", "warnings"), [(20, 17, (10, 5)), (30, 25, (15, 8)), (60, 50, (30, 15))]
)
def test_demo_limits_scale_with_the_duration(
    duration: float, lifetime: int, warnings: tuple[int, int]
) -> None:
    from watchdog.cli.commands.demo import demo_limits

    limits = demo_limits(duration)
    assert (limits.lifetime, limits.warn_before) == (lifetime, warnings)
    assert limits.idle < duration  # the unwatched control idles out within the demo


def test_loguru_sinks_are_configured_only_in_cli_logging() -> None:
    """One log format: only watchdog/cli/logging.py adds or removes loguru sinks, only the
    CLI sets stdlib loggers' levels and filters, and every command that logs (run, demo,
    login) goes through its configure_logging."""
    import ast

    package = Path(__file__).resolve().parents[2] / "watchdog"
    for path in package.rglob("*.py"):
        if path == package / "cli" / "logging.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            sink_call = (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "logger"
                and node.attr in ("add", "remove", "configure")
            )
            assert not sink_call, f"{path}:{getattr(node, 'lineno', '?')}: a loguru sink"
            stdlib_setup = (
                isinstance(node, ast.Attribute)
                and node.attr in ("setLevel", "addFilter", "addHandler", "basicConfig")
                and path.parent.name != "cli"
            )
            assert not stdlib_setup, f"{path}:{getattr(node, 'lineno', '?')}: logging set-up"
    for command in ("run", "demo", "login"):
        text = (package / "cli" / "commands" / f"{command}.py").read_text(encoding="utf-8")
        assert "configure_logging(" in text, command
