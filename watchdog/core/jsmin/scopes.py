"""Which declaration each name refers to, and short new names for the declared ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product

from watchdog.core.jsmin.tokens import KEYWORDS, UNSUPPORTED, Tok


@dataclass
class _Scope:
    start: int
    end: int
    names: set[str] = field(default_factory=set)


class Scopes:
    """Binding scopes over the code tokens (line breaks removed): every `{...}`, and a
    function's, arrow's, `for`'s or `catch`'s head with its body. Declarations are hoisted to
    their scope (a use before `let` still refers to it)."""

    def __init__(self, code: list[Tok]) -> None:
        self.code = code
        self.match = brackets(code)
        self.scopes: list[_Scope] = [_Scope(0, len(code))]
        self.decls: list[tuple[int, str]] = []  # (token index, name)
        self.object_braces: set[int] = set()
        for tok in code:
            if tok.kind == "name" and tok.text in UNSUPPORTED:
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


def brackets(code: list[Tok]) -> dict[int, int]:
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
