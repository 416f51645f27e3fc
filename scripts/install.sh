#!/bin/sh
# Installs FaceRights on Debian 12 (or later): system libraries, a virtual
# environment with the pinned packages, and the compiled translation catalogs.
# Usage: sh scripts/install.sh [extra Debian packages...]
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

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check -r "${REQUIREMENTS:-requirements.txt}"
.venv/bin/pybabel compile -d translations >/dev/null
