"""`colab-watchdog url GITHUB_URL`: print the Colab link that opens a GitHub notebook.

    colab-watchdog url https://github.com/OWNER/REPO/blob/BRANCH/path.ipynb
    -> https://colab.research.google.com/github/OWNER/REPO/blob/BRANCH/path.ipynb
    colab-watchdog url https://gist.github.com/USER/ID
    -> https://colab.research.google.com/gist/USER/ID

Bad input exits 2 with one line saying what is accepted. No network access.
"""

from __future__ import annotations

import argparse

from watchdog.core.urls import github_to_colab
from watchdog.errors import ConfigError, ExitCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "url",
        help="turn a GitHub or gist notebook link into its Colab link",
        description="Print the colab.research.google.com link that opens a notebook hosted "
        "on GitHub (github.com/OWNER/REPO/blob/BRANCH/path.ipynb or its "
        "raw.githubusercontent.com form) or in a gist (gist.github.com/USER/ID).",
    )
    parser.add_argument("github_url", metavar="GITHUB_URL", help="the notebook's GitHub link")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        link = github_to_colab(args.github_url)
    except ValueError as exc:
        raise ConfigError(f"GITHUB_URL: {exc}") from None
    print(link)
    return ExitCode.OK
