#!/bin/sh
# Installs the app and its test tools (Debian's Chromium for the browser test,
# poppler-utils to look at PDFs, nginx and redis-server for the deployment test,
# which starts its own copies on loopback ports), then runs the whole test suite.
# On a machine with a running init system apt also starts Debian's nginx and
# redis-server services; the tests do not use them (systemctl disable --now nginx redis-server).
set -eu
cd "$(dirname "$0")/.."
REQUIREMENTS=requirements-dev.lock sh scripts/install.sh chromium poppler-utils nginx redis-server
.venv/bin/python -m pytest "$@"
