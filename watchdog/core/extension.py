"""Build the Manifest V3 browser extension from js/. Pure: sources in, files (bytes) out.

    options = ExtensionOptions(interval_s=60, reconnect=False, max_lifetime_s=43200,
                               warn_before_s=(3600, 1800, 600, 300), idle_timeout_s=5400,
                               finished_after_s=120)
    files = build_extension(engine_src, sources, options)   -> {relative path: bytes}
    manifest(version)                                       -> the manifest.json object

`sources` maps each name of EXTENSION_SOURCES (js/extension/<name>) to its text; the engine is
js/engine.js itself, copied in at build time. The options become `defaults.js`, a JSON
literal (values are never spliced into source text). The permissions are fixed here and only
here: PERMISSIONS and HOST_PERMISSIONS, nothing else.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from watchdog.core.icon import icon_png

NAME = "Colab watchdog"
COLAB_PAGES = "https://colab.research.google.com/*"
PERMISSIONS = ("alarms", "notifications", "storage")
HOST_PERMISSIONS = (COLAB_PAGES,)
ICON_SIZES = (16, 32, 48, 128)

# js/extension/<name>: one purpose per file, each with a header comment stating its contract.
EXTENSION_SOURCES = (
    "settings.js",
    "lifetime.js",
    "content.js",
    "worker.js",
    "popup.html",
    "popup.js",
    "options.html",
    "options.js",
    "extension.css",
)
# The content script's files, in load order (one isolated world, shared top-level scope).
CONTENT_SCRIPTS = ("defaults.js", "settings.js", "lifetime.js", "engine.js", "content.js")


@dataclass(frozen=True)
class ExtensionOptions:
    """The extension's defaults (the options page can change them). Durations in seconds."""

    interval_s: float = 60.0
    reconnect: bool = False
    max_lifetime_s: float = 43200.0
    warn_before_s: tuple[float, ...] = (3600.0, 1800.0, 600.0, 300.0)
    idle_timeout_s: float = 5400.0
    finished_after_s: float = 120.0  # a run this long that ends is announced ("finished")
    selectors: dict[str, list[str]] | None = None

    def __post_init__(self) -> None:
        for name in ("interval_s", "max_lifetime_s", "idle_timeout_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number of seconds, not {value}")
        if any(not (math.isfinite(m) and 0 < m < self.max_lifetime_s) for m in self.warn_before_s):
            raise ValueError("every warning margin must be positive and shorter than the lifetime")
        if not (math.isfinite(self.finished_after_s) and self.finished_after_s >= 0):
            raise ValueError(f"finished_after_s must not be negative, not {self.finished_after_s}")

    def defaults(self) -> dict[str, object]:
        """The `CW_DEFAULTS` object of defaults.js (see js/extension/settings.js)."""
        return {
            "interval": self.interval_s,
            "reconnect": self.reconnect,
            "maxLifetime": self.max_lifetime_s,
            "warnBefore": sorted(set(self.warn_before_s), reverse=True),
            "idleTimeout": self.idle_timeout_s,
            "finishedAfter": self.finished_after_s,
            "selectors": self.selectors,
        }


def manifest_version_of(version: str) -> str:
    """The package version as Chrome accepts it: 1-4 dot-separated integers (its leading
    release numbers: "0.1.0.dev2" and "1.0rc1" -> "0.1.0", "1.0")."""
    leading = re.match(r"\d+(?:\.\d+){0,2}", version)
    parts = leading.group(0).split(".") if leading else ["0"]
    return ".".join(str(int(p)) for p in parts)


def manifest(version: str) -> dict[str, object]:
    """The shipped manifest.json: MV3, the fixed permissions, Colab pages only."""
    icons = {str(size): f"icons/icon-{size}.png" for size in ICON_SIZES}
    return {
        "manifest_version": 3,
        "name": NAME,
        "version": manifest_version_of(version),
        "description": "Keeps open Colab tabs alive within their limits and counts down to "
        "the runtime's end. Page events only; nothing leaves the machine.",
        "minimum_chrome_version": "116",
        "permissions": list(PERMISSIONS),
        "host_permissions": list(HOST_PERMISSIONS),
        "background": {"service_worker": "worker.js"},
        "content_scripts": [
            {"matches": [COLAB_PAGES], "js": list(CONTENT_SCRIPTS), "run_at": "document_idle"}
        ],
        "action": {"default_title": NAME, "default_popup": "popup.html", "default_icon": icons},
        "options_ui": {"page": "options.html", "open_in_tab": True},
        "icons": icons,
    }


def defaults_js(options: ExtensionOptions) -> str:
    """defaults.js: `const CW_DEFAULTS = {...};` from the options, as a JSON literal."""
    literal = json.dumps(options.defaults(), ensure_ascii=True, sort_keys=True, allow_nan=False)
    return (
        "/*\n"
        " * colab-watchdog extension: the defaults it was built with (generated by\n"
        " * `colab-watchdog extension` from the daemon's settings; the options page overrides\n"
        " * them in chrome.storage.local).\n"
        " */\n"
        f"const CW_DEFAULTS = {literal};\n"
    )


def build_extension(
    engine_src: str, sources: Mapping[str, str], options: ExtensionOptions, version: str
) -> dict[str, bytes]:
    """Every file of the unpacked extension, by relative path. Raises ValueError when a
    source named in EXTENSION_SOURCES is missing."""
    missing = [name for name in EXTENSION_SOURCES if name not in sources]
    if missing:
        raise ValueError(f"extension sources missing: {', '.join(missing)}")
    files: dict[str, bytes] = {name: sources[name].encode("utf-8") for name in EXTENSION_SOURCES}
    files["engine.js"] = engine_src.encode("utf-8")
    files["defaults.js"] = defaults_js(options).encode("utf-8")
    text = json.dumps(manifest(version), indent=2, ensure_ascii=True) + "\n"
    files["manifest.json"] = text.encode("utf-8")
    for size in ICON_SIZES:
        files[f"icons/icon-{size}.png"] = icon_png(size)
    return dict(sorted(files.items()))
