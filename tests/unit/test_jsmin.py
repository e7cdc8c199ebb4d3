"""The token-level minifier: smaller output that does exactly what the source does.

Behaviour is compared by running the source and its minified form under node in
tests/browser/test_jsmin_node.py; the browser tests run the minified snippet against the
simulated Colab.
"""

from __future__ import annotations

import re

import pytest

from watchdog import jsassets
from watchdog.core.jsmin import minify, tokenize
from watchdog.core.jstemplate import fill

# Each program prints JSON of what it computed; names, scopes, line breaks and literals that a
# careless minifier gets wrong.
PROGRAMS = {
    "scopes": r"""
"use strict";
const out = [];
function outer(status, count) {
  const seen = [status];
  {
    const status = "inner";
    seen.push(status);
  }
  for (const [status, n] of [["loop", 1]]) seen.push(status + n);
  try { throw new Error("boom"); } catch (status) { seen.push(status.message); }
  const f = (status) => status * 2, g = status => status + 1;
  seen.push(f(count), g(count), status);
  return seen;
}
function other(count) { return outer("second", count); }
out.push(outer("first", 3), other(4));
const fact = function again(n) { return n ? n * again(n - 1) : 1; };
out.push(fact(5));
console.log(JSON.stringify(out));
""",
    "globals": r"""
"use strict";
function free() { return typeof escape + typeof name; }
function bound(escape) { return escape + 1; }
const name = "declared";
console.log(JSON.stringify([free(), bound(1), name]));
""",
    "objects": r"""
"use strict";
function make(x, y, flag) {
  const label = flag ? x : y;
  const obj = {x, y, label, "q": 1, nested: {x: x, y: flag ? y : x,}, list: [x, y,],};
  obj.x += 1;
  return [obj, obj.nested.y, [1, , ].length, [1, 2, ].length, {...obj}.label];
}
console.log(JSON.stringify(make(1, 2, true)));
""",
    "lines": r"""
"use strict";
const out = [];
let a = 6, b = 3, g = 2
let c = a
/b/g
out.push(c)
let d = a
- -b
out.push(d, a + +b, a - -b, 1 .toString(), true.toString(), !true === false)
function r() {
  return
  42
}
out.push(r() === undefined)
let i = 1, j = 1
i
++j
out.push(i, j)
if (a > 1)
  out.push("if")
else
  out.push("else")
let k = 0
do {
  k++
}
while (k < 3)
out.push(k)
const t = `x${a + `y${b}`}z`
out.push(t, /\d+/.test("12"), "it's", 'say "hi"')
const pick = (v) => v > 1
  ? "big"
  : "small"
out.push(pick(2), pick(0))
console.log(JSON.stringify(out))
""",
    "reassigned": r"""
"use strict";
const out = [];
let n = 0;
n += 1;
const m = n + 1;
for (let q = 0; q < 2; q++) out.push(q * m);
const fns = [];
for (const x of [1, 2, 3]) fns.push(() => x);
out.push(fns.map((f) => f()));
console.log(JSON.stringify(out));
""",
    "declarations": r"""
"use strict";
let a = 1;
let [b, c] = [a, 2];
let d = b + c;
const e = () => d + a;
let f = e(); let g = {f: f};
const h = `${f}`; let i
let j = 5
function k(x) { let y = x; let z = y * 2; return [y, z]; }
console.log(JSON.stringify([a, b, c, d, e(), f, g, h, i, j, k(3)]));
""",
}


def test_declared_names_are_shortened_and_kept_ones_stay() -> None:
    small = minify(PROGRAMS["scopes"], keep=frozenset({"outer"}))
    assert "function outer(" in small
    assert "status" not in small and "count" not in small and "other" not in small
    assert ".message" in small  # property names are never renamed


def test_a_name_also_used_as_a_global_is_never_renamed() -> None:
    small = minify(PROGRAMS["globals"])
    assert "typeof escape" in small and "escape+1" in small
    assert "typeof name" not in small  # this `name` is the program's own const


def test_shorthand_properties_keep_their_keys() -> None:
    small = minify("function f(alpha) { return {alpha}; }\nconsole.log(f(1));\n")
    assert re.search(r"\{alpha:(\w+)\}", small)


def test_const_that_is_assigned_stays_const() -> None:
    small = minify("const a = 1; const b = 2; b = 3; console.log(a, b);\n")
    assert small.startswith("let ") and "const " in small


def test_line_break_after_return_stays() -> None:
    assert "return\n" in minify("function f() {\n  return\n  1\n}\nf();\n")


@pytest.mark.parametrize(
    "source",
    ["var x = 1;", "const {a} = o;", "class A {}", "with (o) {}", "eval('1');"],
)
def test_unsupported_source_is_refused_not_guessed(source: str) -> None:
    with pytest.raises(ValueError):
        minify(source)


@pytest.mark.parametrize("bad", ["const s = 'open;", "/* never", "const r = /open;", "`open"])
def test_unterminated_literals_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="unterminated"):
        tokenize(bad)


def test_engine_and_snippet_minify_with_their_entry_points() -> None:
    engine, template = jsassets.load("engine.js"), jsassets.load("snippet.js")
    source = fill(template, ENGINE=engine, CONFIG="{}")
    small = minify(source, keep=frozenset({"colabWatchdogStart", "colabWatchdogTick"}))
    assert "function colabWatchdogStart(" in small and "function colabWatchdogTick(" in small
    declared = set(re.findall(r"^function (cw\w+)\(", source, re.M))
    assert declared and not {n for n in declared if re.search(rf"\b{n}\b", small)}
    assert len(small) < 0.5 * len(source)


SECTIONED = """
"use strict";
/* not in the demo { */
let plan = null;
/* } not in the demo */
function planFor(x) { return {x: x}; }
function act(x) {
  /* not in the demo { */
  if (plan) { plan.push(planFor(x)); return "planned"; }
  /* } not in the demo */
  return "did " + x;
}
function unused() { return unusedToo(); }
function unusedToo() { return 1; }
console.log(act(1));
"""


def test_an_omitted_section_goes_with_the_functions_only_it_called() -> None:
    kept = minify(SECTIONED)
    assert "{x:" in kept and "'planned'" in kept
    small = minify(SECTIONED, omit=frozenset({"demo"}))
    assert "{x:" not in small and "planned" not in small and "null" not in small
    assert "'did '" in small
    assert len(re.findall(r"\bfunction\b", small)) == 1  # unused and unusedToo go too


def test_a_name_used_after_its_declaration_was_omitted_is_refused() -> None:
    source = "/* not in the demo { */\nconst a = 1;\n/* } not in the demo */\nconsole.log(a);\n"
    assert "console.log" in minify(source)
    with pytest.raises(ValueError, match=r"omitted sections.*'a'"):
        minify(source, omit=frozenset({"demo"}))


@pytest.mark.parametrize(
    "source",
    [
        "/* not in the demo { */ let a = 1;",
        "/* not in the demo { */ /* not in the demo { */ 1; /* } not in the demo */",
        "/* } not in the demo { */",
    ],
)
def test_unbalanced_section_marks_are_refused(source: str) -> None:
    with pytest.raises(ValueError):
        minify(source, omit=frozenset({"demo"}))
