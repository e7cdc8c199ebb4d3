"""The pure extension builder (watchdog/core/extension.py) and its icon."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

from watchdog.core.extension import (
    EXTENSION_SOURCES,
    ExtensionOptions,
    build_extension,
    defaults_js,
    manifest,
    manifest_version_of,
)
from watchdog.core.icon import icon_png

SOURCES = {name: f"/* {name} */\n" for name in EXTENSION_SOURCES}


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", "0.1.0"), ("0.2.0.dev3", "0.2.0"), ("1.0rc1", "1.0"), ("2", "2"), ("x", "0")],
)
def test_manifest_version_is_what_chrome_accepts(version: str, expected: str) -> None:
    assert manifest_version_of(version) == expected
    assert manifest(version)["version"] == expected


def test_build_includes_the_engine_as_given_and_every_source() -> None:
    files = build_extension("ENGINE();", SOURCES, ExtensionOptions(), "0.1.0")
    assert files["engine.js"] == b"ENGINE();"
    for name in EXTENSION_SOURCES:
        assert files[name] == SOURCES[name].encode()
    assert json.loads(files["manifest.json"])["manifest_version"] == 3


def test_a_missing_source_is_named() -> None:
    partial = {k: v for k, v in SOURCES.items() if k != "worker.js"}
    with pytest.raises(ValueError, match=r"worker\.js"):
        build_extension("", partial, ExtensionOptions(), "0.1.0")


def test_defaults_are_a_json_literal() -> None:
    options = ExtensionOptions(interval_s=1, warn_before_s=(300, 3600, 300), finished_after_s=0)
    line = defaults_js(options).splitlines()[-1]
    assert line.startswith("const CW_DEFAULTS = ") and line.endswith(";")
    defaults = json.loads(line.removeprefix("const CW_DEFAULTS = ").removesuffix(";"))
    assert defaults["interval"] == 1
    assert defaults["warnBefore"] == [3600, 300]
    assert defaults["finishedAfter"] == 0  # every run that ends is announced


@pytest.mark.parametrize(
    "bad",
    [
        {"interval_s": 0},
        {"max_lifetime_s": float("inf")},
        {"warn_before_s": (43200.0,)},
        {"idle_timeout_s": -1},
        {"finished_after_s": -1},
        {"finished_after_s": float("nan")},
    ],
)
def test_bad_options_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ExtensionOptions(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [16, 48])
def test_icon_is_a_valid_rgba_png(size: int) -> None:
    data = icon_png(size)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (width, height, depth, colour) == (size, size, 8, 6)
    length = struct.unpack(">I", data[33:37])[0]
    pixels = zlib.decompress(data[41 : 41 + length])
    assert len(pixels) == size * (1 + 4 * size)
    corner_alpha = pixels[4]
    centre = size // 2 * (1 + 4 * size) + 1 + 4 * (size // 4)
    assert corner_alpha == 0 and pixels[centre + 3] == 255
