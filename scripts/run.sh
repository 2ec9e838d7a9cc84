#!/usr/bin/env bash
# make run: migrate, load the demo province, start the background worker (restarted if it dies) and
# the web server. Ctrl-C stops both. HOST and PORT choose the address (default http://127.0.0.1:8000/).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}
export PYTHONUNBUFFERED=1
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
URL="http://$HOST:$PORT/"

if [[ ! -x $BIN/python ]]; then
    echo "No virtualenv in .venv: run 'make run' (it creates one)." >&2
    exit 1
fi

$BIN/python manage.py migrate --noinput
$BIN/python manage.py load_demo

WORKER=
stop() {
    trap - EXIT INT TERM
    if [[ -n $WORKER ]] && kill -0 "$WORKER" 2>/dev/null; then
        kill -TERM "$WORKER" 2>/dev/null || true
        wait "$WORKER" 2>/dev/null || true
    fi
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM

# The worker runs the background tasks (big imports, exports); no autoreload, so one process.
# Supervised: if it dies (killed, out of memory), it is started again and the terminal says so; an
# import it was running is marked failed once its lease runs out, and can be tried again.
bash scripts/supervise.sh "background worker" \
    $BIN/python manage.py db_worker --queue-name '*' --interval 0.5 --no-reload --no-startup-delay &
WORKER=$!

$BIN/python manage.py demo_accounts --url "$URL"
# Foreground, so Ctrl-C reaches it; DEBUG=True in config.settings.dev serves the static files.
$BIN/python manage.py runserver "$HOST:$PORT" --noreload
