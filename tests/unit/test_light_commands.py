"""Building the CLI's parser (every command module is imported for `--help`, `url`, `status`,
`snippet`...) loads no heavy library: Selenium, apprise, pydantic-settings, rich, psutil,
loguru and platformdirs are imported inside the functions of the commands that use them, with
`# noqa: PLC0415 lazy: ...`. Walked with `ast` over module-level imports, transitively.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "watchdog"
HEAVY = frozenset({"selenium", "apprise", "pydantic_settings", "pydantic", "rich", "psutil"})
HEAVY |= {"loguru", "schedule", "webdriver_manager", "urllib3", "websocket", "platformdirs"}


def source_of(module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != "watchdog":
        return None
    base = PACKAGE.parent.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def module_level_imports(path: Path, module: str) -> set[str]:
    """Modules a module imports when it is imported: top-level statements (also inside a
    top-level try/if, not under TYPE_CHECKING), never function bodies."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    pending = list(ast.parse(path.read_text(encoding="utf-8")).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base != "__future__":
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.If | ast.Try) and not is_type_checking(node):
            for block in ("body", "orelse", "finalbody", "handlers"):
                pending.extend(getattr(node, block, []))
        elif isinstance(node, ast.ExceptHandler):
            pending.extend(node.body)
    return found


def loaded_by(start: list[str]) -> dict[str, str]:
    """Every module importing `start` loads, each with the watchdog module that imports it."""
    seen: dict[str, str] = {}
    pending = [(m, "(start)") for m in start]
    while pending:
        module, importer = pending.pop()
        parts = module.split(".")
        for cut in range(1, len(parts) + 1):  # a package's __init__ runs first
            name = ".".join(parts[:cut])
            path = source_of(name)
            if name in seen or (path is None and parts[0] == "watchdog"):
                continue
            seen[name] = importer
            if path is not None:
                pending.extend((m, name) for m in module_level_imports(path, name))
    return seen


def command_modules() -> list[str]:
    return [
        f"watchdog.cli.commands.{p.stem}"
        for p in sorted((PACKAGE / "cli" / "commands").glob("*.py"))
        if p.stem != "__init__"
    ]


def test_building_the_parser_loads_no_heavy_library() -> None:
    loaded = loaded_by(["watchdog.cli.main", *command_modules()])
    heavy = {m: by for m, by in loaded.items() if m.split(".")[0] in HEAVY}
    assert heavy == {}, f"imported at module level (module: importer): {heavy}"


def test_the_walk_sees_what_a_browser_command_loads() -> None:
    """The check above can fail: the composition root does load Selenium and apprise."""
    loaded = {m.split(".")[0] for m in loaded_by(["watchdog.cli.compose"])}
    assert {"selenium", "apprise", "loguru"} <= loaded
