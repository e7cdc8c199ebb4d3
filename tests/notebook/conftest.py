"""The notebook helper run as a user runs it: the cell in a fresh Python process, its
JavaScript under node, the module in a bare venv. Its pure tests live in tests/unit, whose
fixtures (a fake /proc/uptime, a fake `google.colab`, the clock) these tests share."""

from tests.unit.conftest import (  # noqa: F401 (fixtures)
    clean_env,
    clock,
    fake_colab,
    off_colab,
    uptime,
)
