#!/bin/sh
# Regenerates the lock files from the direct requirements, with pip-tools' pip-compile: every package
# that gets installed, dependencies of dependencies included, pinned to one version and its hashes.
#   requirements.txt     -> requirements.lock       (what scripts/install.sh installs)
#   requirements-dev.txt -> requirements-dev.lock   (what scripts/test.sh installs)
# Run it after changing a requirements file, or to take newer versions of the dependencies:
#   sh scripts/lock.sh [--upgrade | --upgrade-package NAME]
# pip-tools runs from a throwaway virtual environment: it is not a dependency of the app.
set -eu
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
# Debian's Python, the one the instances run: pip-compile resolves environment markers for the
# interpreter it runs on (redis needs async-timeout on 3.11.2, Debian 12's, and not on 3.11.3 or later).
"${PYTHON:-/usr/bin/python3}" -m venv "$tools"
"$tools/bin/pip" install -q --disable-pip-version-check pip-tools==7.6.2
for input in requirements.txt requirements-dev.txt; do
  "$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras \
    --no-emit-index-url --no-emit-find-links --output-file "${input%.txt}.lock" "$@" "$input"
done
