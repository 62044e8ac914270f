#!/usr/bin/env bash
# Replication side by side with real Redis 7.0 on this machine, in one run:
#   1. full-sync time: a master holding N string keys, a fresh replica, from REPLICAOF to link up;
#   2. master throughput with two replicas attached (redis-benchmark SET -P 16), and the
#      replicas' lag behind the master right after the run (bytes of stream not yet applied).
# Usage: benchmarks/replication-vs-redis.sh [keys] [requests]   (defaults 1000000, 500000)
# Each topology runs alone (Redis first, then Cinnabar), on loopback ports BASE_PORT.. (default 27601);
# a port already answering PING stops the script rather than write into someone else's server.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-1000000}
N=${2:-500000}
. benchmarks/lib.sh
need_redis
need_jar

start() { # kind port dir -> starts a server, appends its pid
  local kind=$1 port=$2 dir=$3
  free_port "$port"
  mkdir -p "$dir"
  if [ "$kind" = redis ]; then
    (cd "$dir" && exec redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
      --repl-diskless-sync-delay 0 --logfile "$dir/log") &
  else
    (cd "$dir" && exec "$OLDPWD/bin/cinnabar-server" --port "$port" --bind 127.0.0.1 --save "" \
      --repl-diskless-sync-delay 0 --dir "$dir" >"$dir/log" 2>&1) &
  fi
  PIDS+=("$!")
  await_up "$port" "$!" "$kind" "$dir/log"
}
field() { info_field "$1" replication "$2"; }
ms() { date +%s%3N; }

measure() { # kind base-port -> "sync_ms rps lag_bytes"
  local kind=$1 base=$2 m=$(( $2 )) r1=$(( $2 + 1 )) r2=$(( $2 + 2 ))
  start "$kind" "$m" "$tmp/$kind-m"
  awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$10\r\nvalue%05d\r\n", length("key:" i), i, i % 100000 }' \
    | redis-cli -p "$m" --pipe >/dev/null
  start "$kind" "$r1" "$tmp/$kind-r1"
  start "$kind" "$r2" "$tmp/$kind-r2"
  local t0; t0=$(ms)
  redis-cli -p "$r1" replicaof 127.0.0.1 "$m" >/dev/null
  for _ in $(seq 1 6000); do [ "$(field "$r1" master_link_status)" = up ] && break; sleep 0.05; done
  local sync=$(( $(ms) - t0 ))
  [ "$(redis-cli -p "$r1" dbsize)" = "$KEYS" ] || { echo "$kind replica has $(redis-cli -p "$r1" dbsize) keys" >&2; exit 1; }
  redis-cli -p "$r2" replicaof 127.0.0.1 "$m" >/dev/null
  for _ in $(seq 1 6000); do [ "$(field "$r2" master_link_status)" = up ] && break; sleep 0.05; done
  redis-benchmark -p "$m" -n "$N" -c 50 -r 100000 -P 16 -t set -q >/dev/null 2>&1   # warm-up
  local rps; rps=$(redis-benchmark -p "$m" -n "$N" -c 50 -r 100000 -P 16 -t set -q --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2)
  local moff a b; moff=$(field "$m" master_repl_offset); a=$(field "$r1" slave_repl_offset); b=$(field "$r2" slave_repl_offset)
  echo "$sync $rps $(( (moff - a) > (moff - b) ? (moff - a) : (moff - b) ))"
  stop_all
}

BASE_PORT=${BASE_PORT:-27601}
# run in this shell (not a subshell) so the EXIT trap stops whatever a failure leaves running
measure redis "$BASE_PORT" > "$tmp/redis.out"
measure cinnabar $(( BASE_PORT + 10 )) > "$tmp/cinnabar.out"
read -r rs rr rl < "$tmp/redis.out"
read -r cs cr cl < "$tmp/cinnabar.out"
echo "replication, $KEYS keys, SET -P 16 -n $N -c 50 with 2 replicas, $(nproc) cores, $(date -u +%F)"
echo "| measure | redis | cinnabar | ratio |"
echo "| --- | --- | --- | --- |"
awk -v a="$rs" -v b="$cs" 'BEGIN { printf "| full sync of the keys to a fresh replica, ms | %d | %d | %.2f (time, lower is better) |\n", a, b, b / a }'
awk -v a="$rr" -v b="$cr" 'BEGIN { printf "| master SET -P 16 rps with 2 replicas | %.0f | %.0f | %.2f |\n", a, b, b / a }'
echo "| largest replica lag right after the run, bytes | $rl | $cl | |"
