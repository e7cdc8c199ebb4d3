#!/bin/sh
# The install steps of the Docker image, shared with CI (.ci/run runs the same script on the
# same Debian release), so every CI run proves the image's install steps.
#
#   sh docker/install.sh system           Debian's Chromium and its driver (needs root)
#   sh docker/install.sh package ARGS...  pip install --no-cache-dir ARGS... with $PYTHON
#                                         (default python3); the image passes the source tree
#
# Package versions are not pinned on purpose: Debian's security archive replaces chromium
# often and removes the old version, so a pinned version stops installing within weeks.
# The base image tag (python:3.11-slim-bookworm) pins the distribution instead.
set -eu

case "${1:-}" in
system)
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends chromium chromium-driver
    ;;
package)
    shift
    "${PYTHON:-python3}" -m pip install --no-cache-dir "$@"
    ;;
*)
    echo "usage: sh docker/install.sh system | package PIP-ARGS..." >&2
    exit 2
    ;;
esac
