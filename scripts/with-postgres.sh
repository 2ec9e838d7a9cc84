#!/usr/bin/env bash
# scripts/with-postgres.sh CMD…: run CMD with DATABASE_URL pointing at a PostgreSQL server.
#
# 1. DATABASE_URL already set to a postgres:// URL that answers → use it as it is.
# 2. A server on 127.0.0.1:5432 that lets `postgres` in → postgres://postgres@127.0.0.1:5432/bdtx.
# 3. Otherwise a throwaway cluster in a temporary folder (trust auth, loopback only, a free port,
#    durability off for speed), stopped and deleted when CMD ends.
#
# pytest-django creates its own test database (test_bdtx, test_bdtx_gw0 … under xdist), so the
# database named in the URL need not exist. The exit code is CMD's.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 CMD [ARG…]" >&2
    exit 64
fi

say() { echo "with-postgres: $*" >&2; }

# Can a client reach the server named by URL? psql if there is one, else a TCP check of 5432 only.
reachable() {
    local url=$1
    if command -v psql >/dev/null 2>&1; then
        # Ask the maintenance database: the one in the URL may not exist yet.
        local base=${url%/*}
        PGCONNECT_TIMEOUT=3 psql "$base/postgres" -XAtqc 'select 1' >/dev/null 2>&1
    else
        pg_isready -q -h 127.0.0.1 -p 5432 -t 3
    fi
}

if [[ ${DATABASE_URL:-} == postgres://* || ${DATABASE_URL:-} == postgresql://* ]]; then
    if reachable "$DATABASE_URL"; then
        say "using DATABASE_URL from the environment"
        exec "$@"
    fi
    say "DATABASE_URL from the environment does not answer; starting a throwaway cluster instead"
fi

if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 -t 3; then
    url=postgres://postgres@127.0.0.1:5432/bdtx
    if reachable "$url"; then
        say "using the server on 127.0.0.1:5432"
        export DATABASE_URL=$url
        exec "$@"
    fi
    say "a server answers on 127.0.0.1:5432 but does not let postgres in; starting a throwaway cluster"
fi

# --- throwaway cluster -------------------------------------------------------------------------

pg_bin() {
    local name=$1 dir
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x $dir/$name ]]; then
            echo "$dir/$name"
            return
        fi
    done
    say "$name not found: install PostgreSQL's server binaries (Debian: apt-get install postgresql)"
    exit 69
}
INITDB=$(pg_bin initdb)
PG_CTL=$(pg_bin pg_ctl)

# initdb and postgres refuse to run as root: run them as the `postgres` system user then.
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
    if ! id postgres >/dev/null 2>&1; then
        useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    fi
    as_pg=(runuser -u postgres --)
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${BDTX_PG_PORT:-55432}
while port_busy "$port"; do
    port=$((port + 1))
    if ((port > 55532)); then
        say "no free port between 55432 and 55532"
        exit 69
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bdtx-pg.XXXXXX")
chmod 755 "$tmp"
if ((${#as_pg[@]})); then chown postgres: "$tmp"; fi

cleanup() {
    "${as_pg[@]}" "$PG_CTL" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting a throwaway cluster in $tmp on 127.0.0.1:$port"
if ! "${as_pg[@]}" "$INITDB" -D "$tmp/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$tmp/initdb.log" 2>&1; then
    cat "$tmp/initdb.log" >&2
    exit 70
fi
if ! "${as_pg[@]}" "$PG_CTL" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
    >/dev/null; then
    cat "$tmp/server.log" >&2
    exit 70
fi

export DATABASE_URL=postgres://postgres@127.0.0.1:$port/bdtx
status=0
"$@" || status=$?
exit "$status"
