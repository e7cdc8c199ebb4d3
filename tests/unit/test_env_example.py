""".env.example lists every setting once, with a one-line comment and the real default."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from watchdog.cli.config import load_settings
from watchdog.cli.settings import Settings
from watchdog.core.setting_values import env_name

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
LINE = re.compile(r"^(WATCHDOG_[A-Z_]+)=(.*)$")


def example_entries() -> list[tuple[str, str, str]]:
    """(variable, value, comment line above it) for every assignment in .env.example."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    entries = []
    for number, line in enumerate(lines):
        match = LINE.match(line)
        if match:
            comment = lines[number - 1] if number else ""
            entries.append((match.group(1), match.group(2), comment))
    return entries


def test_every_setting_is_listed_exactly_once() -> None:
    names = [name for name, _, _ in example_entries()]
    assert len(names) == len(set(names)), "a variable is listed twice"
    assert set(names) == {env_name(field) for field in Settings.model_fields}


def test_every_setting_has_a_one_line_comment() -> None:
    for name, _, comment in example_entries():
        assert comment.startswith("# ") and len(comment) > 10, f"{name} has no comment above it"


def test_every_line_is_a_comment_blank_or_assignment() -> None:
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        assert not line or line.startswith("#") or LINE.match(line), line


@pytest.mark.usefixtures("clean_env")
def test_listed_values_are_the_defaults(clean_env: Path) -> None:
    (clean_env / ".env").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    from_example = load_settings()
    defaults = load_settings(env_file=None)
    assert from_example == defaults
    for name, value, _ in example_entries():
        field = name.removeprefix("WATCHDOG_").lower()
        if value:  # an empty value means "the default"; a written one must parse to it
            parsed = Settings(_env_file=None, **{field: value})  # type: ignore[call-arg]
            assert getattr(parsed, field) == getattr(defaults, field), name


def test_settings_reference_lists_every_variable_with_its_default() -> None:
    readme = (EXAMPLE.parent / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| `(WATCHDOG_[A-Z_]+)` \| ([^|]*) \|", readme, re.MULTILINE)
    }
    assert set(rows) == {env_name(field) for field in Settings.model_fields}
    for name, value, _ in example_entries():
        if value:
            assert rows[name].strip() == f"`{value}`", name
