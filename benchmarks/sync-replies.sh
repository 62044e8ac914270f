#!/usr/bin/env bash
# What held replies (cinnabar-sync-replicas) cost: write throughput of a master that its sentinel
# manages, with two replicas, replies waiting for a replica's acknowledgement (the default) against
# replies at once (CONFIG SET cinnabar-sync-replicas 0, same processes), and real Redis 7.0 in the
# same topology for reference. redis-benchmark SET, 50 clients, -P 1 and -P 16.
# Usage: benchmarks/sync-replies.sh [requests]   (default 200000; -P 1 runs a fifth of them)
# Loopback ports BASE_PORT.. (default 27701); a port already answering PING stops the script.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
BASE_PORT=${BASE_PORT:-27701}
. benchmarks/lib.sh
need_redis redis-sentinel
need_jar
field() { info_field "$1" replication "$2"; }
data_node() { # kind port [args]
  local kind=$1 port=$2 dir="$tmp/$1-$2"; shift 2
  free_port "$port"; mkdir -p "$dir"
  if [ "$kind" = redis ]; then
    (cd "$dir" && exec redis-server --port "$port" --bind 127.0.0.1 --save "" --repl-diskless-sync-delay 0 "$@" >log 2>&1) &
  else
    (exec bin/cinnabar-server --port "$port" --bind 127.0.0.1 --save "" --repl-diskless-sync-delay 0 --dir "$dir" "$@" >"$dir/log" 2>&1) &
  fi
  PIDS+=("$!"); await_up "$port" "$!" "$kind" "$dir/log"
}
sentinel() { # kind port master-port
  local kind=$1 port=$2 m=$3 dir="$tmp/$1-sentinel-$2"
  free_port "$port"; mkdir -p "$dir"
  printf 'port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor mymaster 127.0.0.1 %s 1\nsentinel down-after-milliseconds mymaster 3000\n' \
    "$port" "$dir" "$m" > "$dir/sentinel.conf"
  if [ "$kind" = redis ]; then
    (exec redis-sentinel "$dir/sentinel.conf" >"$dir/log" 2>&1) &
  else
    (exec bin/cinnabar-sentinel "$dir/sentinel.conf" >"$dir/log" 2>&1) &
  fi
  PIDS+=("$!"); await_up "$port" "$!" "$kind sentinel" "$dir/log"
}
rps() { # port pipeline requests
  redis-benchmark -p "$1" -n "$3" -c 50 -r 100000 -P "$2" -t set -q --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2
}
fleet() { # kind base -> starts master, 2 replicas, 1 sentinel
  local kind=$1 m=$2
  data_node "$kind" "$m"
  data_node "$kind" $(( m + 1 )) --replicaof 127.0.0.1 "$m"
  data_node "$kind" $(( m + 2 )) --replicaof 127.0.0.1 "$m"
  for _ in $(seq 1 600); do [ "$(field "$m" connected_slaves)" = 2 ] && break; sleep 0.05; done
  sentinel "$kind" $(( m + 3 )) "$m"
}

fleet redis "$BASE_PORT"
rps "$BASE_PORT" 16 "$N" >/dev/null   # warm-up
r16=$(rps "$BASE_PORT" 16 "$N"); r1=$(rps "$BASE_PORT" 1 $(( N / 5 )))
stop_all

m=$(( BASE_PORT + 10 ))
fleet cinnabar "$m"
for _ in $(seq 1 200); do [ "$(field "$m" cinnabar_fence)" = held ] && break; sleep 0.1; done
[ "$(field "$m" cinnabar_fence)" = held ] || { echo "the sentinel never named the master (cinnabar_fence: $(field "$m" cinnabar_fence))" >&2; exit 1; }
rps "$m" 16 "$N" >/dev/null; rps "$m" 1 $(( N / 5 )) >/dev/null   # JIT warm-up, both settings
redis-cli -p "$m" config set cinnabar-sync-replicas 0 >/dev/null
rps "$m" 16 "$N" >/dev/null
a16=$(rps "$m" 16 "$N"); a1=$(rps "$m" 1 $(( N / 5 )))
redis-cli -p "$m" config set cinnabar-sync-replicas 1 >/dev/null
h16=$(rps "$m" 16 "$N"); h1=$(rps "$m" 1 $(( N / 5 )))
stop_all

echo "held replies, SET -c 50 -n $N (-P 1: $(( N / 5 ))), master + 2 replicas + 1 sentinel, $(nproc) cores, $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| SET rps | redis | cinnabar, replies wait (default) | ratio | cinnabar, cinnabar-sync-replicas 0 | ratio |"
echo "| --- | --- | --- | --- | --- | --- |"
awk -v a="$r16" -v b="$h16" -v c="$a16" 'BEGIN { printf "| -P 16 | %.0f | %.0f | %.2f | %.0f | %.2f |\n", a, b, b / a, c, c / a }'
awk -v a="$r1" -v b="$h1" -v c="$a1" 'BEGIN { printf "| -P 1 | %.0f | %.0f | %.2f | %.0f | %.2f |\n", a, b, b / a, c, c / a }'
