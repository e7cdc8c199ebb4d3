#!/usr/bin/env bash
# The install steps of the Docker image, run with CI's own helpers: the Debian step is
# `apt_install_missing` from scripts/lib.sh, the function scripts/test (CI) installs Chromium
# with on the same Debian release, and tests/deploy/test_install_steps.py runs this script's
# steps exactly as the Dockerfile's RUN lines do. So every CI run proves the image's steps.
#
#   bash docker/install.sh system           Debian's Chromium and its driver (as root)
#   bash docker/install.sh package ARGS...  python -m pip install --no-cache-dir ARGS...
#                                           with $PYTHON (default python3)
#
# Package versions are not pinned on purpose: Debian's security archive replaces chromium
# often and removes the old version, so a pinned version stops installing within weeks.
# The base image tag (python:3.11-slim-bookworm) pins the distribution instead.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../scripts/lib.sh"

case "${1:-}" in
system)
    apt_install_missing chromium chromium-driver
    ;;
package)
    shift
    "$PYTHON" -m pip install --no-cache-dir "$@"
    ;;
*)
    echo "usage: bash docker/install.sh system | package PIP-ARGS..." >&2
    exit 2
    ;;
esac
