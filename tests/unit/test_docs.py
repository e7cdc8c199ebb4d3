"""The README is a short front page, the depth is in docs/, and every relative link resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS, ROOT / "watchdog" / "sim" / "README.md"]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def relative_links(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [t for t in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        assert resolved.exists(), f"{page.name}: {target} -> {resolved}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", resolved.read_text(encoding="utf-8"), re.M)
            slugs = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in headings}
            assert anchor in slugs, f"{page.name}: no heading for #{anchor} in {resolved.name}"


def test_link_checker_sees_links() -> None:
    assert "docs/troubleshooting.md" in relative_links(ROOT / "README.md")


def test_readme_is_a_short_front_page_linking_every_doc() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120
    linked = set(relative_links(ROOT / "README.md"))
    for doc in DOCS:
        assert f"docs/{doc.name}" in linked, doc.name


def test_readme_keeps_the_two_commands_and_the_rules() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "./scripts/run # the built-in demo when no notebook is configured" in readme
    assert "./scripts/test" in readme
    for rule in (
        "never extends a runtime past its maximum lifetime",
        "never touches a captcha",
        "never rotates accounts",
        "daemon on an always-on machine holds the tab",
    ):
        assert rule in readme.replace("**", ""), rule


def test_troubleshooting_covers_a_changed_colab_page() -> None:
    text = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    section = text.split("## Colab changed its page", 1)[1].split("\n## ", 1)[0]
    assert "run --once" in section and "WATCHDOG_SELECTORS" in section
