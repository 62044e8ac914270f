#!/usr/bin/env bash
# GET/SET latency (redis-benchmark: rps, p99, max ms) while BGSAVEs of N keys run back to back,
# one Cinnabar per JVM collector, to see how much of the worst case is garbage collection.
# Usage: benchmarks/bgsave-gc-latency.sh [keys] [requests]   (defaults 1000000, 300000; port BASE_PORT, 27831)
#   COLLECTORS="-XX:+UseParallelGC" limits the run to the flag sets given (separated by ';').
set -u
cd "$(dirname "$0")/.."
KEYS=${1:-1000000}
N=${2:-300000}
port=${BASE_PORT:-27831}
[ -f server/target/cinnabar-server.jar ] || mvn -q -B package -DskipTests -pl server -am
IFS=';' read -r -a collectors <<< "${COLLECTORS:--XX:+UseParallelGC;-XX:+UseZGC;-XX:+UseG1GC -XX:MaxGCPauseMillis=10}"
for opts in "${collectors[@]}"; do
  d=$(mktemp -d)
  java $opts -Xss512k -XX:+PerfDisableSharedMem -jar server/target/cinnabar-server.jar --port "$port" \
    --bind 127.0.0.1 --save "" --dir "$d" --enable-debug-command yes > "$d/log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  redis-cli -p "$port" debug populate "$KEYS" key 10 >/dev/null
  ( for _ in $(seq 1000); do
      [ -f "$d/stop" ] && break
      redis-cli -p "$port" bgsave >/dev/null 2>&1
      for _ in $(seq 6000); do
        [ "$(redis-cli -p "$port" info persistence | tr -d '\r' | grep rdb_bgsave_in_progress | cut -d: -f2)" = 1 ] || break
        sleep 0.05
      done
    done ) &
  saver=$!
  res=$(redis-benchmark -p "$port" -n "$N" -c 50 -r "$KEYS" -t get,set --csv 2>/dev/null | tr -d '"' \
    | awk -F, '$1=="SET"||$1=="GET" {printf "%s rps=%s p99=%s max=%s  ", $1, $2, $7, $8}')
  touch "$d/stop"
  saves=$(redis-cli -p "$port" info persistence | tr -d '\r' | grep '^rdb_saves' | cut -d: -f2)
  echo "$opts: $res bgsaves=$saves loadavg=$(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"; wait "$pid" 2>/dev/null; wait "$saver" 2>/dev/null; rm -rf "$d"
done
