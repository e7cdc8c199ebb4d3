# shellcheck shell=bash
# Shared by scripts/test and scripts/run (sourced, not executed).
# Installs what is missing on a Debian/Ubuntu machine; never reinstalls what is there.

VENV="${VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run a command as root: directly when root, else through sudo when available.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (run as root or install sudo)"
    fi
}

apt_missing() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || printf '%s\n' "$pkg"
    done
}

# apt-get install the given Debian packages that are not installed yet (update first, once).
apt_install_missing() {
    local missing
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian-like system: skipping apt packages ($*); install their equivalents yourself"
        return 0
    fi
    missing="$(apt_missing "$@" | tr '\n' ' ')"
    if [ -z "${missing// /}" ]; then
        return 0
    fi
    say "installing Debian packages: $missing"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    # shellcheck disable=SC2086  # word splitting of the package list is intended
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

# Make sure $PYTHON is 3.11+ and can create virtual environments.
ensure_python() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        apt_install_missing python3 python3-venv python3-pip
    fi
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "colab-watchdog needs Python >= 3.11; $PYTHON is $("$PYTHON" -V 2>&1)"
    if [ ! -x "$VENV/bin/python" ] && ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        apt_install_missing python3-venv
    fi
}

# Create $VENV when missing (colab-watchdog's import name `watchdog` is shared with the
# file-system-events library, so it always gets its own environment).
ensure_venv() {
    ensure_python
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating the virtual environment $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
}

# A fingerprint of what `pip install .` installs: pyproject.toml and the package's files.
project_stamp() {
    {
        sha256sum pyproject.toml
        find watchdog js -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
            | LC_ALL=C sort -z | xargs -0 sha256sum
    } | sha256sum | cut -d' ' -f1
}

# `pip install .` into $VENV only when the project changed since the last install (or the
# command is missing): a second ./scripts/run starts at once.
install_if_changed() {
    local stamp_file="$VENV/.colab-watchdog-stamp" stamp
    stamp="$(project_stamp)"
    if [ -x "$VENV/bin/colab-watchdog" ] && [ -f "$stamp_file" ] \
        && [ "$(cat "$stamp_file")" = "$stamp" ]; then
        return 0
    fi
    say "installing colab-watchdog into $VENV"
    "$VENV/bin/python" -m pip install -q .
    printf '%s\n' "$stamp" > "$stamp_file"
    # This replaced scripts/test's editable install: make it reinstall next time.
    rm -f "$VENV/.colab-watchdog-test-installed"
}

# Exit status 0 when a notebook is configured (URL arguments, WATCHDOG_NOTEBOOKS in the
# environment or ./.env, or attach mode, which adopts open tabs); 1 when nothing is. Settings
# that do not load count as configured, so `colab-watchdog run` reports what is wrong.
notebook_configured() {
    [ "$#" -gt 0 ] && return 0
    local warnings status=0
    warnings="$("$VENV/bin/python" - 2>&1 >/dev/null <<'PY'
import sys

from watchdog.cli.config import load_settings
from watchdog.errors import ConfigError

try:
    settings = load_settings()
except ConfigError:
    sys.exit(0)
sys.exit(0 if settings.notebooks or settings.browser == "attach" else 1)
PY
)" || status=$?
    # Shown only when the demo starts (a misspelled WATCHDOG_NOTEBOOKS is the likely why);
    # otherwise `colab-watchdog run` repeats them itself.
    if [ "$status" -ne 0 ] && [ -n "$warnings" ]; then
        printf '%s\n' "$warnings" >&2
    fi
    return "$status"
}
