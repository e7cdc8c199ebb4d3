"""Make our own JavaScript smaller without changing what it does. Pure: text in, text out.

    minify(source, keep=frozenset({"colabWatchdogStart"}))  -> the same program, shorter

On tokens, never on text patterns (strings, templates and regex literals are single tokens):
- comments and needless spaces go; a line break goes too, or becomes `;` where automatic
  semicolon insertion would have put one there, or stays where it matters (`return`);
- every name the program declares (functions, parameters, `const`/`let`, `catch`) is renamed
  to a short one, the same new name for every binding of one old name, so which declaration
  each use refers to stays the same. Not renamed: the names in `keep`, property names (after
  `.`, object keys), and any name also used somewhere it is not declared (a global);
- `const` becomes `let` where no binding of that name is ever assigned;
- a "double-quoted" string with no quote or backslash inside becomes 'single-quoted' (a
  bookmarklet percent-encodes `"`, not `'`); `true`/`false` become `!0`/`!1`; consecutive
  `let` statements become one;
- sections named in `omit` go, then every function declaration nothing calls.

The modules: tokens.py (text -> tokens), scopes.py (bindings and new names), emit.py
(tokens -> text).

Only the subset of JavaScript our sources use is understood; anything else (object
destructuring, `var`, `class`, `with`, `eval`) raises ValueError rather than risk a wrong
rename. Behaviour is checked by running the output in a real browser (tests/browser).
"""

from __future__ import annotations

import re
from collections import Counter

from watchdog.core.jsmin.emit import emit
from watchdog.core.jsmin.scopes import Scopes
from watchdog.core.jsmin.tokens import Tok, tokenize

__all__ = ["minify", "tokenize"]

# `true` -> `!0`, `false` -> `!1`, unless what follows binds tighter than `!` (`true.x`).
_BOOLEANS = {"true": "!0", "false": "!1"}
_BINDS_TIGHTER = frozenset({".", "?.", "[", "(", "**"})


def minify(
    source: str, keep: frozenset[str] = frozenset(), omit: frozenset[str] = frozenset()
) -> str:
    """`source` smaller, same behaviour; ends in a line break. Raises ValueError on source
    it does not understand (unterminated literals, constructs outside the supported subset).

    `omit` names marked sections to leave out: code between `/* not in the NAME { */` and
    `/* } not in the NAME */`. A name whose only declaration was left out must not be used
    outside the section (ValueError). Functions declared and then not called (any more) go.
    """
    full = tokenize(source)
    toks = _omit(full, omit)
    if len(toks) != len(full):
        lost = Scopes(_code(toks)).free() - Scopes(_code(full)).free()
        if lost:
            raise ValueError(f"used outside the omitted sections {sorted(omit)}: {sorted(lost)}")
    toks = _drop_unused_functions(toks, keep)
    code = _code(toks)
    Scopes(code).rename(keep)
    _const_to_let(code)
    for i, tok in enumerate(code):
        if tok.kind == "str" and tok.text[0] == '"' and not re.search(r"['\\]", tok.text):
            tok.text = "'" + tok.text[1:-1] + "'"
        elif tok.kind == "name" and tok.text in _BOOLEANS and not tok.prop:
            after = code[i + 1] if i + 1 < len(code) else None
            if after is None or (after.kind != "tpl" and after.text not in _BINDS_TIGHTER):
                tok.text = _BOOLEANS[tok.text]
    gone = _merge_lets(code)
    return emit([t for t in toks if id(t) not in gone])


def _merge_lets(code: list[Tok]) -> set[int]:
    """`let a=1;let b=2;` -> `let a=1,b=2;`: turns each such `;` into `,` and returns the ids
    of the `let` tokens that go."""
    gone: set[int] = set()
    i = 0
    while i < len(code):
        tok = code[i]
        start = i == 0 or code[i - 1].text in (";", "{", "}") or id(tok) in gone
        if not (tok.kind == "name" and tok.text == "let" and start):
            i += 1
            continue
        end = _statement_end(code, i + 1)
        after = code[end + 1] if end is not None and end + 1 < len(code) else None
        if end is None or after is None or after.kind != "name" or after.text != "let":
            i += 1
            continue
        code[end].text = ","
        gone.add(id(after))
        i = end + 1
    return gone


def _statement_end(code: list[Tok], i: int) -> int | None:
    """Index of the `;` ending the statement that goes on at `i`, or None (no `;` there)."""
    depth = 0
    for j in range(i, len(code)):
        tok = code[j]
        opens = (tok.kind == "punct" and tok.text in "([{") or (
            tok.kind == "tpl" and tok.text.endswith("${") and not tok.text.startswith("}")
        )
        closes = (tok.kind == "punct" and tok.text in ")]}") or (
            tok.kind == "tpl" and tok.text.startswith("}") and not tok.text.endswith("${")
        )
        if opens:
            depth += 1
        elif closes:
            if depth == 0:
                return None
            depth -= 1
        elif depth == 0 and tok.kind == "punct" and tok.text == ";":
            return j
    return None


def _code(toks: list[Tok]) -> list[Tok]:
    return [t for t in toks if t.kind not in ("nl", "mark")]


def _omit(toks: list[Tok], omit: frozenset[str]) -> list[Tok]:
    """The tokens without the sections named in `omit`, and without any section marks."""
    out: list[Tok] = []
    inside: str | None = None
    for tok in toks:
        if tok.kind != "mark":
            if inside is None and not (tok.kind == "nl" and out and out[-1].kind == "nl"):
                out.append(tok)
            continue
        edge, name = tok.text.split(":", 1)
        if edge == "begin" and inside is None and name in omit:
            inside = name
        elif edge == "end" and inside == name:
            inside = None
        elif inside is not None:
            raise ValueError(f"section marks overlap: {name} inside {inside}")
    if inside is not None:
        raise ValueError(f"section {inside} is never closed")
    return out


def _drop_unused_functions(toks: list[Tok], keep: frozenset[str]) -> list[Tok]:
    """Without the function declarations nothing refers to, until none is left."""
    while True:
        code = _code(toks)
        scopes = Scopes(code)
        spans = scopes.function_declarations()
        declared = Counter(code[at + 1].text for at, _ in spans)
        where: dict[str, list[int]] = {}
        for i, tok in enumerate(code):
            named = tok.kind == "name" and tok.text in declared
            if named and not (scopes.is_prop(i) or scopes.is_key(i)):
                where.setdefault(tok.text, []).append(i)
        gone: set[int] = set()
        for at, end in spans:
            name = code[at + 1].text
            used = any(not at <= i <= end for i in where.get(name, ()))
            if declared[name] == 1 and not used and name not in keep:
                gone.update(id(t) for t in code[at : end + 1])
        if not gone:
            return toks
        toks = [t for t in toks if id(t) not in gone]


def _const_to_let(code: list[Tok]) -> None:
    """`const` -> `let` unless some binding of the same (new) name is ever assigned."""
    assigned: set[str] = set()
    ops = {"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^="}
    ops |= {"&&=", "||=", "??="}
    for i, tok in enumerate(code):
        if tok.kind != "name" or tok.prop:
            continue
        after = code[i + 1].text if i + 1 < len(code) else ""
        before = code[i - 1].text if i else ""
        if (after in ops and not tok.decl) or after in ("++", "--") or before in ("++", "--"):
            assigned.add(tok.new or tok.text)
    for i, tok in enumerate(code):
        if tok.kind == "name" and tok.text == "const" and not tok.prop:
            j = i + 1
            names = _bound_names(code, j)
            if not names & assigned:
                tok.text = "let"


def _bound_names(code: list[Tok], j: int) -> set[str]:
    """The names bound by the declaration starting at `j` (through its `;` or `of`)."""
    names: set[str] = set()
    depth = 0
    while j < len(code):
        tok = code[j]
        if tok.kind == "punct" and tok.text in "([{":
            depth += 1
        elif tok.kind == "punct" and tok.text in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and tok.text == ";":
            break
        if tok.decl:
            names.add(tok.new or tok.text)
        j += 1
    return names
