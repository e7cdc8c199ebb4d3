"""JavaScript tokens: names, numbers, strings, template parts, regex literals,
punctuators and line breaks (comments dropped; section marks kept). Pure: text in, tokens out."""

from __future__ import annotations

import re
from dataclasses import dataclass


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KEYWORDS = words(
    "break case catch class const continue debugger default delete do else enum export "
    "extends false finally for function if import in instanceof new null return super "
    "switch this throw true try typeof var void while with yield let static await "
    "implements package protected interface private public of async get set arguments "
    "eval undefined NaN Infinity"
)
UNSUPPORTED = frozenset({"var", "class", "with", "eval", "import", "export", "arguments"})
_REGEX_AFTER_WORDS = words(
    "return typeof instanceof in of new delete void throw case do else yield await"
)
# Longest first, so `>>>=` is one token, not `>>` `>=`.
_PUNCT = sorted(
    words(
        ">>>= ... === !== **= <<= >>= >>> &&= ||= ??= => == != <= >= && || ?? ?. ++ -- "
        "+= -= *= /= %= &= |= ^= ** << >> { } ( ) [ ] ; , < > + - * / % & | ^ ! ~ ? : = . @ #"
    ),
    key=len,
    reverse=True,
)
_NAME = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_NUMBER = re.compile(
    r"(?:0[xXbBoO][\da-fA-F_]+|\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)n?"
)
_SPACE = " \t\r\ufeff\u00a0"
# `/* not in the snippet { */` ... `/* } not in the snippet */`: a section `minify` can omit.
_MARK = re.compile(r"/\* (\} )?not in the ([\w-]+)( \{)? \*/")
# A line break before these never ends a statement: the code goes on.


@dataclass
class Tok:
    kind: str  # "name", "num", "str", "tpl", "regex", "punct", "nl"
    text: str
    new: str | None = None  # the name it is renamed to
    shorthand: bool = False  # `{x}` in an object literal: written `{x:new}` when renamed
    decl: bool = False  # the name of a binding
    prop: bool = False  # a property name: never renamed


def tokenize(src: str) -> list[Tok]:
    """Tokens of `src`, comments dropped, runs of line breaks as one "nl" token."""
    out: list[Tok] = []
    braces: list[bool] = []  # per open `{`: True when it opened a template's `${`
    i, n = 0, len(src)
    while i < n:
        ch, two = src[i], src[i : i + 2]
        if ch in "\n\u2028\u2029" or ch in _SPACE:
            if ch not in _SPACE and out and out[-1].kind != "nl":
                out.append(Tok("nl", "\n"))
            i += 1
        elif two in ("//", "/*"):
            i = _comment(src, i, out)
        elif ch in "'\"":
            i = _string(src, i, out)
        elif ch == "`" or (ch == "}" and braces and braces[-1]):
            if ch == "}":
                braces.pop()
            i = _template(src, i, out, braces)
        elif ch == "/" and _regex_allowed(out):
            i = _regex(src, i, out)
        elif m := (_NUMBER.match(src, i) or _NAME.match(src, i)):
            out.append(Tok("num" if m.re is _NUMBER else "name", m.group(0)))
            i = m.end()
        else:
            i = _punct(src, i, out, braces)
    while out and out[-1].kind == "nl":
        out.pop()
    while out and out[0].kind == "nl":
        out.pop(0)
    return out


def _comment(src: str, i: int, out: list[Tok]) -> int:
    """Skip the comment at `i`; a block comment holding a line break counts as one."""
    if src.startswith("//", i):
        end = src.find("\n", i)
        return len(src) if end < 0 else end
    end = src.find("*/", i + 2)
    if end < 0:
        raise ValueError("unterminated block comment")
    mark = _MARK.fullmatch(src, i, end + 2)
    if mark:
        edge = "end" if mark.group(1) else "begin"
        if bool(mark.group(1)) == bool(mark.group(3)):
            raise ValueError(f"malformed section mark: {src[i : end + 2]}")
        out.append(Tok("mark", f"{edge}:{mark.group(2)}"))
    if "\n" in src[i:end] and out and out[-1].kind != "nl":
        out.append(Tok("nl", "\n"))
    return end + 2


def _punct(src: str, i: int, out: list[Tok], braces: list[bool]) -> int:
    for p in _PUNCT:
        if src.startswith(p, i):
            if p == "?." and src[i + 2 : i + 3].isdigit():
                continue
            if p == "{":
                braces.append(False)
            elif p == "}" and braces:
                braces.pop()
            out.append(Tok("punct", p))
            return i + len(p)
    raise ValueError(f"unexpected character {src[i]!r}")


def _string(src: str, i: int, out: list[Tok]) -> int:
    quote, j = src[i], i + 1
    while j < len(src) and src[j] != quote and src[j] != "\n":
        j += 2 if src[j] == "\\" else 1
    if j >= len(src) or src[j] != quote:
        raise ValueError("unterminated string literal")
    out.append(Tok("str", src[i : j + 1]))
    return j + 1


def _template(src: str, i: int, out: list[Tok], braces: list[bool]) -> int:
    """A template part: from a backtick (or the `}` closing a `${`) to the closing backtick,
    or into its next `${` (pushed on the brace stack)."""
    j = i + 1
    while j < len(src):
        ch = src[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "`":
            out.append(Tok("tpl", src[i : j + 1]))
            return j + 1
        if ch == "$" and src[j + 1 : j + 2] == "{":
            out.append(Tok("tpl", src[i : j + 2]))
            braces.append(True)
            return j + 2
        j += 1
    raise ValueError("unterminated template literal")


def _regex(src: str, i: int, out: list[Tok]) -> int:
    j, in_class = i + 1, False
    while j < len(src) and (in_class or src[j] != "/") and src[j] != "\n":
        if src[j] == "\\":
            j += 1
        elif src[j] in "[]":
            in_class = src[j] == "["
        j += 1
    if j >= len(src) or src[j] != "/":
        raise ValueError("unterminated regular expression")
    m = re.compile(r"[a-z]*").match(src, j + 1)
    end = m.end() if m else j + 1
    out.append(Tok("regex", src[i:end]))
    return end


def _regex_allowed(out: list[Tok]) -> bool:
    """Whether a `/` after these tokens starts a regex literal (else it divides)."""
    prev = next((t for t in reversed(out) if t.kind != "nl"), None)
    if prev is None:
        return True
    if prev.kind == "name":
        return prev.text in _REGEX_AFTER_WORDS
    if prev.kind in ("num", "str", "regex") or (prev.kind == "tpl" and prev.text[-1] == "`"):
        return False
    return prev.text not in (")", "]", "}", "++", "--")
