#!/usr/bin/env bash
# make run: the site as production serves it, on this machine (config.settings.local: DEBUG off,
# plain HTTP): migrate, load the demo provinces, collect the static files (hashed names and
# compressed copies, served by WhiteNoise), then start the background worker (restarted if it dies)
# and gunicorn. Ctrl-C stops both. HOST and PORT choose the address (default http://127.0.0.1:8000/).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.local}
export PYTHONUNBUFFERED=1
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
URL="http://$HOST:$PORT/"
# The host names the site answers to: this machine's, and HOST when it names another address.
if [[ -z ${DJANGO_ALLOWED_HOSTS:-} ]]; then
    DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,[::1]"
    case $HOST in 127.0.0.1 | localhost | 0.0.0.0 | "::") ;; *) DJANGO_ALLOWED_HOSTS+=",$HOST" ;; esac
    export DJANGO_ALLOWED_HOSTS
fi

if [[ ! -x $BIN/python ]]; then
    echo "No virtualenv in .venv: run 'make run' (it creates one)." >&2
    exit 1
fi

$BIN/python manage.py migrate --noinput
$BIN/python manage.py load_demo
# The pages name the hashed files of the manifest this writes; WhiteNoise reads them at start.
$BIN/python manage.py collectstatic --noinput -v 0

WORKER= WEB=
stop() {
    trap - EXIT INT TERM
    for pid in $WEB $WORKER; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $WEB $WORKER; do
        wait "$pid" 2>/dev/null || true
    done
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
# gunicorn as in production (docs/deploy.md), fewer processes; one line per request on the terminal
# (no size: WhiteNoise sends files in a way gunicorn does not count).
# In the background so the traps above run at once; the script ends when gunicorn does.
# No control socket: it would sit in ~/.gunicorn, shared with any other gunicorn of this user.
$BIN/gunicorn config.wsgi --bind "$HOST:$PORT" --workers 2 --threads 4 --timeout 60 --no-control-socket \
    --access-logfile - --access-logformat '%(h)s "%(r)s" %(s)s' &
WEB=$!
wait "$WEB"
