#!/usr/bin/env bash
# Container entrypoint: turns the bitnami/redis and bitnami/redis-sentinel environment variables
# into a config file, then runs cinnabar-server or cinnabar-sentinel on it, so a compose file
# written for the bitnami images works with ours. Mode: CINNABAR_MODE=server|sentinel, or
# "sentinel" as the first argument. CINNABAR_CONF_DIR (default /opt/cinnabar/conf) receives the
# generated file; CINNABAR_DRY_RUN=1 prints the config and exits (used by the tests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${CINNABAR_BIN:-$here/../bin}"
conf_dir="${CINNABAR_CONF_DIR:-/opt/cinnabar/conf}"
mode="${CINNABAR_MODE:-server}"
if [ "${1:-}" = "sentinel" ]; then mode=sentinel; shift; fi
if [ "${1:-}" = "server" ]; then mode=server; shift; fi

die() { echo "cinnabar-entrypoint: $*" >&2; exit 1; }

# bitnami's *_FILE convention: REDIS_PASSWORD_FILE=/run/secrets/x sets REDIS_PASSWORD from the file
for var in REDIS_PASSWORD REDIS_MASTER_PASSWORD REDIS_SENTINEL_PASSWORD; do
  file_var="${var}_FILE"
  if [ -n "${!file_var:-}" ]; then
    [ -r "${!file_var}" ] || die "$file_var points to an unreadable file: ${!file_var}"
    printf -v "$var" '%s' "$(cat "${!file_var}")"
  fi
done

# a config value as Redis reads it: quoted, with backslash and quote escaped
q() { local v="${1//\\/\\\\}"; v="${v//\"/\\\"}"; printf '"%s"' "$v"; }
yes_no() { case "${1,,}" in yes|true|1) echo yes ;; *) echo no ;; esac; }

# TLS as the bitnami images configure it: $1 is the variable prefix (REDIS or REDIS_SENTINEL), $2
# the plain port, $3 the default TLS port. Both ports at the default: TLS only (port 0). TLS also
# carries replication and the sentinel's links (tls-replication yes).
tls_conf() {
  local p="$1" port="$2" default="$3"
  local enabled="${p}_TLS_ENABLED" tls_port_var="${p}_TLS_PORT_NUMBER" alias="${p}_TLS_PORT"
  [ "$(yes_no "${!enabled:-no}")" = yes ] || return 0
  local tls_port="${!tls_port_var:-${!alias:-$default}}"
  local cert="${p}_TLS_CERT_FILE" key="${p}_TLS_KEY_FILE" pass="${p}_TLS_KEY_FILE_PASS" ca="${p}_TLS_CA_FILE"
  local ca_dir="${p}_TLS_CA_DIR" dh="${p}_TLS_DH_PARAMS_FILE" auth="${p}_TLS_AUTH_CLIENTS"
  if [ "$port" = "$tls_port" ] && [ "$port" != "$default" ]; then
    die "Environment variables ${p}_PORT_NUMBER and $tls_port_var point to the same port number ($port). Change one of them or disable non-TLS traffic by setting ${p}_PORT_NUMBER=0"
  fi
  [ -n "${!cert:-}" ] || die "You must provide a X.509 certificate in order to use TLS ($cert)"
  [ -n "${!key:-}" ] || die "You must provide a private key in order to use TLS ($key)"
  [ -n "${!ca:-}" ] || [ -n "${!ca_dir:-}" ] || die "You must provide a CA X.509 certificate in order to use TLS ($ca or $ca_dir)"
  [ "$port" = "$tls_port" ] && echo "port 0"
  echo "tls-port $tls_port"
  echo "tls-cert-file $(q "${!cert}")"
  echo "tls-key-file $(q "${!key}")"
  [ -n "${!pass:-}" ] && echo "tls-key-file-pass $(q "${!pass}")"
  if [ -n "${!ca:-}" ]; then echo "tls-ca-cert-file $(q "${!ca}")"; else echo "tls-ca-cert-dir $(q "${!ca_dir}")"; fi
  [ -n "${!dh:-}" ] && echo "tls-dh-params-file $(q "${!dh}")"
  echo "tls-auth-clients ${!auth:-yes}"
  echo "tls-replication yes"
}

server_conf() {
  local port="${REDIS_PORT_NUMBER:-6379}"
  if [ -z "${REDIS_PASSWORD:-}" ] && [ "$(yes_no "${ALLOW_EMPTY_PASSWORD:-no}")" != yes ]; then
    die "The REDIS_PASSWORD environment variable is empty or not set. Set the environment variable ALLOW_EMPTY_PASSWORD=yes to allow the container to be started with blank passwords. This is recommended only for development."
  fi
  echo "port $port"
  echo "bind ${REDIS_BIND_ADDRESS:-0.0.0.0 -::*}"
  echo "protected-mode no"
  echo "dir ${REDIS_DATA_DIR:-/opt/cinnabar/data}"
  [ -n "${REDIS_PASSWORD:-}" ] && echo "requirepass $(q "$REDIS_PASSWORD")"
  [ "$(yes_no "${REDIS_AOF_ENABLED:-no}")" = yes ] && echo "appendonly yes"
  [ -n "${REDIS_RDB_POLICY:-}" ] && echo "save $(q "$REDIS_RDB_POLICY")"
  [ "$(yes_no "${REDIS_RDB_POLICY_DISABLED:-no}")" = yes ] && echo 'save ""'
  case "${REDIS_REPLICATION_MODE:-}" in
    ""|master) ;;
    slave|replica)
      [ -n "${REDIS_MASTER_HOST:-}" ] || die "REDIS_MASTER_HOST must be set when REDIS_REPLICATION_MODE=$REDIS_REPLICATION_MODE"
      echo "replicaof ${REDIS_MASTER_HOST} ${REDIS_MASTER_PORT_NUMBER:-6379}"
      [ -n "${REDIS_MASTER_PASSWORD:-}" ] && echo "masterauth $(q "$REDIS_MASTER_PASSWORD")"
      [ -n "${REDIS_MASTER_USER:-}" ] && echo "masteruser $(q "$REDIS_MASTER_USER")"
      ;;
    *) die "REDIS_REPLICATION_MODE must be master, slave or replica, not '$REDIS_REPLICATION_MODE'" ;;
  esac
  # the master's password also authenticates replicas towards a promoted replica after a failover
  if [ "${REDIS_REPLICATION_MODE:-master}" = master ] && [ -n "${REDIS_PASSWORD:-}" ]; then
    echo "masterauth $(q "$REDIS_PASSWORD")"
  fi
  [ -n "${REDIS_REPLICA_IP:-}" ] && echo "replica-announce-ip ${REDIS_REPLICA_IP}"
  [ -n "${REDIS_REPLICA_PORT:-}" ] && echo "replica-announce-port ${REDIS_REPLICA_PORT}"
  if [ -n "${REDIS_DISABLE_COMMANDS:-}" ]; then
    IFS=',' read -ra cmds <<< "$REDIS_DISABLE_COMMANDS"
    for c in "${cmds[@]}"; do echo "rename-command ${c// /} \"\""; done
  fi
  [ -n "${REDIS_ACLFILE:-}" ] && echo "aclfile $(q "$REDIS_ACLFILE")"
  tls_conf REDIS "$port" 6379
  true
}

sentinel_conf() {
  local master="${REDIS_MASTER_SET:-mymaster}"
  local port="${REDIS_SENTINEL_PORT_NUMBER:-26379}"
  echo "port $port"
  echo "bind ${REDIS_SENTINEL_BIND_ADDRESS:-0.0.0.0 -::*}"
  echo "protected-mode no"
  echo "dir ${REDIS_DATA_DIR:-/opt/cinnabar/data}"
  [ -n "${REDIS_SENTINEL_ANNOUNCE_IP:-}" ] && echo "sentinel announce-ip ${REDIS_SENTINEL_ANNOUNCE_IP}"
  [ -n "${REDIS_SENTINEL_ANNOUNCE_PORT:-}" ] && echo "sentinel announce-port ${REDIS_SENTINEL_ANNOUNCE_PORT}"
  # bitnami resolves hostnames by default: compose services are named, not numbered
  echo "sentinel resolve-hostnames $(yes_no "${REDIS_SENTINEL_RESOLVE_HOSTNAMES:-yes}")"
  [ -n "${REDIS_SENTINEL_ANNOUNCE_HOSTNAMES:-}" ] && echo "sentinel announce-hostnames $(yes_no "$REDIS_SENTINEL_ANNOUNCE_HOSTNAMES")"
  echo "sentinel monitor $master ${REDIS_MASTER_HOST:-redis} ${REDIS_MASTER_PORT_NUMBER:-6379} ${REDIS_SENTINEL_QUORUM:-2}"
  echo "sentinel down-after-milliseconds $master ${REDIS_SENTINEL_DOWN_AFTER_MILLISECONDS:-60000}"
  echo "sentinel failover-timeout $master ${REDIS_SENTINEL_FAILOVER_TIMEOUT:-180000}"
  echo "sentinel parallel-syncs $master ${REDIS_SENTINEL_PARALLEL_SYNCS:-1}"
  [ -n "${REDIS_MASTER_PASSWORD:-}" ] && echo "sentinel auth-pass $master $(q "$REDIS_MASTER_PASSWORD")"
  [ -n "${REDIS_MASTER_USER:-}" ] && echo "sentinel auth-user $master $(q "$REDIS_MASTER_USER")"
  [ -n "${REDIS_SENTINEL_PASSWORD:-}" ] && echo "requirepass $(q "$REDIS_SENTINEL_PASSWORD")"
  tls_conf REDIS_SENTINEL "$port" 26379
  true
}

case "$mode" in
  server) conf="$conf_dir/redis.conf"; text="$(server_conf)" ;;
  sentinel) conf="$conf_dir/sentinel.conf"; text="$(sentinel_conf)" ;;
  *) die "CINNABAR_MODE must be server or sentinel, not '$mode'" ;;
esac
# a server's file is written anew from the variables at every start, but the start fence that Cinnabar
# sentinels set and wrote there (CONFIG SET + CONFIG REWRITE) is kept: a master restarted on the old
# variables must still wait for its sentinels before taking writes (docs/operations.md, the start fence)
if [ "$mode" = server ] && [ -s "$conf" ]; then
  kept="$(grep -E '^cinnabar-start-fenced-ms [0-9]+$' "$conf" | tail -n 1 || true)"
  if [ -n "$kept" ]; then text="$text"$'\n'"$kept"; fi
fi
if [ "${CINNABAR_DRY_RUN:-0}" = 1 ]; then
  printf '%s\n' "$text"
  exit 0
fi
mkdir -p "$conf_dir" "${REDIS_DATA_DIR:-/opt/cinnabar/data}"
# the sentinel rewrites its config: only write it the first time, keep what it learnt since
if [ "$mode" = server ] || [ ! -s "$conf" ]; then
  printf '%s\n' "$text" > "$conf.tmp" && mv "$conf.tmp" "$conf"
fi
if [ "$mode" = sentinel ]; then
  exec "$bin/cinnabar-sentinel" "$conf" ${REDIS_EXTRA_FLAGS:-} "$@"
fi
exec "$bin/cinnabar-server" "$conf" ${REDIS_EXTRA_FLAGS:-} "$@"
