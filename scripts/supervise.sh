#!/usr/bin/env bash
# supervise.sh NAME COMMAND [ARG…]: run COMMAND; whenever it stops, say so and start it again after
# RESTART_DELAY seconds (default 2). SIGTERM (or SIGINT, when not ignored) stops the command, waits
# for it to finish its current work, and ends the supervisor. `make run` supervises its background
# worker with it, as systemd does in production (docs/deploy.md).
set -uo pipefail
name=$1
shift
delay=${RESTART_DELAY:-2}
child=
stop() {
    trap - TERM INT
    if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then
        kill -TERM "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    exit 0
}
trap stop TERM INT
while :; do
    "$@" &
    child=$!
    wait "$child" 2>/dev/null
    rc=$?
    echo "supervise: the $name (pid $child) stopped (exit $rc); starting it again in $delay s." >&2
    child=
    sleep "$delay" &
    wait $!
done
