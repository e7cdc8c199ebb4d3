"""The snippet outside Chromium, in subprocesses: node runs and parses what `snippet`
renders, and `snippet --copy` meets the real xclip. No browser; node and xclip are
installed by scripts/test (each test skips without its tool)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.unit.test_snippet_render import ENGINE, TRICKY_JS, WRAPPER
from watchdog.core.jsmin import minify
from watchdog.core.snippet import SnippetOptions, render_bookmarklet, render_console

NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_minify_leaves_behaviour_unchanged(tmp_path: Path) -> None:
    """The minified program prints exactly what the original prints."""
    outputs = []
    for name, code in (("orig.js", TRICKY_JS), ("small.js", minify(TRICKY_JS))):
        script = tmp_path / name
        script.write_text(code, encoding="utf-8")
        done = subprocess.run(
            [str(NODE), str(script)], check=True, capture_output=True, text=True, timeout=60
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])[3] is True  # the /a\/\/b/ regex really ran


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


@pytest.mark.parametrize("display", [":987", None])
def test_copy_with_xclip_and_no_usable_display_is_not_claimed(
    tmp_path: Path, display: str | None
) -> None:
    """The real case: xclip installed, and a DISPLAY with no X server behind it (or none).
    A subprocess, so pyperclip really picks xclip."""
    if shutil.which("xclip") is None:
        pytest.skip("xclip not installed (scripts/test installs it)")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env = {k: v for k, v in env.items() if not k.startswith("WATCHDOG_")}
    if display is not None:
        env["DISPLAY"] = display
    done = subprocess.run(
        [sys.executable, "-m", "watchdog", "snippet", "--copy"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "colabWatchdogStart(" in done.stdout
    line = next(x for x in done.stderr.splitlines() if x.startswith("colab-watchdog:"))
    assert line.startswith("colab-watchdog: NOT copied to the clipboard: ")
    assert (display or "DISPLAY and WAYLAND_DISPLAY are unset") in line
