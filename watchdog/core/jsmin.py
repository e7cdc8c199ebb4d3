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
  bookmarklet percent-encodes `"`, not `'`).

Only the subset of JavaScript our sources use is understood; anything else (object
destructuring, `var`, `class`, `with`, `eval`) raises ValueError rather than risk a wrong
rename. Behaviour is checked by running the output in a real browser (tests/browser).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


KEYWORDS = _words(
    "break case catch class const continue debugger default delete do else enum export "
    "extends false finally for function if import in instanceof new null return super "
    "switch this throw true try typeof var void while with yield let static await "
    "implements package protected interface private public of async get set arguments "
    "eval undefined NaN Infinity"
)
_UNSUPPORTED = frozenset({"var", "class", "with", "eval", "import", "export", "arguments"})
_REGEX_AFTER_WORDS = _words(
    "return typeof instanceof in of new delete void throw case do else yield await"
)
# Longest first, so `>>>=` is one token, not `>>` `>=`.
_PUNCT = sorted(
    _words(
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
_GOES_ON = _words(
    ") ] } . ?. ? : , ; => && || ?? * ** % == === != !== < > <= >= << >> >>> & | ^ = "
    "+= -= *= /= %= &= |= ^= **= <<= >>= >>>= &&= ||= ??="
) | {"in", "of", "instanceof"}
# These follow a statement: after a block's `}` they need nothing, after anything else `;`.
_AFTER_STATEMENT = frozenset({"else", "catch", "finally"})
# After these words a line break must stay (a restricted production or a contextual word).
_KEEP_BREAK_AFTER = _words("return break continue throw yield debugger async get set let of static")
# Words that end an expression; a line break after any other keyword goes.
_VALUE_WORDS = _words("this null true false super undefined")
# `true` -> `!0`, `false` -> `!1`, unless what follows binds tighter than `!` (`true.x`).
_BOOLEANS = {"true": "!0", "false": "!1"}
_BINDS_TIGHTER = frozenset({".", "?.", "[", "(", "**"})
_CONTROL = frozenset({"if", "for", "while", "switch", "catch", "with"})
_BLOCK_WORDS = frozenset({"else", "try", "finally", "do"})


@dataclass
class Tok:
    kind: str  # "name", "num", "str", "tpl", "regex", "punct", "nl"
    text: str
    new: str | None = None  # the name it is renamed to
    shorthand: bool = False  # `{x}` in an object literal: written `{x:new}` when renamed
    decl: bool = False  # the name of a binding
    prop: bool = False  # a property name: never renamed


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
        lost = _Scopes(_code(toks)).free() - _Scopes(_code(full)).free()
        if lost:
            raise ValueError(f"used outside the omitted sections {sorted(omit)}: {sorted(lost)}")
    toks = _drop_unused_functions(toks, keep)
    code = _code(toks)
    _Scopes(code).rename(keep)
    _const_to_let(code)
    for i, tok in enumerate(code):
        if tok.kind == "str" and tok.text[0] == '"' and not re.search(r"['\\]", tok.text):
            tok.text = "'" + tok.text[1:-1] + "'"
        elif tok.kind == "name" and tok.text in _BOOLEANS and not tok.prop:
            after = code[i + 1] if i + 1 < len(code) else None
            if after is None or (after.kind != "tpl" and after.text not in _BINDS_TIGHTER):
                tok.text = _BOOLEANS[tok.text]
    gone = _merge_lets(code)
    return _emit([t for t in toks if id(t) not in gone])


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
        scopes = _Scopes(code)
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


# ----------------------------------------------------------------------------- tokens


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


# ----------------------------------------------------------------------------- scopes


@dataclass
class _Scope:
    start: int
    end: int
    names: set[str] = field(default_factory=set)


class _Scopes:
    """Binding scopes over the code tokens (line breaks removed): every `{...}`, and a
    function's, arrow's, `for`'s or `catch`'s head with its body. Declarations are hoisted to
    their scope (a use before `let` still refers to it)."""

    def __init__(self, code: list[Tok]) -> None:
        self.code = code
        self.match = _brackets(code)
        self.scopes: list[_Scope] = [_Scope(0, len(code))]
        self.decls: list[tuple[int, str]] = []  # (token index, name)
        self.object_braces: set[int] = set()
        for tok in code:
            if tok.kind == "name" and tok.text in _UNSUPPORTED:
                raise ValueError(f"unsupported in minified source: {tok.text}")
        self._find()

    # -- finding scopes and declarations

    def _find(self) -> None:
        code = self.code
        for i, tok in enumerate(code):
            text = tok.text if tok.kind in ("name", "punct") else ""
            if tok.kind == "name" and self._is_prop(i):
                continue
            if tok.kind == "punct" and text == "{":
                self.scopes.append(_Scope(i, self.match[i]))
                if self._is_object(i):
                    self.object_braces.add(i)
            elif tok.kind == "tpl" and text.endswith("${"):
                pass
            elif tok.kind == "name" and text == "function":
                self._function(i)
            elif tok.kind == "punct" and text == "=>":
                self._arrow(i)
            elif tok.kind == "name" and text in ("const", "let"):
                self._declaration(i + 1)
            elif tok.kind == "name" and text in ("for", "catch"):
                self._head(i)

    def _is_object(self, i: int) -> bool:
        prev = self.code[i - 1] if i else None
        if prev is None or prev.kind in ("num", "str", "regex", "tpl"):
            return False
        if prev.kind == "name":
            return prev.text in ("return", "typeof", "in", "of", "case", "yield", "await")
        return prev.text not in (")", "]", "}", ";", "{", "=>")

    def _declare(self, i: int, scope_at: int) -> None:
        tok = self.code[i]
        if tok.kind != "name" or tok.text in KEYWORDS:
            raise ValueError(f"cannot read the binding at {tok.text!r}")
        tok.decl = True
        self.decls.append((scope_at, tok.text))

    def _pattern(self, i: int, scope_at: int) -> int:
        """Bind a name or an array pattern at `i`; returns the index after it."""
        tok = self.code[i]
        if tok.text == "[" and tok.kind == "punct":
            j, close = i + 1, self.match[i]
            while j < close:
                if self.code[j].text in (",",):
                    j += 1
                    continue
                if self.code[j].text == "...":
                    j += 1
                j = self._pattern(j, scope_at)
                if self.code[j].text == "=":
                    j = self._skip_expression(j + 1)
            return close + 1
        if tok.text == "{" and tok.kind == "punct":
            raise ValueError("object destructuring is not supported in minified source")
        self._declare(i, scope_at)
        return i + 1

    def _params(self, open_: int, scope_at: int) -> None:
        j, close = open_ + 1, self.match[open_]
        while j < close:
            if self.code[j].text == ",":
                j += 1
                continue
            if self.code[j].text == "...":
                j += 1
            j = self._pattern(j, scope_at)
            if self.code[j].text == "=":
                j = self._skip_expression(j + 1)

    def _function(self, i: int) -> None:
        code, j = self.code, i + 1
        named = code[j].kind == "name"
        if named:
            j += 1
        if code[j].text != "(":
            raise ValueError("cannot read a function's parameters")
        body = j + 1 + (self.match[j] - j)
        if code[body].text != "{":
            raise ValueError("cannot read a function's body")
        self.scopes.append(_Scope(j, self.match[body]))
        if named:
            expression = i > 0 and self._is_object(i) and code[i - 1].text != "{"
            self._declare(i + 1, j if expression else i)
        self._params(j, j)

    def _arrow(self, i: int) -> None:
        code = self.code
        if code[i - 1].text == ")" and code[i - 1].kind == "punct":
            start = self._opener(i - 1)
        elif code[i - 1].kind == "name":
            start = i - 1
        else:
            raise ValueError("cannot read an arrow function's parameters")
        if code[i + 1].text == "{" and code[i + 1].kind == "punct":
            end = self.match[i + 1]
        else:
            end = self._skip_expression(i + 1) - 1
        self.scopes.append(_Scope(start, end))
        if start == i - 1:
            self._declare(start, start)
        else:
            self._params(start, start)

    def _head(self, i: int) -> None:
        """`for (...) body` and `catch (e) {...}`: a scope from `(` to the end of the body."""
        code, open_ = self.code, i + 1
        if code[open_].text != "(":
            if code[i].text == "catch" and code[open_].text == "{":
                return  # `catch {` binds nothing
            raise ValueError(f"cannot read the head of {code[i].text}")
        close = self.match[open_]
        if code[close + 1].text == "{":
            end = self.match[close + 1]
        else:
            end = self._skip_expression(close + 1)
        self.scopes.append(_Scope(open_, end))
        if code[i].text == "catch":
            self._pattern(open_ + 1, open_)

    def _declaration(self, i: int) -> None:
        scope_at = i - 1
        while True:
            i = self._pattern(i, scope_at)
            if self.code[i].text == "=":
                i = self._skip_expression(i + 1)
            if i < len(self.code) and self.code[i].text == ",":
                i += 1
                continue
            return

    def _skip_expression(self, i: int) -> int:
        """Index of the `,` `;` `)` `]` `}` (or `of`/`in` keyword) ending the expression at `i`."""
        code = self.code
        while i < len(code):
            tok = code[i]
            if tok.kind == "punct" and tok.text in "([{":
                i = self.match[i] + 1
                continue
            if tok.kind == "tpl" and tok.text.endswith("${"):
                i = self.match[i] + 1
                continue
            if tok.kind == "punct" and tok.text in (",", ";", ")", "]", "}"):
                return i
            if tok.kind == "name" and tok.text in ("of", "in") and not self._is_prop(i):
                return i
            i += 1
        return i

    def _opener(self, close: int) -> int:
        for open_, end in self.match.items():
            if end == close:
                return open_
        raise ValueError("unbalanced brackets")

    def _is_prop(self, i: int) -> bool:
        return i > 0 and self.code[i - 1].kind == "punct" and self.code[i - 1].text in (".", "?.")

    # -- renaming

    def free(self) -> set[str]:
        """The names used somewhere no declaration of theirs reaches (globals)."""
        return self._uses()[0]

    def function_declarations(self) -> list[tuple[int, int]]:
        """(index of `function`, index of its body's `}`) of each function statement."""
        code, spans = self.code, []
        for i, tok in enumerate(code[:-2]):
            if tok.kind != "name" or tok.text != "function" or code[i + 1].kind != "name":
                continue
            if i == 0 or code[i - 1].text in (";", "{", "}"):
                params = i + 2
                spans.append((i, self.match[self.match[params] + 1]))
        return spans

    def is_prop(self, i: int) -> bool:
        return self._is_prop(i)

    def is_key(self, i: int) -> bool:
        return self._is_key(i)

    def _uses(self) -> tuple[set[str], Counter[str]]:
        """Free names, and how often each name is used; marks property names and shorthands."""
        code = self.code
        holders = self._holders()
        innermost = self._innermost()
        declared = {name for _, name in self.decls}
        free: set[str] = set()
        uses: Counter[str] = Counter()
        for i, tok in enumerate(code):
            if tok.kind != "name" or tok.text in KEYWORDS:
                continue
            tok.prop = self._is_prop(i) or self._is_key(i)
            tok.shorthand = not tok.prop and self._is_shorthand(i)
            if tok.prop:
                continue
            uses[tok.text] += 1
            if tok.text not in declared or not self._resolves(tok.text, innermost[i], holders):
                free.add(tok.text)
        return free, uses

    def rename(self, keep: frozenset[str]) -> None:
        code = self.code
        declared = {name for _, name in self.decls}
        free, uses = self._uses()
        renamed = sorted(declared - free - keep, key=lambda n: (-uses[n], n))
        taken = free | keep | KEYWORDS
        names = (n for n in _short_names() if n not in taken)
        table = dict(zip(renamed, names, strict=False))
        for tok in code:
            if tok.kind == "name" and not tok.prop and tok.text in table:
                tok.new = table[tok.text]

    def _holders(self) -> dict[str, set[int]]:
        """Per name, the scopes (by index) that declare it."""
        holders: dict[str, set[int]] = {}
        for at, name in self.decls:
            holders.setdefault(name, set()).add(self._scope_of(at))
        return holders

    def _scope_of(self, at: int) -> int:
        best = 0
        for k, scope in enumerate(self.scopes):
            inner = self.scopes[best]
            if (
                scope.start <= at <= scope.end
                and scope.end - scope.start <= inner.end - inner.start
            ):
                best = k
        return best

    def _innermost(self) -> list[list[int]]:
        """Per token, the chain of scope indexes holding it, innermost last."""
        order = sorted(
            range(len(self.scopes)), key=lambda k: (self.scopes[k].start, -self.scopes[k].end)
        )
        chains: list[list[int]] = []
        stack: list[int] = []
        nxt = 0
        for i in range(len(self.code)):
            while stack and self.scopes[stack[-1]].end < i:
                stack.pop()
            while nxt < len(order) and self.scopes[order[nxt]].start <= i:
                stack.append(order[nxt])
                nxt += 1
                while len(stack) > 1 and self.scopes[stack[-1]].end > self.scopes[stack[-2]].end:
                    raise ValueError("overlapping scopes: cannot read this source")
            chains.append(list(stack))
        return chains

    @staticmethod
    def _resolves(name: str, chain: list[int], holders: dict[str, set[int]]) -> bool:
        return any(k in holders.get(name, ()) for k in chain)

    def _is_key(self, i: int) -> bool:
        """A name before `:` (or `(`: a method) right after `{` or `,` of an object literal."""
        code = self.code
        if i == 0 or i + 1 >= len(code) or code[i - 1].text not in ("{", ","):
            return False
        if code[i + 1].text not in (":", "("):
            return False
        return self._enclosing(i) in self.object_braces

    def _is_shorthand(self, i: int) -> bool:
        code = self.code
        if i == 0 or i + 1 >= len(code) or code[i - 1].text not in ("{", ","):
            return False
        return code[i + 1].text in (",", "}") and self._enclosing(i) in self.object_braces

    def _enclosing(self, i: int) -> int:
        """Index of the innermost open bracket around token `i`, or -1."""
        best = -1
        for open_, close in self.match.items():
            if open_ < i < close and open_ > best:
                best = open_
        return best


def _brackets(code: list[Tok]) -> dict[int, int]:
    """Matching close index for each `(`, `[`, `{` and template `${`."""
    match: dict[int, int] = {}
    stack: list[int] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for i, tok in enumerate(code):
        opens = (tok.kind == "punct" and tok.text in "([{") or (
            tok.kind == "tpl" and tok.text.endswith("${")
        )
        closes_tpl = tok.kind == "tpl" and tok.text.startswith("}")
        if closes_tpl or (tok.kind == "punct" and tok.text in pairs):
            if not stack:
                raise ValueError("unbalanced brackets")
            open_ = stack.pop()
            want = "{" if closes_tpl else pairs[tok.text]
            opener = code[open_]
            if (opener.kind == "tpl") != closes_tpl or (not closes_tpl and opener.text != want):
                raise ValueError("unbalanced brackets")
            match[open_] = i
        if opens:
            stack.append(i)
    if stack:
        raise ValueError("unbalanced brackets")
    return match


def _short_names() -> Iterator[str]:
    first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
    rest = first + "0123456789"
    yield from first
    for size in range(1, 4):
        for head in first:
            for tail in product(rest, repeat=size):
                yield head + "".join(tail)


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


# ----------------------------------------------------------------------------- output


def _emit(toks: list[Tok]) -> str:
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
