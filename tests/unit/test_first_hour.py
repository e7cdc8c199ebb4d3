"""What a new user meets in the first hour: honest one-line messages for careless input."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchdog.cli.main import main
from watchdog.settings import split_notify

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
