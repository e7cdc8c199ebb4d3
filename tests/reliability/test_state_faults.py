"""The state file cannot be written, or holds garbage: the daemon keeps the notebooks alive.

"Read-only state directory": the tests run as root, where chmod 0500 does not stop writes.
Instead the state file's directory is replaced by a regular file (mkstemp/rename there fail
with ENOTDIR for root too), which is the same failure path (an OSError on save, turned into
StateError at the adapter boundary). Running the daemon as `nobody` via setpriv would also
work but needs the browser, profile and venv readable by that user: more moving parts for
the same code path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.reliability.conftest import RunFactory
from tests.reliability.harness import DaemonRun
from watchdog.sim import SimServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def tick_lines(run: DaemonRun, url: str) -> int:
    """Ticks of `url` logged on the daemon's stderr (the log file repeats them)."""
    text = run.stderr_path.read_text()
    return len(re.findall(rf"tick {re.escape(url)} state=connected", text))


def test_garbage_state_is_moved_aside_and_an_unwritable_state_dir_is_survived(
    daemon_run: RunFactory, fresh_sim_server: SimServer, tmp_path: Path
) -> None:
    urls = [fresh_sim_server.page_url(f"state{i}", era=2025, idle=0) for i in range(2)]
    state_dir = tmp_path / "state"
    state_dir.mkdir(mode=0o700)
    (state_dir / "state.json").write_text('{"schema_version": 1, "notebooks": {tru')
    run = daemon_run(urls)
    run.wait_ticking(more=2)
    aside = list(state_dir.glob("state.json.corrupt-*"))
    assert len(aside) == 1, list(state_dir.iterdir())
    assert "tru" in aside[0].read_text()  # kept for the user, not deleted
    assert "corrupt" in run.text() or "moved" in run.text()

    # The state directory becomes unwritable: a regular file where the directory was.
    saved = tmp_path / "state-away"
    state_dir.rename(saved)
    state_dir.write_text("not a directory")
    before = {u: tick_lines(run, u) for u in urls}
    run.wait(
        lambda: all(tick_lines(run, u) >= before[u] + 4 for u in urls),
        60,
        "ticks while the state cannot be saved",
    )
    assert str(state_dir) in run.text()  # the error names the file's location
    counted = {u: json.loads((saved / "state.json").read_text())["notebooks"][u] for u in urls}

    # Writable again: saving resumes, with every tick counted meanwhile (nothing lost).
    state_dir.unlink()
    saved.rename(state_dir)
    run.wait_ticking(more=1)
    for url in urls:
        # >= 4 ticks during the outage and the one that saved again: all counted.
        assert run.ticks(url) >= counted[url]["ticks_ok"] + 5, run.notebook(url)
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
    run.assert_state_always_valid()
    assert run.alert_keys() == []


def test_state_file_under_a_regular_file_from_the_start(
    daemon_run: RunFactory, fresh_sim_server: SimServer, tmp_path: Path
) -> None:
    url = fresh_sim_server.page_url("nostate", era=2025, idle=0)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    state_file = blocker / "state.json"
    run = daemon_run([url], {"WATCHDOG_STATE_FILE": str(state_file)})
    run.wait(lambda: tick_lines(run, url) >= 4, 60, "ticks without a state file")
    text = run.text()
    errors = [line for line in text.splitlines() if str(state_file) in line]
    assert errors, text[-2000:]
    assert "Traceback" not in text
    assert run.stop() == 0, run.tail()
    run.assert_no_orphans()
    assert blocker.read_text() == "a file, not a directory"
