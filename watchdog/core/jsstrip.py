"""Strip comments and needless spaces from JavaScript source. Pure: text in, text out.

    strip_comments('const a = 1; // one\n')  -> 'const a=1;\n'

A small tokenizer, not line patterns: `//` or `/*` inside a string ('..', "..", `..` with
`${...}` nesting) or a regex literal (`/a\\/\\/b/`, `/[/]/`) is code. A `/` starts a regex
after an operator, punctuation or a keyword such as `return`, and divides after a name, a
number or a closing bracket. Spaces go except between two name characters or where two
operators would merge (`a - -b`). Line breaks stay where code had them, so automatic
semicolon insertion sees the same lines; a block comment that held a line break becomes one.
"""

from __future__ import annotations

import re

# After these words a `/` starts a regular expression; after any other name it divides.
_REGEX_AFTER_WORDS = frozenset(
    {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case"}
    | {"do", "else", "yield", "await"}
)
_WORD_CHAR = re.compile(r"[A-Za-z0-9_$]")
_LAST_WORD = re.compile(r"[A-Za-z0-9_$]+$")
_GLUED = frozenset({"++", "--", "//", "/*", "*/", "+-", "-+"})


def strip_comments(source: str) -> str:
    """`source` without comments, blank lines and needless spaces, ending in a line break.

    Raises ValueError on an unterminated string, template, regex or block comment.
    """
    return _Stripper(source.replace("\r\n", "\n")).run()


def _needs_space(before: str, after: str) -> bool:
    """Whether dropping the space between two characters of code would change the tokens
    (`return x`, `a - -b`, `a / /re/`, `1 .toString()`)."""
    word = _WORD_CHAR.match(before) and _WORD_CHAR.match(after)
    number_dot = before.isdigit() and after == "."
    return bool(word) or before + after in _GLUED or number_dot


class _Stripper:
    def __init__(self, src: str) -> None:
        self.src, self.i = src, 0
        self.out: list[str] = []
        self.braces: list[bool] = []  # per open `{`: True when it opened a template's `${`
        self.line_start = True

    def run(self) -> str:
        src = self.src
        while self.i < len(src):
            ch, two = src[self.i], src[self.i : self.i + 2]
            if ch == "\n":
                self.newline()
                self.i += 1
            elif ch in " \t":
                self.space(self.i + 1)
            elif two == "//":
                end = src.find("\n", self.i)
                self.i = len(src) if end < 0 else end
            elif two == "/*":
                self.block_comment()
            else:
                self.line_start = False
                self.code(ch)
        self.newline()
        return "".join(self.out).lstrip("\n")

    def code(self, ch: str) -> None:
        if ch in "'\"":
            self.string(ch)
        elif ch == "`":
            self.emit(ch)
            self.template(self.i + 1)
        elif ch == "/" and self.regex_allowed():
            self.regex()
        elif ch == "}" and self.braces and self.braces.pop():
            self.emit(ch)
            self.template(self.i + 1)
        else:
            if ch == "{":
                self.braces.append(False)
            self.emit(ch)
            self.i += 1

    def emit(self, text: str) -> None:
        self.out.append(text)

    def newline(self) -> None:
        while self.out and self.out[-1] in " \t":
            self.out.pop()
        if self.out and self.out[-1] != "\n":
            self.out.append("\n")
        self.line_start = True

    def space(self, j: int) -> None:
        """Whitespace (or a same-line comment) ending before index `j`, then more spaces:
        one space only where the neighbours need it."""
        src = self.src
        while j < len(src) and src[j] in " \t":
            j += 1
        self.i = j
        keep = not self.line_start and j < len(src) and self.out
        if keep and _needs_space(self.out[-1][-1], src[j]):
            self.out.append(" ")

    def block_comment(self) -> None:
        end = self.src.find("*/", self.i + 2)
        if end < 0:
            raise ValueError("unterminated block comment")
        if "\n" in self.src[self.i : end]:
            self.newline()
            self.i = end + 2
        else:
            self.space(end + 2)

    def string(self, quote: str) -> None:
        src, j = self.src, self.i + 1
        while j < len(src) and src[j] != quote:
            if src[j] == "\n":
                break
            j += 2 if src[j] == "\\" else 1
        if j >= len(src) or src[j] != quote:
            raise ValueError("unterminated string literal")
        self.emit(src[self.i : j + 1])
        self.i = j + 1

    def template(self, j: int) -> None:
        """From just after a backtick (or the `}` closing a `${`) to the end of that template
        part, or into its next `${` (pushed on the brace stack)."""
        src = self.src
        while j < len(src):
            ch = src[j]
            step = 2 if ch == "\\" else 1
            self.emit(src[j : j + step])
            j += step
            if ch == "`":
                self.i = j
                return
            if ch == "$" and src[j : j + 1] == "{":
                self.emit("{")
                self.braces.append(True)
                self.i = j + 1
                return
        raise ValueError("unterminated template literal")

    def regex(self) -> None:
        src, j, in_class = self.src, self.i + 1, False
        while j < len(src) and (in_class or src[j] != "/"):
            if src[j] == "\n":
                break
            if src[j] == "\\":
                j += 1
            elif src[j] in "[]":
                in_class = src[j] == "["
            j += 1
        if j >= len(src) or src[j] != "/":
            raise ValueError("unterminated regular expression")
        self.emit(src[self.i : j + 1])
        self.i = j + 1

    def regex_allowed(self) -> bool:
        """Whether a `/` after the code emitted so far starts a regex literal."""
        text = "".join(self.out[-40:]).rstrip()
        if not text:
            return True
        last = text[-1]
        if last in ")]}'\"`":
            return False
        if _WORD_CHAR.match(last):
            word = _LAST_WORD.search(text)
            return word is not None and word.group(0) in _REGEX_AFTER_WORDS
        return True
