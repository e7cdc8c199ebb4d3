"""The architecture in file names, enforced with `ast`.

- watchdog/core/: standard library and watchdog.core only; no clock reads, no environment,
  no I/O modules, no open()/print(). (The root `watchdog` package may be imported for
  `__version__` only, and `watchdog.notebook` for its pure duration rule: that file must run
  in Colab alone, so it holds the rule the daemon shares.)
- watchdog/adapters/: never import the daemon, the CLI or another adapter.
- watchdog/daemon/: never import adapters, the CLI, Selenium or apprise (ports only).
- watchdog/daemon/ and watchdog/core/: never import `schedule` and never read the wall
  clock (time through the injected Clock only; `schedule` is behind the Scheduler port).
- watchdog/notebook.py: standard library only (it is copied into Colab without the package).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "watchdog"
STDLIB = frozenset(sys.stdlib_module_names)

# Standard-library modules that exist to do I/O or run things concurrently: not in the core.
CORE_FORBIDDEN_STDLIB = frozenset(
    {
        "subprocess",
        "socket",
        "http",
        "urllib.request",
        "shutil",
        "tempfile",
        "threading",
        "multiprocessing",
        "asyncio",
        "signal",
        "sqlite3",
    }
)
# Reading the clock, anywhere the time must come from the injected Clock (core and daemon).
CLOCK_READS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "time.localtime",
        "time.gmtime",
    }
)
# Fully qualified calls/attributes that read the clock, the environment or sleep.
CORE_FORBIDDEN_NAMES = CLOCK_READS | {
    "time.sleep",
    "os.environ",
    "os.getenv",
    "os.putenv",
    "os.environb",
}
CORE_FORBIDDEN_BUILTINS = frozenset({"open", "print", "input", "exec", "eval"})
# The pure functions of watchdog/notebook.py the core may use (the one duration grammar).
NOTEBOOK_SHARED = frozenset({"DURATION_ACCEPTED", "duration_seconds", "format_remaining"})
# Libraries that read the clock inside (`schedule` uses a naive datetime.now()).
CLOCK_LIBRARIES = frozenset({"schedule"})


@dataclass(frozen=True)
class Import:
    module: str  # fully qualified, relative imports resolved
    names: tuple[str, ...]  # for `from X import a, b`
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports_in(tree: ast.AST, package: str) -> Iterator[Import]:
    """Every import under `tree`; relative ones resolved against `package`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield Import(base, tuple(a.name for a in node.names), node.lineno)


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imports_of(path: Path) -> Iterator[Import]:
    return imports_in(parse(path), package_of(path))


def is_stdlib(module: str) -> bool:
    return module.split(".", maxsplit=1)[0] in STDLIB or module == "__future__"


def python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def core_files() -> list[Path]:
    return python_files(PACKAGE / "core")


def rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def qualified_names(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """Every dotted name used (calls and attribute reads), with import aliases resolved."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name):
            parts: list[str] = []
            current: ast.expr = node
            while isinstance(current, ast.Attribute):
                parts.append(current.attr)
                current = current.value
            if isinstance(current, ast.Name) and current.id in aliases:
                parts.append(aliases[current.id])
                yield ".".join(reversed(parts)), node.lineno


def core_import_violations(imports: Iterator[Import]) -> list[str]:
    bad = []
    for imp in imports:
        if imp.module == "watchdog":
            if set(imp.names) - {"__version__"}:
                bad.append(f"line {imp.line}: from watchdog import {', '.join(imp.names)}")
        elif imp.module == "watchdog.notebook":
            if not imp.names or set(imp.names) - NOTEBOOK_SHARED:
                bad.append(f"line {imp.line}: watchdog.notebook {', '.join(imp.names)}")
        elif imp.module.startswith("watchdog."):
            if not (imp.module == "watchdog.core" or imp.module.startswith("watchdog.core.")):
                bad.append(f"line {imp.line}: {imp.module}")
        elif not is_stdlib(imp.module):
            bad.append(f"line {imp.line}: {imp.module} (not standard library)")
        elif any(imp.module == f or imp.module.startswith(f + ".") for f in CORE_FORBIDDEN_STDLIB):
            bad.append(f"line {imp.line}: {imp.module} (I/O in the pure core)")
    return bad


def core_purity_violations(tree: ast.Module) -> list[str]:
    found = {
        (line, forbidden)
        for name, line in qualified_names(tree)
        for forbidden in CORE_FORBIDDEN_NAMES
        if name == forbidden or name.startswith(forbidden + ".")
    }
    bad = [f"line {line}: {name}" for line, name in sorted(found)]
    bad += [
        f"line {node.lineno}: {node.func.id}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in CORE_FORBIDDEN_BUILTINS
    ]
    return bad


@pytest.mark.parametrize("path", core_files(), ids=rel)
def test_core_imports_only_stdlib_and_core(path: Path) -> None:
    bad = core_import_violations(imports_of(path))
    assert not bad, f"{rel(path)} imports outside the pure core: {bad}"


@pytest.mark.parametrize("path", core_files(), ids=rel)
def test_core_reads_no_clock_environment_or_files(path: Path) -> None:
    bad = core_purity_violations(parse(path))
    assert not bad, f"{rel(path)} is not pure: {bad}"


def adapter_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["watchdog", "adapters"]:
        return parts[2]
    return None


def adapter_violations(imports: Iterator[Import], own: str | None) -> list[str]:
    bad = []
    for imp in imports:
        if imp.module.startswith(("watchdog.daemon", "watchdog.cli")):
            bad.append(f"line {imp.line}: {imp.module}")
        elif imp.module == "watchdog" and set(imp.names) & {"daemon", "cli", "adapters"}:
            bad.append(f"line {imp.line}: from watchdog import {', '.join(imp.names)}")
        else:
            if imp.module == "watchdog.adapters":
                others = set(imp.names) - {own}
            else:
                others = {adapter_of(imp.module)} - {None, own}
            if others:
                bad.append(f"line {imp.line}: {imp.module} (adapter {sorted(map(str, others))})")
    return bad


ADAPTER_FILES = [
    p for p in python_files(PACKAGE / "adapters") if p != PACKAGE / "adapters" / "__init__.py"
]


@pytest.mark.parametrize("path", ADAPTER_FILES, ids=rel)
def test_adapters_import_no_daemon_cli_or_other_adapter(path: Path) -> None:
    own = adapter_of(module_name(path))
    bad = adapter_violations(imports_of(path), own)
    assert not bad, f"{rel(path)} (adapter {own!r}) imports across the boundary: {bad}"


@pytest.mark.parametrize("path", python_files(PACKAGE / "daemon"), ids=rel)
def test_daemon_talks_only_through_ports(path: Path) -> None:
    bad = [
        f"line {imp.line}: {imp.module}"
        for imp in imports_of(path)
        if imp.module.startswith(("watchdog.adapters", "watchdog.cli", "selenium", "apprise"))
        or (imp.module == "watchdog" and set(imp.names) & {"adapters", "cli"})
    ]
    assert not bad, f"{rel(path)} reaches past the ports: {bad}"


def clock_violations(tree: ast.Module, package: str) -> list[str]:
    """Clock reads (calls or references, aliases resolved) and clock-reading libraries.

    Only code counts: a string that holds source text (a notebook cell) is not read.
    """
    found = {
        (line, read)
        for name, line in qualified_names(tree)
        for read in CLOCK_READS
        if name == read or name.startswith(read + ".")
    }
    bad = [f"line {line}: {name}" for line, name in sorted(found)]
    bad += [
        f"line {imp.line}: {imp.module}"
        for imp in imports_in(tree, package)
        if imp.module.split(".")[0] in CLOCK_LIBRARIES
    ]
    return bad


CLOCKLESS_FILES = python_files(PACKAGE / "daemon") + core_files()


@pytest.mark.parametrize("path", CLOCKLESS_FILES, ids=rel)
def test_daemon_and_core_read_no_clock_and_import_no_schedule(path: Path) -> None:
    bad = clock_violations(parse(path), package_of(path))
    assert not bad, f"{rel(path)} reads the clock (use the injected Clock): {bad}"


# Modules every Colab runtime provides; the notebook helper may use them lazily, inside
# functions (guarded), never at import time.
COLAB_PROVIDED = frozenset({"google", "IPython"})


def notebook_violations(tree: ast.Module) -> list[str]:
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested.update(id(inner) for inner in ast.walk(node))
    bad = []
    for node in ast.walk(tree):
        for imp in (
            imports_in(node, "watchdog") if isinstance(node, ast.Import | ast.ImportFrom) else ()
        ):
            if is_stdlib(imp.module):
                continue
            if imp.module.split(".")[0] in COLAB_PROVIDED and id(node) in nested:
                continue
            bad.append(f"line {imp.line}: {imp.module}")
    return bad


def test_notebook_helper_is_stdlib_only() -> None:
    path = PACKAGE / "notebook.py"
    if not path.exists():
        pytest.skip("watchdog/notebook.py not written yet")
    bad = notebook_violations(parse(path))
    assert not bad, f"watchdog/notebook.py must run in Colab without the package: {bad}"


def test_the_checkers_catch_violations() -> None:
    """Each checker flags a planted violation (else the tests above could never fail)."""
    core_src = (
        "import time as _t\nfrom datetime import datetime as DT\nimport os\nimport selenium\n"
        "from watchdog.adapters import clock\nfrom watchdog import settings\n"
        "import subprocess\nfrom watchdog.notebook import CheckpointGuard\n"
        "x = _t.time()\ny = DT.now()\nz = os.environ.get('A')\nprint(x)\nclock.now()\n"
    )
    tree = ast.parse(core_src)
    imports = core_import_violations(imports_in(tree, "watchdog.core"))
    # selenium, watchdog.adapters, watchdog settings, subprocess, the notebook's guard
    assert len(imports) == 5, imports
    purity = core_purity_violations(tree)
    assert len(purity) == 4, purity  # time.time, datetime.now, os.environ, print (not clock.now)

    adapter_src = (
        "from ..clock import SystemClock\nfrom watchdog.daemon.ports import Browser\n"
        "from watchdog.adapters import statefile\nfrom . import driver\n"
        "from watchdog.cli.config import load_settings\n"
    )
    bad = adapter_violations(
        imports_in(ast.parse(adapter_src), "watchdog.adapters.browser"), "browser"
    )
    assert len(bad) == 4, bad  # clock, daemon, statefile, cli (not its own `driver`)

    clock_src = (
        "import schedule\nfrom schedule import Scheduler\nimport time\n"
        "from time import monotonic as mono\nfrom datetime import date, datetime\n"
        "a = time.perf_counter()\nb = mono()\nc = date.today()\n"
        "d = datetime.utcnow()\ne = sorted\nf = 'x = time.time()'\nclock.monotonic()\n"
    )
    bad = clock_violations(ast.parse(clock_src), "watchdog.daemon")
    # schedule twice, perf_counter, monotonic, date.today, utcnow (not the string, not clock.)
    assert len(bad) == 6, bad

    notebook_src = "import numpy\ndef f():\n    from google.colab import output\nimport IPython\n"
    assert len(notebook_violations(ast.parse(notebook_src))) == 2
