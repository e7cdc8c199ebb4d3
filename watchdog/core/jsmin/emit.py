"""Write tokens back as text: the fewest spaces, and line breaks only where they matter."""

from __future__ import annotations

import re

from watchdog.core.jsmin.tokens import KEYWORDS, Tok, words

_GOES_ON = words(
    ") ] } . ?. ? : , ; => && || ?? * ** % == === != !== < > <= >= << >> >>> & | ^ = "
    "+= -= *= /= %= &= |= ^= **= <<= >>= >>>= &&= ||= ??="
) | {"in", "of", "instanceof"}
# These follow a statement: after a block's `}` they need nothing, after anything else `;`.
_AFTER_STATEMENT = frozenset({"else", "catch", "finally"})
# After these words a line break must stay (a restricted production or a contextual word).
_KEEP_BREAK_AFTER = words("return break continue throw yield debugger async get set let of static")
# Words that end an expression; a line break after any other keyword goes.
_VALUE_WORDS = words("this null true false super undefined")
_CONTROL = frozenset({"if", "for", "while", "switch", "catch", "with"})
_BLOCK_WORDS = frozenset({"else", "try", "finally", "do"})


def emit(toks: list[Tok]) -> str:
    parts: list[str] = []
    code = [t for t in toks if t.kind != "nl"]
    heads, block_ends = _statement_parts(code)
    drop = _dangling_commas(code)
    prev: Tok | None = None
    prev_at = -1
    pending_nl = False
    for tok in toks:
        if tok.kind == "nl":
            pending_nl = True
            continue
        if prev_at + 1 in drop:
            prev_at += 1
            continue
        text = _text(tok)
        if prev is not None and pending_nl:
            sep = _line_break(prev, tok, prev_at in heads, prev_at in block_ends)
            if sep:
                parts.append(sep)
        if parts and _needs_space(parts[-1], text, prev is not None and prev.kind == "regex"):
            parts.append(" ")
        parts.append(text)
        pending_nl = False
        prev = tok
        prev_at += 1
    return "".join(parts) + "\n"


def _text(tok: Tok) -> str:
    if tok.kind != "name" or tok.new is None:
        return tok.text
    return f"{tok.text}:{tok.new}" if tok.shorthand else tok.new


def _statement_parts(code: list[Tok]) -> tuple[set[int], set[int]]:
    """Indexes of each `)` closing an `if`/`for`/`while`/... head or a function declaration's
    parameters, and of each `}` closing a statement block: after either a line break needs
    nothing (`if(a)b()`, `}f()`)."""
    heads: set[int] = set()
    stack: list[int] = []
    openers: list[int] = []
    block_ends: set[int] = set()
    for i, tok in enumerate(code):
        if tok.kind == "punct" and tok.text == "(":
            stack.append(i)
        elif tok.kind == "punct" and tok.text == ")" and stack:
            open_ = stack.pop()
            before = code[open_ - 1] if open_ else None
            if before is not None and before.kind == "name":
                if before.text in _CONTROL:
                    heads.add(i)
                elif open_ >= 2 and code[open_ - 2].text == "function":
                    at = open_ - 3
                    if at < 0 or code[at].text in (";", "{", "}"):
                        heads.add(i)
        elif tok.kind == "punct" and tok.text == "{":
            openers.append(i if _opens_statement(code, i, heads) else -1)
        elif tok.kind == "punct" and tok.text == "}" and openers and openers.pop() >= 0:
            block_ends.add(i)
        if tok.kind == "tpl" and tok.text.startswith("}") and openers:
            openers.pop()
        if tok.kind == "tpl" and tok.text.endswith("${"):
            openers.append(-1)
    return heads, block_ends


def _opens_statement(code: list[Tok], i: int, heads: set[int]) -> bool:
    """Whether the `{` at `i` opens a statement block (not an object or a function value)."""
    if i == 0 or i - 1 in heads:
        return True
    prev = code[i - 1]
    return prev.text in (";", "{") or (prev.kind == "name" and prev.text in _BLOCK_WORDS)


def _dangling_commas(code: list[Tok]) -> set[int]:
    """Indexes of commas just before `}`, or before `]` after a value (`[a,]`, not `[a,,]`)."""
    drop: set[int] = set()
    for i, tok in enumerate(code[:-1]):
        if tok.kind != "punct" or tok.text != ",":
            continue
        after, before = code[i + 1], code[i - 1] if i else None
        if after.kind == "punct" and after.text == "}":
            drop.add(i)
        elif after.kind == "punct" and after.text == "]" and before is not None:
            hole = before.kind == "punct" and before.text in (",", "[")
            if not hole:
                drop.add(i)
    return drop


def _line_break(prev: Tok, nxt: Tok, after_head: bool, after_block: bool) -> str:
    """What a line break between two tokens becomes: "" (nothing), ";" or "\n"."""
    if (
        (prev.kind == "name" and prev.text in _KEEP_BREAK_AFTER)
        or (prev.kind == "punct" and prev.text in ("++", "--"))
        or (nxt.kind == "punct" and nxt.text in ("++", "--"))
        or (nxt.kind == "name" and nxt.text == "while")  # do {...}\nwhile: no `;` there
    ):
        return "\n"
    ends_value = (
        prev.kind in ("num", "str", "regex")
        or (prev.kind == "tpl" and prev.text.endswith("`"))
        or (prev.kind == "name" and (prev.text not in KEYWORDS or prev.text in _VALUE_WORDS))
        or (prev.kind == "punct" and prev.text in (")", "]", "}"))
    )
    goes_on = (
        (nxt.kind in ("punct", "name") and nxt.text in _GOES_ON)
        # no semicolon is inserted before these: the line goes on anyway
        or (nxt.kind == "punct" and nxt.text in ("(", "[", "+", "-", "/", "/="))
        or nxt.kind == "tpl"
    )
    if nxt.kind == "name" and nxt.text in _AFTER_STATEMENT:
        return "" if after_block else ";"
    return "" if after_head or after_block or not ends_value or goes_on else ";"


def _needs_space(before: str, after: str, after_regex: bool) -> bool:
    """Whether two tokens written together would read as other tokens."""
    a, b = before[-1], after[0]
    word_b = re.match(r"[\w$\u0080-\uffff]", b)
    word = word_b and (after_regex or re.match(r"[\w$\u0080-\uffff]", a))
    glued = a + b in ("++", "--", "+-", "-+", "//", "/*")
    number_dot = b == "." and re.fullmatch(r"\d+", before)
    comment = (before.endswith("<") and after.startswith("!--")) or (
        before.endswith("-") and after.startswith("->")
    )
    return bool(word or glued or number_dot or comment)
