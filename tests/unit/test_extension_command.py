"""`colab-watchdog extension`: the folder, the zip, the shipped manifest, and bad input.

No browser here: tests/extension/test_extension_browser.py loads the build in Chromium.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from watchdog.cli.main import main
from watchdog.cli.settings import Settings

SHIPPED_FILES = {
    "manifest.json",
    "defaults.js",
    "engine.js",
    "settings.js",
    "lifetime.js",
    "content.js",
    "worker.js",
    "popup.html",
    "popup.js",
    "options.html",
    "options.js",
    "extension.css",
    "icons/icon-16.png",
    "icons/icon-32.png",
    "icons/icon-48.png",
    "icons/icon-128.png",
}
ROOT = Path(__file__).resolve().parents[2]


def build(output: Path, *argv: str) -> None:
    assert main(["extension", "--output", str(output), *argv]) == 0


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def defaults_of(folder: Path) -> dict[str, object]:
    text = (folder / "defaults.js").read_text()
    literal = re.search(r"^const CW_DEFAULTS = (.*);$", text, re.MULTILINE)
    assert literal, text
    return dict(json.loads(literal.group(1)))


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    for name in (
        "INTERVAL",
        "RECONNECT",
        "MAX_LIFETIME",
        "WARN_BEFORE",
        "IDLE_TIMEOUT",
        "FINISHED_AFTER",
    ):
        monkeypatch.delenv(f"WATCHDOG_{name}", raising=False)
    build(tmp_path / "ext", "--zip", str(tmp_path / "ext.zip"))
    return tmp_path / "ext"


def test_manifest_is_mv3_with_exactly_the_listed_permissions(shipped: Path) -> None:
    manifest = json.loads((shipped / "manifest.json").read_text())
    assert manifest["manifest_version"] == 3
    assert manifest["permissions"] == ["alarms", "notifications", "storage"]
    assert manifest["host_permissions"] == ["https://colab.research.google.com/*"]
    assert [c["matches"] for c in manifest["content_scripts"]] == [
        ["https://colab.research.google.com/*"]
    ]
    assert "optional_permissions" not in manifest
    assert "optional_host_permissions" not in manifest
    assert "content_security_policy" not in manifest  # MV3's default: no remote code
    assert "externally_connectable" not in manifest
    assert "web_accessible_resources" not in manifest
    assert manifest["background"] == {"service_worker": "worker.js"}
    scripts = manifest["content_scripts"][0]["js"]
    assert scripts[-2:] == ["engine.js", "content.js"]
    referenced = set(scripts) | {"worker.js", "popup.html", "options.html"}
    referenced |= set(manifest["icons"].values())
    assert referenced <= files_under(shipped)


MATCHED_ONLY = ("https://colab.research.google.com/", "https://accounts.google.com/")


def test_no_network_and_no_remote_code_in_the_shipped_scripts(shipped: Path) -> None:
    forbidden = re.compile(
        r"\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|\beval\s*\(|"
        r"new Function|debugger|chrome\.debugger|<script[^>]*src=\"https?:|import\s*\("
    )
    for name in files_under(shipped):
        if name.endswith((".js", ".html", ".css")):
            text = (shipped / name).read_text()
            assert not forbidden.search(text), (name, forbidden.search(text))
            # Addresses appear only as text to match against (the forbidden APIs above
            # make sure nothing is fetched): Colab's, and Google's sign-in pages that the
            # engine recognises to report a signed-out profile.
            for url in re.findall(r"https?://[^\s\"')]+", text):
                assert url.startswith(MATCHED_ONLY), (name, url)
    worker = (shipped / "worker.js").read_text()
    assert 'importScripts("defaults.js", "settings.js", "lifetime.js");' in worker


def test_cli_writes_the_folder_and_the_zip(shipped: Path, tmp_path: Path) -> None:
    assert files_under(shipped) == SHIPPED_FILES
    with zipfile.ZipFile(tmp_path / "ext.zip") as archive:
        assert set(archive.namelist()) == SHIPPED_FILES
        assert archive.read("manifest.json") == (shipped / "manifest.json").read_bytes()
    # The engine is js/engine.js itself, included at build time.
    assert (shipped / "engine.js").read_text() == (ROOT / "js" / "engine.js").read_text()
    assert (shipped / "icons/icon-128.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_defaults_are_the_daemons(shipped: Path) -> None:
    daemon = Settings(_env_file=None)  # type: ignore[call-arg]
    assert defaults_of(shipped) == {
        "interval": daemon.interval,
        "reconnect": daemon.reconnect,
        "maxLifetime": daemon.max_lifetime,
        "warnBefore": list(daemon.warn_before),
        "idleTimeout": daemon.idle_timeout,
        "finishedAfter": daemon.finished_after,
        "selectors": None,
    }


def test_flags_set_the_defaults_and_a_rebuild_replaces_the_files(
    shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extension", "--output", str(shipped), "--interval", "1s", "--reconnect"]) == 0
    assert defaults_of(shipped)["interval"] == 1.0
    assert defaults_of(shipped)["reconnect"] is True
    out = capsys.readouterr().out
    assert "chrome://extensions > Developer mode > Load unpacked" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--interval", "soon"], "--interval='soon': invalid duration"),
        (["--interval", "0s"], "--interval"),
        (["--interval", "2h"], "must be shorter than"),
    ],
)
def test_bad_interval_is_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCHDOG_INTERVAL", raising=False)
    monkeypatch.delenv("WATCHDOG_IDLE_TIMEOUT", raising=False)
    assert main(["extension", "--output", str(tmp_path / "ext"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("colab-watchdog: error: "), err
    assert expected in err
    assert not (tmp_path / "ext").exists()  # nothing written


def test_output_must_be_a_new_empty_or_earlier_build_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    assert main(["extension", "--output", str(a_file)]) == 2
    assert "is a file" in capsys.readouterr().err
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "cat.jpg").write_text("x")
    assert main(["extension", "--output", str(foreign)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds other files" in err
    assert files_under(foreign) == {"cat.jpg"}


def test_output_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["extension"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--output" in err
