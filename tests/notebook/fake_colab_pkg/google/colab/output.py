"""Fake google.colab.output: eval_js writes the script to $FAKE_EVAL_JS_OUT (tests only)."""

import os
from pathlib import Path


def eval_js(script: str, ignore_result: bool = False) -> None:
    Path(os.environ["FAKE_EVAL_JS_OUT"]).write_text(script, encoding="utf-8")
    print(f"[fake eval_js: {len(script)} chars, ignore_result={ignore_result}]")
