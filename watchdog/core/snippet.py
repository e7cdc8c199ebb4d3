"""Render the console snippet and the bookmarklet. Pure: text in, text out.

    options = SnippetOptions(interval_s=60, reconnect=False, max_lifetime_s=43200,
                             warn_before_s=(3600, 1800, 600, 300), selectors=None)
    render_console(engine_src, snippet_src, options)      -> JavaScript to paste into DevTools
    render_bookmarklet(engine_src, snippet_src, options)  -> "javascript:..." URL

Both put js/engine.js into the function scope of js/snippet.js (a template), minified
(`minify`: no comments or needless spaces, short local names; the source files keep theirs),
so nothing but `window.colabWatchdog` reaches the page, and call `colabWatchdogStart(config)`
with the options as a JSON literal: values are never spliced into source text.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from urllib.parse import quote

from watchdog import __version__
from watchdog.core.jsmin import minify
from watchdog.core.jstemplate import fill

# Characters a URL may hold as they are (RFC 3986), left unencoded in the bookmarklet.
BOOKMARKLET_SAFE = "!$&'()*+,-./:;=?@[]_~"


@dataclass(frozen=True)
class SnippetOptions:
    """What the pasted snippet does. Durations are seconds; `max_lifetime_s` None = no warnings."""

    interval_s: float = 60.0
    reconnect: bool = False
    max_lifetime_s: float | None = None
    warn_before_s: tuple[float, ...] = ()
    selectors: dict[str, list[str]] | None = None
    max_depth: int = 8
    finished_after_s: float = 120.0  # a run this long that ends is announced ("finished")

    def __post_init__(self) -> None:
        if not (math.isfinite(self.interval_s) and self.interval_s > 0):
            raise ValueError(
                f"interval must be a positive number of seconds, not {self.interval_s}"
            )
        if self.max_lifetime_s is not None and not (
            math.isfinite(self.max_lifetime_s) and self.max_lifetime_s > 0
        ):
            raise ValueError(f"max lifetime must be positive seconds, not {self.max_lifetime_s}")
        if any(not (math.isfinite(m) and m > 0) for m in self.warn_before_s):
            raise ValueError("every warning margin must be positive seconds")

    def config(self) -> dict[str, object]:
        """The `config` object colabWatchdogStart receives (see js/snippet.js)."""
        return {
            "interval": round(self.interval_s * 1000),
            "reconnect": self.reconnect,
            "maxLifetime": self.max_lifetime_s,
            "warnBefore": sorted(self.warn_before_s, reverse=True),
            "selectors": self.selectors,
            "maxDepth": self.max_depth,
            "finishedAfter": self.finished_after_s,
        }


def config_json(options: SnippetOptions) -> str:
    """The config as a JSON literal that is also a safe JavaScript expression (ASCII only)."""
    text = json.dumps(
        options.config(), ensure_ascii=True, sort_keys=True, allow_nan=False, separators=(",", ":")
    )
    # "</" cannot end a <script> if someone embeds the output in HTML.
    return text.replace("</", "<\\/")


# Names kept as they are in the output: the entry points, found by name in the output.
KEPT_NAMES = frozenset({"colabWatchdogStart", "colabWatchdogTick"})
# Sections of js/engine.js the snippet never runs (see its header).
OMITTED = frozenset({"snippet"})
# Stands for the config while the code is minified; a free name, so never renamed.
_CONFIG_SLOT = "CW_CONFIG_JSON"


def _wrap(engine_src: str, snippet_src: str, options: SnippetOptions) -> str:
    code = _minified(engine_src, snippet_src)
    call = f"colabWatchdogStart({_CONFIG_SLOT})"
    return code.replace(call, f"colabWatchdogStart({config_json(options)})")


@functools.lru_cache(maxsize=4)
def _minified(engine_src: str, snippet_src: str) -> str:
    """The engine in the snippet's template, minified, calling the start function with the
    config slot (the same for every option, so it is made once)."""
    source = fill(snippet_src, ENGINE=engine_src.strip(), CONFIG=_CONFIG_SLOT)
    code = minify(source, keep=KEPT_NAMES | {_CONFIG_SLOT}, omit=OMITTED)
    call = f"colabWatchdogStart({_CONFIG_SLOT})"
    if code.count(call) != 1 or code.count(_CONFIG_SLOT) != 1:
        raise ValueError(f"{_CONFIG_SLOT} must appear once in the snippet sources")
    return code


def render_console(engine_src: str, snippet_src: str, options: SnippetOptions) -> str:
    """JavaScript to paste into the DevTools console of a Colab tab.

    Pasting it again replaces the running instance; `colabWatchdog.stop()` stops it.
    """
    seconds = options.interval_s
    header = (
        f"// colab-watchdog {__version__} console snippet: ticks every {seconds:g}s"
        f"{', reconnects' if options.reconnect else ''}. "
        "Stop with colabWatchdog.stop(); last status in colabWatchdog.status.\n"
    )
    return header + _wrap(engine_src, snippet_src, options)


def render_bookmarklet(engine_src: str, snippet_src: str, options: SnippetOptions) -> str:
    """A `javascript:` URL that starts the watchdog when clicked as a bookmark.

    Every character outside RFC 3986's unreserved and sub-delimiter characters (and `/:?@[]`)
    is percent-encoded: spaces, newlines, `%`, `#`, quotes, braces, backslashes and non-ASCII
    text, so browsers that strip raw whitespace from URLs lose nothing.
    """
    code = _wrap(engine_src, snippet_src, options) + "void 0;"
    return "javascript:" + quote(code, safe=BOOKMARKLET_SAFE)
