"""The minifier's output does exactly what the source does: both run under node (a
subprocess; skipped when node is missing). The minifier's rules without node:
tests/unit/test_jsmin.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_jsmin import PROGRAMS, SECTIONED
from watchdog.core.jsmin import minify

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _run(code: str, tmp_path: Path, name: str) -> str:
    script = tmp_path / name
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [str(NODE), str(script)], check=False, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, f"{name}: {done.stderr}\n{code}"
    return done.stdout


@needs_node
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_minified_program_prints_what_the_source_prints(name: str, tmp_path: Path) -> None:
    source = PROGRAMS[name]
    small = minify(source)
    assert len(small) < len(source)
    assert _run(small, tmp_path, "small.js") == _run(source, tmp_path, "source.js")


@needs_node
def test_omitting_a_section_the_program_never_runs_keeps_what_it_prints(tmp_path: Path) -> None:
    small = minify(SECTIONED, omit=frozenset({"demo"}))
    assert _run(small, tmp_path, "small.js") == _run(SECTIONED, tmp_path, "source.js")
