#!/usr/bin/env bash
# Mass insertion: cinnabar-cli --pipe (bin/cinnabar-cli, its default JVM flags) against redis-cli --pipe, both
# feeding the same RESP file of SET commands into one real redis-server on a free loopback port. The tools take
# turns, the keyspace is flushed before every run, and each run must end with "errors: 0, replies: <keys>" and
# DBSIZE = <keys>. Prints one line per run and the best time of each tool.
#
#   cli/pipe-benchmark.sh [keys=1000000] [runs=3]
set -euo pipefail
keys=${1:-1000000}
runs=${2:-3}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cinnabar="$here/bin/cinnabar-cli"
work="$(mktemp -d)"

port=""
for candidate in $(seq 20000 20 40000 | shuf -n 50); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free loopback port" >&2; exit 1; }

redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  --logfile "$work/redis.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done

awk -v n="$keys" 'BEGIN {
  for (i = 0; i < n; i++) {
    k = "key:" i; v = "value:" i
    printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
  }
}' > "$work/data.resp"
echo "$(wc -c < "$work/data.resp") bytes of RESP, $keys SET commands; redis-server 7.0.15 on port $port"

run() {  # tool-name command...
  local name=$1; shift
  redis-cli -p "$port" flushall >/dev/null
  local start end
  start=$(date +%s.%N)
  "$@" -p "$port" --pipe < "$work/data.resp" > "$work/out" 2>&1
  end=$(date +%s.%N)
  grep -q "errors: 0, replies: $keys" "$work/out" || { echo "$name: unexpected summary:" >&2; cat "$work/out" >&2; exit 1; }
  [ "$(redis-cli -p "$port" dbsize)" = "$keys" ] || { echo "$name: wrong DBSIZE" >&2; exit 1; }
  echo "$end - $start" | bc
}

best_redis=""; best_cinnabar=""
for r in $(seq 1 "$runs"); do
  if [ $((r % 2)) -eq 1 ]; then
    t_redis=$(run redis-cli redis-cli); t_cinnabar=$(run cinnabar-cli "$cinnabar")
  else
    t_cinnabar=$(run cinnabar-cli "$cinnabar"); t_redis=$(run redis-cli redis-cli)
  fi
  printf "run %d: redis-cli %.2f s, cinnabar-cli %.2f s\n" "$r" "$t_redis" "$t_cinnabar"
  if [ -z "$best_redis" ] || [ "$(echo "$t_redis < $best_redis" | bc)" = 1 ]; then best_redis=$t_redis; fi
  if [ -z "$best_cinnabar" ] || [ "$(echo "$t_cinnabar < $best_cinnabar" | bc)" = 1 ]; then best_cinnabar=$t_cinnabar; fi
done
printf "best: redis-cli %.2f s, cinnabar-cli %.2f s (cinnabar/redis time ratio %.2f)\n" "$best_redis" \
  "$best_cinnabar" "$(echo "$best_cinnabar / $best_redis" | bc -l)"
