"""Snippet rendering (pure) and the `colab-watchdog snippet` command, in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from watchdog import jsassets
from watchdog.cli.main import main
from watchdog.core.jsmin import minify, tokenize
from watchdog.core.snippet import (
    SnippetOptions,
    config_json,
    render_bookmarklet,
    render_console,
)

ENGINE = jsassets.load("engine.js")
WRAPPER = jsassets.load("snippet.js")


def _config_in(text: str) -> dict[str, object]:
    match = re.search(r"colabWatchdogStart\((\{.*\})\);", text)
    assert match, "the rendered snippet does not call colabWatchdogStart(config)"
    return json.loads(match.group(1))


def test_console_wraps_engine_and_wrapper_in_one_scope() -> None:
    text = render_console(ENGINE, WRAPPER, SnippetOptions(interval_s=30, reconnect=True))
    assert "function colabWatchdogTick(" in text
    assert "function colabWatchdogStart(" in text
    body = text.split("\n", 1)[1]
    assert body.startswith("(function(){") and body.rstrip().endswith("})();")
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


TRICKY_JS = r"""
/* header
 * more
 */
const out = [];
const a = 6, b = 3, g = 2; // trailing comment
out.push("http://example.org/*not a comment*/");
out.push('it\'s // still a string');
out.push(/a\/\/b/.test("a//b"), /[/]/.test("/"), /\/*x/.test("x"));
out.push(a / b / g, a /b/ g);  // division, twice
out.push(`tpl // ${a + `in ${b} /* */`} ${ {k: 1}.k }`);
const re = a > 1 ? /x\/y/g : /z/;  /* inline */ out.push(re.source);
function f(x) { return /^\d+$/.test(x) }
out.push(f("12"), typeof /q/, a - -b, a + +b, 1 .toString());
let c = a
/2/g
out.push(c);
out.push(["x" /* mid */, "y"].join(''));
console.log(JSON.stringify(out));
"""


def test_minify_drops_comments_and_keeps_strings_regexes_and_division() -> None:
    out = minify(TRICKY_JS)
    assert "header" not in out and "trailing comment" not in out and "inline" not in out
    assert "'http://example.org/*not a comment*/'" in out
    assert "'it\\'s // still a string'" in out
    assert "/a\\/\\/b/.test" in out and "/[/]/.test" in out
    assert re.search(r"`tpl // \$\{\w+\+`in \$\{\w+\} /\* \*/`\} \$\{\{k:1\}\.k\}`", out)
    assert re.search(r"\w- -\w", out) and re.search(r"\w\+ \+\w", out)
    assert "\n\n" not in out and not out.startswith("\n")


@pytest.mark.parametrize(
    "bad", ["const s = 'open;", "/* never closed", "const r = /open;", "const t = `open;"]
)
def test_minify_refuses_unterminated_source(bad: str) -> None:
    with pytest.raises(ValueError, match="unterminated"):
        minify(bad)


def test_snippet_and_bookmarklet_carry_no_comments() -> None:
    source = len(ENGINE.encode()) + len(WRAPPER.encode())
    console = render_console(ENGINE, WRAPPER, SnippetOptions())
    body = console.split("\n", 1)[1]  # after the one header line
    assert "/**" not in body and "\n//" not in body
    assert len(console.encode()) < 0.75 * source
    code = unquote(render_bookmarklet(ENGINE, WRAPPER, SnippetOptions())[len("javascript:") :])
    assert [t.text for t in tokenize(code) if t.text.startswith(("//", "/*"))] == []
    assert "/*" not in code and "\n//" not in code


# What `colab-watchdog snippet` prints may not grow past these (bytes, UTF-8). Measured at
# 19.1 KB and 22.7 KB with every option set; the engine's own source is 35 KB.
CONSOLE_MAX_BYTES = 20_000
BOOKMARKLET_MAX_BYTES = 24_000
ALL_OPTIONS = SnippetOptions(
    interval_s=30,
    reconnect=True,
    max_lifetime_s=86400,
    warn_before_s=(3600, 1800, 600, 300),
    selectors={"connect": ["#my-connect"], "busy": [".my-spinner"], "dialog": ["my-dialog"]},
    finished_after_s=300,
)


@pytest.mark.parametrize("options", [SnippetOptions(), ALL_OPTIONS], ids=["default", "all"])
def test_snippet_and_bookmarklet_stay_small(options: SnippetOptions) -> None:
    console = render_console(ENGINE, WRAPPER, options)
    bookmarklet = render_bookmarklet(ENGINE, WRAPPER, options)
    assert len(console.encode()) < CONSOLE_MAX_BYTES
    assert len(bookmarklet.encode()) < BOOKMARKLET_MAX_BYTES


def test_snippet_leaves_out_the_daemon_only_engine_parts() -> None:
    """The actuator-"browser" plan and the panel closing are not in the snippet; the
    entry points and the engine's reading of the page are."""
    console = render_console(ENGINE, WRAPPER, SnippetOptions())
    assert "cwPlan" in ENGINE and "clicks" in ENGINE and ".close-button" in ENGINE
    assert "clicks" not in console and ".close-button" not in console
    assert "elementFromPoint" not in console
    assert "function colabWatchdogTick(" in console and "'colab-connect-button'" in console


def test_bookmarklet_is_an_encoded_javascript_url() -> None:
    url = render_bookmarklet(ENGINE, WRAPPER, SnippetOptions(interval_s=5))
    assert url.startswith("javascript:")
    payload = url[len("javascript:") :]
    assert re.fullmatch(r"[A-Za-z0-9!$&'()*+,./:;=?@\[\]_~%-]+", payload), "unsafe URL characters"
    code = unquote(payload)
    assert code.rstrip().endswith("void 0;")  # a javascript: URL must not evaluate to a string
    assert "colabWatchdogStart(" in code
    assert len(url) < len(render_console(ENGINE, WRAPPER, SnippetOptions())) * 3


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
    monkeypatch.setenv("DISPLAY", ":0")
    assert main(["snippet", "--copy"]) == 1
    captured = capsys.readouterr()
    assert "colabWatchdogStart(" in captured.out
    assert "NOT copied" in captured.err
    assert "xclip" in captured.err and "wl-clipboard" in captured.err


@pytest.mark.usefixtures("clean_env")
def test_copy_uses_the_clipboard_when_there_is_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    monkeypatch.setattr(pyperclip, "paste", lambda: copied[-1])
    assert main(["snippet", "--copy", "--format", "bookmarklet"]) == 0
    assert copied and copied[0].startswith("javascript:")
    assert "copied to the clipboard" in capsys.readouterr().err


@pytest.mark.usefixtures("clean_env")
def test_copy_that_left_the_clipboard_unchanged_says_not_copied_and_exits_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tool that exits 0 but copies nothing (xclip without a usable display)."""
    import pyperclip

    monkeypatch.setattr(pyperclip, "copy", lambda text: None)
    monkeypatch.setattr(pyperclip, "paste", lambda: "what was there before")
    monkeypatch.setenv("DISPLAY", ":99")
    assert main(["snippet", "--copy"]) == 1
    captured = capsys.readouterr()
    assert "colabWatchdogStart(" in captured.out
    assert "NOT copied to the clipboard: the clipboard did not hold it" in captured.err
    assert "copied to the clipboard" not in captured.err.replace("NOT copied", "")


@pytest.mark.usefixtures("clean_env")
def test_output_says_what_it_wrote(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "snippet.js"
    assert main(["snippet", "--output", str(target)]) == 0
    err = capsys.readouterr().err
    size = target.stat().st_size
    assert f"colab-watchdog: wrote {target} ({size} bytes)" in err.splitlines()
