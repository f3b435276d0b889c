#!/usr/bin/env bash
# A local PostgreSQL for development and CI, from the installed server binaries.
#
#   deploy/postgres/pg.sh up      start it (initialising it, the database and the schema when needed)
#   deploy/postgres/pg.sh down    stop it
#   deploy/postgres/pg.sh url     print the connection string (ConnectionStrings:Broker)
#   deploy/postgres/pg.sh status  say whether it runs
#   deploy/postgres/pg.sh restart stop it, then start it again (as prepared by 'up' before)
#
# BROKER_PG_PORT, BROKER_PG_DATA and BROKER_PG_DATABASE choose another instance (a fault run starts its own).
# BROKER_PG_LISTEN adds addresses to listen on beside 127.0.0.1, and BROKER_PG_CLIENTS a subnet allowed in
# with the role's password (silos in network namespaces reach the server over a bridge).
#
# The server refuses to run as root: as root this script runs it as the system user 'broker-pg'
# (created when missing). It listens on 127.0.0.1 (and BROKER_PG_LISTEN); its data lives under the repo's ignored .data/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${BROKER_PG_BIN:-/usr/lib/postgresql/15/bin}"
# Below the kernel's ephemeral range (32768-60999 here): no client connection can take the port while the server restarts.
port="${BROKER_PG_PORT:-25432}"
database="${BROKER_PG_DATABASE:-broker}"
role="broker"
data="${BROKER_PG_DATA:-$repo/.data/postgres}"
os_user="broker-pg"
listen="127.0.0.1${BROKER_PG_LISTEN:+,$BROKER_PG_LISTEN}"
clients="${BROKER_PG_CLIENTS:-}"

# The server user may not be allowed into the caller's working directory (a checkout under /root, say).
cd /

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$os_user" -- "$@"
  else
    "$@"
  fi
}

prepare_owner() {
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id "$os_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$os_user"
  fi
  mkdir -p "$data"
  chown -R "$os_user" "$data"
  # The server user must reach the data directory through every parent directory; a checkout in a
  # private directory (a CI workspace under /root, say) cannot be reached, so fall back to /var/tmp.
  if ! runuser -u "$os_user" -- test -w "$data"; then
    data="/var/tmp/broker-pg-$(echo "$repo" | md5sum | cut -c1-12)"
    mkdir -p "$data"
    chown -R "$os_user" "$data"
  fi
}

url() {
  echo "Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$role"
}

# psql is only a client: it runs as the caller (who can read the schema files), over TCP with trust auth.
psql_as_superuser() {
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"
}

running() {
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

up() {
  prepare_owner
  mkdir -p "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if [ -n "$clients" ] && ! grep -q "^host all $role $clients " "$data/pg_hba.conf"; then
    as_owner sh -c "echo 'host all $role $clients scram-sha-256' >> '$data/pg_hba.conf'"
  fi
  if ! running; then
    mkdir -p "$data/run"
    [ "$(id -u)" -ne 0 ] || chown "$os_user" "$data/run"
    start
  fi
  if ! psql_as_superuser -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'" | grep -q 1; then
    psql_as_superuser -d postgres -c "CREATE ROLE $role LOGIN PASSWORD '$role'"
  fi
  if ! psql_as_superuser -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
    psql_as_superuser -d postgres -c "CREATE DATABASE $database OWNER $role"
  fi
  for script in "$here"/schema/*.sql; do
    PGOPTIONS="-c client_min_messages=warning" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -f "$script" >/dev/null
  done
  echo "PostgreSQL is up on 127.0.0.1:$port, database '$database', schema applied."
}

# Starts an instance that `up` has prepared before, and nothing else: what a restart after an outage needs, fast.
start() {
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=$listen -k $data/run -c max_connections=300 -c fsync=on" start >/dev/null
}

down() {
  if running; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "PostgreSQL stopped."
  else
    echo "PostgreSQL is not running."
  fi
}

# As root, a fallback data directory may be in use (see prepare_owner).
if [ "$(id -u)" -eq 0 ] && [ -z "${BROKER_PG_DATA:-}" ] && [ ! -f "$data/PG_VERSION" ]; then
  fallback="/var/tmp/broker-pg-$(echo "$repo" | md5sum | cut -c1-12)"
  [ -f "$fallback/PG_VERSION" ] && data="$fallback"
fi

case "${1:-}" in
  up) up ;;
  down) down ;;
  restart) down; start ;;
  url) url ;;
  status) if running; then echo "running on 127.0.0.1:$port"; else echo "stopped"; exit 3; fi ;;
  *) echo "usage: $0 up|down|url|status|restart" >&2; exit 2 ;;
esac
