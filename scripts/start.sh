#!/bin/sh
# Installs everything, then starts FaceRights on http://127.0.0.1:5000 with the
# embedded default configuration (no environment variable, no external service).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install.sh
echo "FaceRights: open http://127.0.0.1:5000 (Ctrl+C stops it)"
exec .venv/bin/flask --app wsgi run --host 127.0.0.1 --port 5000
