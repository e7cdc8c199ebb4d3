"""JavaScript lives in js/*.js (and the simulated page's static/ folder), not in Python strings.

An `ast` scan of every string constant under watchdog/ (docstrings aside: they may name a
page object to explain it) for the marks of JavaScript source. Glue that must compose files
does it with js/ templates and their `/*@NAME@*/` markers (watchdog/core/jstemplate.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from watchdog.core.jstemplate import fill, without_header

PACKAGE = Path(__file__).resolve().parents[2] / "watchdog"
JS_MARKS = re.compile(
    r"function\s*\(|=>|\bdocument\.\w|\bwindow\.\w|\blocation\.\w"
    r"|\barguments\[|\.apply\(|\"use strict\""
)
# Files still composing JavaScript in Python, with the reason.
KNOWN: set[str] = set()
# The minifier's tables of JavaScript punctuators (`=>`, `===`): tokens it reads, not code.
TOKEN_TABLES = {
    "watchdog/core/jsmin/tokens.py",
    "watchdog/core/jsmin/scopes.py",
    "watchdog/core/jsmin/emit.py",
}


def docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def js_strings(source: str) -> list[str]:
    """`line: start of the string` for each non-docstring constant that looks like JS."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    return [
        f"line {node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and JS_MARKS.search(node.value)
    ]


def python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", python_files(), ids=rel)
def test_no_javascript_in_python_strings(path: Path) -> None:
    found = js_strings(path.read_text(encoding="utf-8"))
    if rel(path) in TOKEN_TABLES:
        return
    if rel(path) in KNOWN:
        assert found, f"{rel(path)} has no JavaScript left: drop it from KNOWN"
        return
    assert not found, f"{rel(path)}: move this JavaScript to js/*.js: {found}"


def test_the_scan_catches_javascript() -> None:
    planted = (
        '"""Docs may say window.colabWatchdog."""\n'
        'A = "function () { return [location.href]; }"\n'
        "B = f'(async (t) => {x})'\n"
        "C = 'const s = window.__sim;'\n"
        "D = 'document.readyState'\n"
        "E = 'return colabWatchdogTick(arguments[0]);'\n"
        "F = 'no display: open a browser window. On a server, use attach'\n"
        "G = 'a => b is not JS in prose? it is flagged: reword it'\n"
    )
    found = js_strings(planted)
    lines = sorted(int(line.split(":")[0].removeprefix("line ")) for line in found)
    assert lines == [2, 3, 4, 5, 6, 8]


def test_fill_puts_each_part_at_its_marker() -> None:
    template = "function (v) {\n/*@BODY@*/\n  return [/*@VALUE@*/];\n}"
    assert fill(template, BODY="const x = 1;", VALUE="x") == (
        "function (v) {\nconst x = 1;\n  return [x];\n}"
    )
    # a part's own text is not searched for markers
    assert fill("a(/*@F@*/)", F="/*@G@*/") == "a(/*@G@*/)"


@pytest.mark.parametrize(
    ("template", "parts"),
    [("a(/*@F@*/)", {}), ("a()", {"F": "x"}), ("a(/*@F@*/, /*@G@*/)", {"F": "x"})],
)
def test_fill_refuses_markers_and_parts_that_do_not_match(
    template: str, parts: dict[str, str]
) -> None:
    with pytest.raises(ValueError, match="markers"):
        fill(template, **parts)


def test_without_header_leaves_the_function_expression() -> None:
    source = "/*\n * contract\n */\nfunction () { return [1]; /* inner */ }\n"
    assert without_header(source) == "function () { return [1]; /* inner */ }\n"
    assert without_header("function () {}") == "function () {}"
