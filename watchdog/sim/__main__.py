"""`python -m watchdog.sim`: serve the simulated Colab standalone and print its URL.

    python -m watchdog.sim --port 8765 --era 2021 --idle 30 --lifetime 600

Page options given here become the printed URL's query string; any other parameter
(see watchdog/sim/README.md) can be added to the URL by hand. Ctrl+C stops the server.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence

from watchdog.sim.server import SimServer

CHOICES = {
    "era": ("2019", "2021", "2023", "2025"),
    "lang": ("en", "es", "tr", "ru"),
    "state": ("connected", "disconnected", "connecting"),
}
PAGE_OPTIONS: tuple[tuple[str, type, str], ...] = (
    ("era", str, "connect-button generation (default 2025)"),
    ("lang", str, "label language (default en)"),
    ("idle", float, "idle timeout in seconds (page default 10)"),
    ("lifetime", float, "maximum runtime lifetime in seconds (page default 0 = none)"),
    ("state", str, "initial state (default connected)"),
    ("connect_delay", float, "seconds a connect attempt takes (page default 1)"),
    ("busy", int, "1 = a cell is executing from the start"),
    ("prompt_after", float, "show the 'Are you still there?' prompt after N seconds"),
    ("captcha_after", float, "show the reCAPTCHA dialog after N seconds"),
    ("estimate", float, "'may last up to' estimate, in seconds"),
    ("title", str, "page title"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m watchdog.sim",
        description="Serve the simulated Colab on 127.0.0.1 and print the notebook URL.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    for name, kind, help_text in PAGE_OPTIONS:
        parser.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            type=kind,
            choices=CHOICES.get(name),
            help=help_text,
        )
    return parser


def main(argv: Sequence[str] | None = None, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl+C (or until `stop` is set, for tests); returns the exit code."""
    args = build_parser().parse_args(argv)
    params = {name: getattr(args, name) for name, _, _ in PAGE_OPTIONS}
    stop = stop or threading.Event()
    server = SimServer(port=args.port)
    try:
        server.start()
    except OSError as exc:
        sys.stderr.write(
            f"python -m watchdog.sim: cannot listen on 127.0.0.1:{args.port}: "
            f"{exc.strerror or exc} (choose another --port, or 0 for a free one)\n"
        )
        return 2
    with server:
        sys.stdout.write(f"simulated Colab notebook: {server.page_url(**params)}\n")
        sys.stdout.write(f"other pages and eras:     {server.base_url}/\n")
        sys.stdout.write("Ctrl+C stops the server.\n")
        sys.stdout.flush()
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
