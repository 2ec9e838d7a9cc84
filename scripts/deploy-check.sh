#!/usr/bin/env bash
# make deploy-check: deploy BDTX as docs/deploy.md says, on this machine, into a throwaway
# directory, and check it answers: production settings from an environment file, check --deploy,
# migrate, collectstatic, the demo province (this check's only addition: someone to sign in as),
# gunicorn on a free local port, then the requests the reverse proxy would forward
# (scripts/deploy_smoke.py). Fails on any error, any 5xx, any missing static file.
#
# DATABASE_URL, when set, is used (an empty PostgreSQL database); otherwise SQLite in the directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
HOST_NAME=bdtx.example.vn

WORK=$(mktemp -d -t bdtx-deploy-XXXXXX)
PORT=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GUNICORN=
cleanup() {
    if [[ -n $GUNICORN ]] && kill -0 "$GUNICORN" 2>/dev/null; then
        kill -TERM "$GUNICORN" 2>/dev/null || true
        wait "$GUNICORN" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
step() { printf '\n--- %s\n' "$*"; }

step "the environment file (docs/deploy.md: Configuration)"
cat >"$WORK/env" <<EOF
DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY=$($BIN/python -c "import secrets; print(secrets.token_urlsafe(50))")
DJANGO_ALLOWED_HOSTS=$HOST_NAME
BDTX_VAR_DIR=$WORK/var
BDTX_TRUSTED_PROXIES=1
DJANGO_EMAIL_HOST=localhost
EOF
[[ -n ${DATABASE_URL:-} ]] && echo "DATABASE_URL=$DATABASE_URL" >>"$WORK/env"
sed 's/^\(DJANGO_SECRET_KEY\|DATABASE_URL\)=.*/\1=…/' "$WORK/env"
set -a
# shellcheck disable=SC1091
. "$WORK/env"
set +a

step "first installation (docs/deploy.md: First installation)"
$BIN/python manage.py check --deploy --fail-level ERROR
$BIN/python manage.py migrate --noinput -v 0
$BIN/python manage.py collectstatic --noinput -v 1
$BIN/python manage.py load_demo --staff 300

step "gunicorn on 127.0.0.1:$PORT (docs/deploy.md: Web processes; the unit's command line)"
$BIN/gunicorn config.wsgi \
    --bind "127.0.0.1:$PORT" --workers 5 --threads 2 --timeout 60 \
    --max-requests 2000 --max-requests-jitter 200 --access-logfile - >"$WORK/gunicorn.log" 2>&1 &
GUNICORN=$!
for _ in $(seq 1 60); do
    if $BIN/python -c "import socket; socket.create_connection(('127.0.0.1', $PORT), timeout=1)" 2>/dev/null; then
        break
    fi
    kill -0 "$GUNICORN" 2>/dev/null || { cat "$WORK/gunicorn.log"; exit 1; }
    sleep 0.5
done

step "requests as the reverse proxy forwards them (docs/deploy.md: Checking a deployment)"
rc=0
$BIN/python scripts/deploy_smoke.py "http://127.0.0.1:$PORT" "$HOST_NAME" || rc=$?
if grep -E '" 5[0-9]{2} ' "$WORK/gunicorn.log"; then
    echo "gunicorn's access log shows server errors" >&2
    rc=1
fi
if ((rc)); then
    echo "--- gunicorn's log"
    tail -60 "$WORK/gunicorn.log"
fi
exit $rc
