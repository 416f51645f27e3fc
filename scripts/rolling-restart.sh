#!/bin/sh
# Restarts the FaceRights instances one after the other, so that visits continue (docs/HOSTING.md §9):
#   sh /opt/facerights/scripts/rolling-restart.sh [PORT ...]      (default: 8001 8002)
# It first checks the configuration as the instances will load it (scripts/facerights config check),
# and restarts nothing when that finds a problem. Then, for each instance: `systemctl restart`, which
# returns once the instance answers /healthz (the unit's ExecStartPost=), a check of /healthz, and a
# pause longer than nginx's fail_timeout (10 s) before the next one: nginx avoids an instance for that
# long after a request to it failed, and must not be left avoiding both.
# FACERIGHTS_SETTLE_SECONDS (default 11): that pause. FACERIGHTS_RESTART_COMMAND (default
# "systemctl restart"): the command that restarts one instance, given its unit (facerights@8001).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
settle=${FACERIGHTS_SETTLE_SECONDS:-11}
restart=${FACERIGHTS_RESTART_COMMAND:-systemctl restart}
[ $# -gt 0 ] || set -- 8001 8002
sh "$root/scripts/facerights" config check
first=yes
for port in "$@"; do
  [ "$first" = yes ] || sleep "$settle"
  first=no
  echo "Restarting facerights@$port"
  $restart "facerights@$port"
  python3 "$root/scripts/wait-until-ready.py" "127.0.0.1:$port" 90
done
echo "Restarted, one after the other: $*"
