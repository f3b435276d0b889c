#!/usr/bin/env bash
# Backs up and restores the broker's whole state. One PostgreSQL database holds all of it: membership,
# reminders and the broker's rows (requests, allocations, ledgers, the audit trail, every grain's state).
#
#   deploy/postgres/backup.sh dump <file>      a consistent snapshot while the silos run (pg_dump, custom format)
#   deploy/postgres/backup.sh restore <file>   into an absent or empty database (created, owned by the role);
#                                              stop every silo first, start them again after it
#   deploy/postgres/backup.sh list <file>      what an archive holds (checks that it is readable)
#
# The server: the libpq variables PGHOST, PGPORT, PGUSER (a superuser, or a member of the owning role) and
# PGPASSWORD or ~/.pgpass. Without them, the local instance of pg.sh (127.0.0.1, BROKER_PG_PORT or 25432, postgres).
# BROKER_PG_DATABASE (default broker) and BROKER_PG_ROLE (default broker) name the database and its owner;
# BROKER_PG_BIN the client binaries (default /usr/lib/postgresql/15/bin: pg_dump must be at least the server's version).
set -euo pipefail

bin="${BROKER_PG_BIN:-/usr/lib/postgresql/15/bin}"
database="${BROKER_PG_DATABASE:-broker}"
role="${BROKER_PG_ROLE:-broker}"
export PGHOST="${PGHOST:-127.0.0.1}"
export PGPORT="${PGPORT:-${BROKER_PG_PORT:-25432}}"
export PGUSER="${PGUSER:-postgres}"

sql() {
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 --no-password -d "$1" -tAc "$2"
}

dump() {
  local file="$1"
  # Written beside the target and renamed once complete: a failed dump never leaves a file that looks whole.
  "$bin/pg_dump" --no-password --format=custom --dbname="$database" --file="$file.partial"
  mv "$file.partial" "$file"
  echo "dumped database '$database' from $PGHOST:$PGPORT to $file ($(stat -c %s "$file") bytes)"
}

restore() {
  local file="$1"
  "$bin/pg_restore" --list "$file" >/dev/null
  if [ "$(sql postgres "SELECT count(*) FROM pg_database WHERE datname = '$database'")" = "0" ]; then
    sql postgres "CREATE DATABASE \"$database\" OWNER \"$role\"" >/dev/null
  elif [ "$(sql "$database" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != "0" ]; then
    # Restoring over live tables would mix two states of the federation: refuse, and let the operator decide.
    echo "database '$database' on $PGHOST:$PGPORT holds tables: restore into a new database, or drop it first (DROP DATABASE \"$database\" WITH (FORCE))" >&2
    exit 3
  fi

  # As the owning role, so the restored objects belong to it whoever restores; all or nothing.
  "$bin/pg_restore" --no-password --exit-on-error --single-transaction --no-owner --role="$role" --dbname="$database" "$file"
  # A restored database has no planner statistics yet; the silos' first queries should not run without them.
  "$bin/vacuumdb" --no-password --analyze-only --quiet --dbname="$database"
  echo "restored $file into database '$database' on $PGHOST:$PGPORT"
}

case "${1:-}" in
  dump) dump "${2:?usage: $0 dump <file>}" ;;
  restore) restore "${2:?usage: $0 restore <file>}" ;;
  list) "$bin/pg_restore" --list "${2:?usage: $0 list <file>}" ;;
  *) echo "usage: $0 dump <file>|restore <file>|list <file>" >&2; exit 2 ;;
esac
