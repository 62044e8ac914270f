#!/usr/bin/env bash
# Side-by-side redis-benchmark of real Redis 7.0 and Cinnabar on this machine, in one run.
# Usage: benchmarks/compare-with-redis.sh [requests] [tests] [pipelines]
#   defaults: 200000 requests, -t set,get,incr,lpush,lpop,sadd,hset,zadd,lrange_100, pipelines "1 16"
# Prints one table row per test and pipeline depth: requests/s of each server and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
TESTS=${2:-set,get,incr,lpush,lpop,sadd,hset,zadd,lrange_100}
PIPELINES=${3:-"1 16"}
CLIENTS=${CLIENTS:-50}
REDIS_PORT=${REDIS_PORT:-7601}
OURS_PORT=${OURS_PORT:-7602}
command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server redis-tools)"; exit 2; }
[ -f server/target/cinnabar-server.jar ] || mvn -q -B package -DskipTests -pl server -am

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --logfile "" >/dev/null &
REDIS_PID=$!
bin/cinnabar-server --port "$OURS_PORT" --bind 127.0.0.1 --save "" >/tmp/cinnabar-bench.log 2>&1 &
OURS_PID=$!
trap 'kill $REDIS_PID $OURS_PID 2>/dev/null; wait $REDIS_PID $OURS_PID 2>/dev/null || true' EXIT
for port in "$REDIS_PORT" "$OURS_PORT"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done

rps() { # port pipeline -> "test rps" lines
  redis-benchmark -p "$1" -n "$N" -c "$CLIENTS" -P "$2" -t "$TESTS" -q --csv 2>/dev/null \
    | tail -n +2 | tr -d '"' | awk -F, '{print $1" "$2}'
}
# warm the JIT once so the first measured test is not the cold one
redis-benchmark -p "$OURS_PORT" -n "$N" -c "$CLIENTS" -P 16 -t "$TESTS" -q >/dev/null 2>&1

echo "redis-benchmark -n $N -c $CLIENTS -t $TESTS, $(nproc) cores, $(date -u +%F)"
printf '| test | pipeline | redis rps | cinnabar rps | ratio |\n| --- | --- | --- | --- | --- |\n'
for P in $PIPELINES; do
  join <(rps "$REDIS_PORT" "$P" | sort) <(rps "$OURS_PORT" "$P" | sort) | sort \
    | awk -v p="$P" '{printf "| %s | %s | %.0f | %.0f | %.2f |\n", $1, p, $2, $3, $3/$2}'
done
