"""Filling the markers of a JavaScript template from js/. Pure.

A template marks where generated text goes with a comment `/*@NAME@*/`, so the file stays
valid JavaScript as written and the code around the marker stays in js/, not in Python.

    fill("const A = /*@A@*/;", A="[1, 2]")  -> "const A = [1, 2];"

A marker stands where a statement or a whole expression goes.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"/\*@(\w+)@\*/")
_HEADER = re.compile(r"\A\s*/\*.*?\*/\s*", re.DOTALL)


def fill(template: str, **parts: str) -> str:
    """`template` with each `/*@NAME@*/` replaced by `parts[NAME]`.

    Raises ValueError unless the template's markers and the parts' names are the same set.
    """
    names = set(_MARKER.findall(template))
    if names != set(parts):
        raise ValueError(
            f"the JavaScript template's markers {sorted(names)} do not match {sorted(parts)}"
        )
    return _MARKER.sub(lambda match: parts[match.group(1)], template)


def without_header(source: str) -> str:
    """`source` without its leading header comment: the bare function expression that
    WebDriver BiDi, CDP and execute_script all accept as a function declaration."""
    return _HEADER.sub("", source, count=1)
