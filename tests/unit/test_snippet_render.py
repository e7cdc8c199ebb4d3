"""Snippet rendering (pure) and the `colab-watchdog snippet` command, in-process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from watchdog import jsassets
from watchdog.cli.main import main
from watchdog.core.snippet import (
    SnippetOptions,
    config_json,
    minify_safely,
    render_bookmarklet,
    render_console,
)

ENGINE = jsassets.load("engine.js")
WRAPPER = jsassets.load("snippet.js")
NODE = shutil.which("node")


def _config_in(text: str) -> dict[str, object]:
    match = re.search(r"colabWatchdogStart\((\{.*\})\);", text)
    assert match, "the rendered snippet does not call colabWatchdogStart(config)"
    return json.loads(match.group(1))


def test_console_wraps_engine_and_wrapper_in_one_scope() -> None:
    text = render_console(ENGINE, WRAPPER, SnippetOptions(interval_s=30, reconnect=True))
    assert "function colabWatchdogTick(options)" in text
    assert "function colabWatchdogStart(config)" in text
    body = text.split("\n", 1)[1]
    assert body.startswith("(function () {") and body.rstrip().endswith("})();")
    config = _config_in(text)
    assert config["interval"] == 30000
    assert config["reconnect"] is True
    assert config["maxLifetime"] is None
    assert config["warnBefore"] == []


def test_config_carries_lifetime_margins_and_selectors() -> None:
    options = SnippetOptions(
        interval_s=0.5,
        max_lifetime_s=43200,
        warn_before_s=(300, 3600, 600),
        selectors={"connect": ["#my-connect"]},
    )
    config = _config_in(render_console(ENGINE, WRAPPER, options))
    assert config["interval"] == 500
    assert config["maxLifetime"] == 43200
    assert config["warnBefore"] == [3600, 600, 300]
    assert config["selectors"] == {"connect": ["#my-connect"]}


def test_hostile_selector_text_stays_inside_a_json_string() -> None:
    evil = '"]});alert(1);//</script>\u2028'
    options = SnippetOptions(selectors={"connect": [evil]})
    literal = config_json(options)
    assert literal.isascii()
    assert "</script>" not in literal
    assert json.loads(literal)["selectors"]["connect"] == [evil]
    text = render_console(ENGINE, WRAPPER, options)
    assert _config_in(text)["selectors"]["connect"] == [evil]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interval_s": 0},
        {"interval_s": float("nan")},
        {"max_lifetime_s": -1},
        {"warn_before_s": (60, 0)},
    ],
)
def test_bad_options_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SnippetOptions(**kwargs)  # type: ignore[arg-type]


def test_minify_drops_comment_lines_but_keeps_code_and_line_breaks() -> None:
    source = (
        "/* header\n * more\n */\n"
        "const a = 1; // trailing comment stays harmless\n"
        "    // indented comment\n"
        '    const url = "http://example.org/*not a comment*/";\n'
        "/* one */ const b = 2;\n"
        "\n"
        "const re = /a\\/\\/b/;\n"
    )
    out = minify_safely(source)
    assert "header" not in out and "indented comment" not in out
    assert "const a = 1; // trailing comment stays harmless\n" in out
    assert 'const url = "http://example.org/*not a comment*/";' in out
    assert "/* one */ const b = 2;" in out  # not a whole-line comment: left alone
    assert "const re = /a\\/\\/b/;" in out
    assert "\n\n" not in out


def test_bookmarklet_is_a_fully_encoded_javascript_url() -> None:
    url = render_bookmarklet(ENGINE, WRAPPER, SnippetOptions(interval_s=5))
    assert url.startswith("javascript:")
    payload = url[len("javascript:") :]
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+", payload), "unencoded characters in the URL"
    code = unquote(payload)
    assert code.rstrip().endswith("void 0;")  # a javascript: URL must not evaluate to a string
    assert "colabWatchdogStart(" in code
    assert len(url) < len(render_console(ENGINE, WRAPPER, SnippetOptions())) * 3


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("fmt", ["console", "bookmarklet"])
def test_rendered_output_is_valid_javascript(fmt: str, tmp_path: Path) -> None:
    options = SnippetOptions(max_lifetime_s=3600, warn_before_s=(600,))
    if fmt == "console":
        code = render_console(ENGINE, WRAPPER, options)
    else:
        code = unquote(render_bookmarklet(ENGINE, WRAPPER, options)[len("javascript:") :])
    script = tmp_path / "snippet.js"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [str(NODE), "--check", str(script)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


# ----------------------------------------------------------------------------- the command


@pytest.mark.usefixtures("clean_env")
def test_command_prints_console_snippet_with_settings_defaults(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHDOG_INTERVAL", "45s")
    monkeypatch.setenv("WATCHDOG_RECONNECT", "true")
    assert main(["snippet"]) == 0
    out = capsys.readouterr().out
    config = _config_in(out)
    assert config["interval"] == 45000
    assert config["reconnect"] is True
    assert config["maxLifetime"] == 43200
    assert config["warnBefore"] == [3600, 1800, 600, 300]


@pytest.mark.usefixtures("clean_env")
def test_command_flags_win_and_lifetime_can_be_turned_off(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["snippet", "--interval", "500ms", "--max-lifetime", "none"]) == 0
    config = _config_in(capsys.readouterr().out)
    assert config["interval"] == 500
    assert config["reconnect"] is False
    assert config["maxLifetime"] is None
    assert config["warnBefore"] == []
    assert main(["snippet", "--max-lifetime", "2h", "--warn-before", "5m,30m"]) == 0
    config = _config_in(capsys.readouterr().out)
    assert config["maxLifetime"] == 7200
    assert config["warnBefore"] == [1800, 300]


@pytest.mark.usefixtures("clean_env")
def test_command_passes_selectors_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    selectors = tmp_path / "selectors.json"
    selectors.write_text(json.dumps({"busy": [".my-spinner"]}), encoding="utf-8")
    monkeypatch.setenv("WATCHDOG_SELECTORS", str(selectors))
    assert main(["snippet"]) == 0
    assert _config_in(capsys.readouterr().out)["selectors"] == {"busy": [".my-spinner"]}


@pytest.mark.usefixtures("clean_env")
def test_command_bookmarklet_and_output_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "bm.txt"
    assert main(["snippet", "--format", "bookmarklet", "--output", str(target)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("javascript:")
    assert target.read_text(encoding="utf-8").strip() == out


@pytest.mark.usefixtures("clean_env")
@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--interval", "soon"], "--interval='soon'"),
        (["--max-lifetime=-3h"], "--max-lifetime"),
        (["--warn-before", "13h"], "--warn-before"),
        (["--interval", "2h"], "--interval"),  # longer than the idle timeout
    ],
)
def test_command_bad_values_exit_2_with_one_line(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snippet", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], captured.err


@pytest.mark.usefixtures("clean_env")
def test_command_output_to_unwritable_path_is_a_config_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["snippet", "--output", str(tmp_path / "missing" / "x.js")]) == 2
    assert "--output" in capsys.readouterr().err


@pytest.mark.usefixtures("clean_env")
def test_copy_without_clipboard_still_prints_and_says_how_to_enable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    def no_clipboard(text: str) -> None:
        raise pyperclip.PyperclipException("no copy mechanism")

    monkeypatch.setattr(pyperclip, "copy", no_clipboard)
    assert main(["snippet", "--copy"]) == 0
    captured = capsys.readouterr()
    assert "colabWatchdogStart(" in captured.out
    assert "xclip" in captured.err and "wl-clipboard" in captured.err


@pytest.mark.usefixtures("clean_env")
def test_copy_uses_the_clipboard_when_there_is_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    assert main(["snippet", "--copy", "--format", "bookmarklet"]) == 0
    assert copied and copied[0].startswith("javascript:")
    assert "copied" in capsys.readouterr().err
