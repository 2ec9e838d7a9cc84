#!/usr/bin/env bash
# make run: migrate, load the demo province, start the background worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.dev}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

$BIN/python manage.py migrate --noinput
$BIN/python manage.py load_demo
$BIN/python manage.py db_worker --interval 0.5 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
$BIN/python manage.py demo_accounts --url "http://$HOST:$PORT/"
$BIN/python manage.py runserver "$HOST:$PORT" --noreload
