#!/bin/sh
# Installs FaceRights on Debian 12 (or later): system libraries, a virtual
# environment with every package pinned by version and hash (requirements.lock, made
# by scripts/lock.sh), and the compiled translation catalogs.
# Usage: sh scripts/install.sh [extra Debian packages...]
# REQUIREMENTS: another lock file (scripts/test.sh gives requirements-dev.lock).
# PYTHON: the Python that makes .venv; run as root, Debian's /usr/bin/python3, so that the
# service user can run it (another python3 first in root's PATH may live under /root).
set -eu
cd "$(dirname "$0")/.."

# WeasyPrint needs Pango and HarfBuzz's subsetter; python3-venv makes the virtual environment.
DEBIAN_PACKAGES="python3 python3-venv python3-pip libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig $*"

missing=""
for package in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
  echo "Installing Debian packages:$missing"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

if [ "$(id -u)" = 0 ]; then PYTHON="${PYTHON:-/usr/bin/python3}"; else PYTHON="${PYTHON:-python3}"; fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# --require-hashes: pip refuses any package, dependency or not, that the lock does not pin with its hash.
.venv/bin/pip install -q --disable-pip-version-check --require-hashes -r "${REQUIREMENTS:-requirements.lock}"
.venv/bin/pybabel compile -d translations >/dev/null
