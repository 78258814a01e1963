#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the store's shared test suite and prints
# the connection parameters (ZHENGWU_POSTGRES_URL). Installs Debian's postgresql package when no
# server binaries are present. Usage: eval "$(scripts/store/postgres.sh start)"; ...; scripts/store/postgres.sh stop
set -euo pipefail
PORT=${ZHENGWU_POSTGRES_PORT:-54329}
DATA=${ZHENGWU_POSTGRES_DATA:-/tmp/zhengwu-postgres}

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

bin_dir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

case "${1:-start}" in
start)
    if [ -z "$(bin_dir)" ]; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq > /dev/null
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql > /dev/null
    fi
    BIN=$(bin_dir)
    as_owner "$BIN/pg_ctl -D $DATA stop -m immediate" > /dev/null 2>&1 || true
    rm -rf "$DATA"
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
    as_owner "$BIN/initdb -D $DATA -A trust -U postgres -E UTF8 --locale=C.UTF-8" > /dev/null
    as_owner "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=on' start" > /dev/null
    as_owner "$BIN/createdb -h 127.0.0.1 -p $PORT -U postgres zhengwu"
    echo "export ZHENGWU_POSTGRES_URL='host=127.0.0.1 port=$PORT user=postgres dbname=zhengwu'"
    ;;
stop)
    BIN=$(bin_dir)
    [ -n "$BIN" ] && as_owner "$BIN/pg_ctl -D $DATA stop -m fast" > /dev/null 2>&1 || true
    rm -rf "$DATA"
    ;;
esac
