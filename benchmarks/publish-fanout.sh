#!/usr/bin/env bash
# PUBLISH fan-out, real Redis 7.0 and Cinnabar side by side: SUBSCRIBERS redis-cli processes
# subscribe to one channel on each server, then redis-benchmark publishes to it.
# Usage: benchmarks/publish-fanout.sh [requests] [subscribers]   (defaults 100000, 50)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
SUBSCRIBERS=${2:-50}
REDIS_PORT=${REDIS_PORT:-7611}
OURS_PORT=${OURS_PORT:-7612}
command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server redis-tools)"; exit 2; }
[ -f server/target/cinnabar-server.jar ] || mvn -q -B package -DskipTests -pl server -am
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --logfile "" >/dev/null &
pids+=($!)
bin/cinnabar-server --port "$OURS_PORT" --bind 127.0.0.1 --save "" >/tmp/cinnabar-fanout.log 2>&1 &
pids+=($!)
for port in "$REDIS_PORT" "$OURS_PORT"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  for _ in $(seq 1 "$SUBSCRIBERS"); do
    redis-cli -p "$port" subscribe fanout >/dev/null &
    pids+=($!)
  done
  for _ in $(seq 1 100); do
    [ "$(redis-cli -p "$port" pubsub numsub fanout | tail -1)" = "$SUBSCRIBERS" ] && break; sleep 0.1
  done
done
pub() { redis-benchmark -p "$1" -n "$N" -c 50 -q --csv PUBLISH fanout hello-subscribers 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2; }
pub "$OURS_PORT" >/dev/null   # JIT warm-up
r=$(pub "$REDIS_PORT"); o=$(pub "$OURS_PORT")
echo "PUBLISH to $SUBSCRIBERS subscribers, redis-benchmark -n $N -c 50: redis $r rps, cinnabar $o rps, ratio $(awk -v a="$o" -v b="$r" 'BEGIN{printf "%.2f", a/b}')"
