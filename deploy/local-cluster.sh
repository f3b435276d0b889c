#!/usr/bin/env bash
# A durable broker cluster on this machine: PostgreSQL and one silo process per provider, on loopback.
#
#   deploy/local-cluster.sh up       build, start PostgreSQL and the silos, wait until every silo is ready
#   deploy/local-cluster.sh status   one line per silo: <provider> <pid> <http-url>
#   deploy/local-cluster.sh down     stop the silos and PostgreSQL
#   deploy/local-cluster.sh stop-silo <provider>    stop one provider's silo (the provider-outage load test does)
#   deploy/local-cluster.sh start-silo <provider>   start it again and wait until it is ready
#   deploy/local-cluster.sh providers               the providers 'up' runs silos for
#
# BROKER_FEDERATION_FILE  the federation file (default: the demo federation)
# BROKER_PROVIDERS        the providers to run silos for (default: the file's member providers;
#                         for the demo federation "dataport itnrw akdb", three of its eight members)
# BROKER_HTTP_PORT        the first silo's HTTP port; the next silos count up (default 5081)
# BROKER_SILO_PORT, BROKER_GATEWAY_PORT   the first silo's Orleans ports, counting up likewise (default 11121, 30021)
# BROKER_CLUSTER_STATE    where pid files, URLs and logs go (default: the repository's ignored .data/cluster)
# BROKER_READY_SECONDS    how long each silo may take to become ready (default 60)
# PostgreSQL comes from deploy/postgres/pg.sh, so BROKER_PG_PORT and BROKER_PG_DATA choose its instance.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
state="${BROKER_CLUSTER_STATE:-$repo/.data/cluster}"
demo_federation="$repo/silos/Broker.Silo/demo-federation.json"
federation="${BROKER_FEDERATION_FILE:-$demo_federation}"
http_port="${BROKER_HTTP_PORT:-5081}"
silo_port="${BROKER_SILO_PORT:-11121}"
gateway_port="${BROKER_GATEWAY_PORT:-30021}"
ready_seconds="${BROKER_READY_SECONDS:-60}"
silo_dll="$repo/silos/Broker.Silo/bin/Release/net10.0/Broker.Silo.dll"

# The providers to run silos for. A silo for a provider the file does not define would own no data center,
# so without BROKER_PROVIDERS a file's own members are taken (partners run no silos: they are not in the cluster).
member_providers() {
  if [ "$(realpath "$federation")" = "$(realpath "$demo_federation")" ]; then
    echo "dataport itnrw akdb"
  else
    jq -r '[.providers[]? | select(((.kind // "member") | ascii_downcase) == "member") | .id] | join(" ")' "$federation"
  fi
}

providers=()
resolve_providers() {
  local names
  if [ -n "${BROKER_PROVIDERS:-}" ]; then
    names="$BROKER_PROVIDERS"
  elif ! names="$(member_providers)"; then
    echo "cannot read the member providers of $federation (set BROKER_PROVIDERS)" >&2
    exit 2
  fi
  read -r -a providers <<<"$names"
  if [ "${#providers[@]}" -eq 0 ]; then
    echo "$federation defines no member provider: nothing to run a silo for (set BROKER_PROVIDERS)" >&2
    exit 2
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

connection() {
  # Pools small enough that every silo together stays under the server's connection limit.
  echo "$(bash "$here/postgres/pg.sh" url);Maximum Pool Size=40"
}

# start_silo <provider>: starts the provider's silo unless it runs; its ports follow its place in the list.
start_silo() {
  local provider="$1" i=0 index=-1
  for p in "${providers[@]}"; do
    if [ "$p" = "$provider" ]; then index=$i; fi
    i=$((i + 1))
  done
  if [ "$index" -lt 0 ]; then echo "$provider is not one of: ${providers[*]}" >&2; exit 2; fi
  local pidfile="$state/$provider.pid" url="http://127.0.0.1:$((http_port + index))"
  if ! alive "$pidfile"; then
    nohup dotnet "$silo_dll" \
      --Broker:Storage=postgres --ConnectionStrings:Broker="$(connection)" \
      --Broker:Provider="$provider" --Broker:FederationFile="$federation" \
      --Broker:SiloPort=$((silo_port + index)) --Broker:GatewayPort=$((gateway_port + index)) \
      --urls "$url" >>"$state/$provider.log" 2>&1 &
    echo $! >"$pidfile"
    echo "$url" >"$state/$provider.url"
  fi
}

# wait_ready <provider>: until its silo answers ready (BROKER_READY_SECONDS at most).
wait_ready() {
  local provider="$1" url
  url="$(cat "$state/$provider.url")"
  for _ in $(seq 1 $((ready_seconds * 2))); do
    if curl -fs -o /dev/null "$url/health/ready"; then return 0; fi
    if ! alive "$state/$provider.pid"; then echo "silo $provider died; see $state/$provider.log" >&2; exit 1; fi
    sleep 0.5
  done
  echo "silo $provider is not ready; see $state/$provider.log" >&2
  exit 1
}

# stop_silo <provider>: a graceful stop (SIGTERM), forced after 10 s.
stop_silo() {
  local pidfile="$state/$1.pid"
  if alive "$pidfile"; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 40); do alive "$pidfile" || break; sleep 0.25; done
    alive "$pidfile" && kill -9 "$(cat "$pidfile")"
  fi
  rm -f "$pidfile"
}

up() {
  resolve_providers
  mkdir -p "$state"
  bash "$here/postgres/pg.sh" up
  dotnet build "$repo/silos/Broker.Silo" --configuration Release --nologo -v quiet >/dev/null
  for provider in "${providers[@]}"; do start_silo "$provider"; done
  for provider in "${providers[@]}"; do wait_ready "$provider"; done
  status
}

status() {
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    local provider
    provider="$(basename "$pidfile" .pid)"
    if alive "$pidfile"; then
      echo "$provider $(cat "$pidfile") $(cat "$state/$provider.url")"
    fi
  done
}

down() {
  for pidfile in "$state"/*.pid; do
    [ -e "$pidfile" ] || continue
    stop_silo "$(basename "$pidfile" .pid)"
  done
  bash "$here/postgres/pg.sh" down
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  providers) resolve_providers; echo "${providers[*]}" ;;
  stop-silo) stop_silo "${2:?provider}" ;;
  start-silo) resolve_providers; mkdir -p "$state"; start_silo "${2:?provider}"; wait_ready "$2" ;;
  *) echo "usage: $0 up|status|down|providers|stop-silo <provider>|start-silo <provider>" >&2; exit 2 ;;
esac
