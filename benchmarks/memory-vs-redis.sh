#!/usr/bin/env bash
# Memory side by side: real Redis 7.0 and Cinnabar each load the same data set, then the process
# RSS (VmRSS from /proc/PID/status) and INFO memory used_memory of each are compared.
# Usage: benchmarks/memory-vs-redis.sh [datasets] [scale]
#   datasets: any of "strings hashes zsets" (default all three), each loaded into a fresh pair of
#     servers so every row stands alone:
#       strings  1,000,000 x SET key:NNNNNNN <16-byte value>
#       hashes   100,000 x HSET hash:NNNNNN with 10 fields (f0..f9 -> 8-byte values)
#       zsets    100,000 x ZADD zset:NNNNNN with 10 members (member:0..9, integer scores)
#   scale: divides the key counts (default 1; 10 gives a quick run).
# Cinnabar runs through bin/cinnabar-server (its default JVM flags unless CINNABAR_JAVA_OPTS is
# set) and gets a full GC (jcmd <pid> GC.run) before it is measured, so the figure is live data
# plus what the JVM keeps committed, not garbage left from loading. Redis needs no such step.
set -euo pipefail
cd "$(dirname "$0")/.."
DATASETS=${1:-"strings hashes zsets"}
SCALE=${2:-1}
REDIS_PORT=${REDIS_PORT:-7611}
OURS_PORT=${OURS_PORT:-7612}
command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server redis-tools)"; exit 2; }
command -v jcmd >/dev/null || { echo "jcmd not found (needs a full JDK)"; exit 2; }
[ -f server/target/cinnabar-server.jar ] || mvn -q -B -o package -DskipTests

tmp=$(mktemp -d)
REDIS_PID=""
OURS_PID=""
stop() {
  for pid in $REDIS_PID $OURS_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $REDIS_PID $OURS_PID; do wait "$pid" 2>/dev/null || true; done
  REDIS_PID=""
  OURS_PID=""
}
trap 'stop; rm -rf "$tmp"' EXIT

# RESP for redis-cli --pipe, written by awk so the script needs nothing beyond coreutils
gen() { # dataset count -> RESP on stdout
  awk -v kind="$1" -v n="$2" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (kind == "strings") {
        k = sprintf("key:%07d", i); v = sprintf("value:%010d", i)
        printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
      } else if (kind == "hashes") {
        k = sprintf("hash:%06d", i)
        printf "*22\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n", length(k), k
        for (f = 0; f < 10; f++) {
          fv = sprintf("f%d", f); vv = sprintf("v%07d", i % 10000000)
          printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(fv), fv, length(vv), vv
        }
      } else {
        k = sprintf("zset:%06d", i)
        printf "*22\r\n$4\r\nZADD\r\n$%d\r\n%s\r\n", length(k), k
        for (m = 0; m < 10; m++) {
          s = sprintf("%d", (i + m) % 1000); mv = sprintf("member:%d", m)
          printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(s), s, length(mv), mv
        }
      }
    }
  }'
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
used_memory() { redis-cli -p "$1" info memory | tr -d '\r' | awk -F: '/^used_memory:/ {print $2}'; }
await_ping() {
  for _ in $(seq 1 150); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "server on port $1 did not answer" >&2
  return 1
}

start() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    --logfile "" >/dev/null &
  REDIS_PID=$!
  bin/cinnabar-server --port "$OURS_PORT" --bind 127.0.0.1 --save "" >"$tmp/cinnabar.log" 2>&1 &
  OURS_PID=$!
  await_ping "$REDIS_PORT"
  await_ping "$OURS_PORT"
}

full_gc() { # settle: a full GC, 2 s for the JVM's periodic native-heap trim, then until RSS stops moving
  jcmd "$OURS_PID" GC.run >/dev/null
  sleep 2
  local prev=0 cur
  for _ in $(seq 1 30); do
    cur=$(rss_kb "$OURS_PID")
    [ "$cur" = "$prev" ] && break
    prev=$cur
    sleep 0.1
  done
}

mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }

echo "memory-vs-redis: datasets '$DATASETS', scale 1/$SCALE, $(nproc) cores, $(date -u +%F)," \
  "CINNABAR_JAVA_OPTS='${CINNABAR_JAVA_OPTS:-<launcher default>}'"
printf '| data set | keys | redis RSS MiB | cinnabar RSS MiB | RSS ratio | redis used_memory MiB | cinnabar used_memory MiB | empty RSS redis/cinnabar MiB |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for ds in $DATASETS; do
  case "$ds" in
    strings) count=$((1000000 / SCALE)) ;;
    hashes|zsets) count=$((100000 / SCALE)) ;;
    *) echo "unknown data set $ds" >&2; exit 2 ;;
  esac
  gen "$ds" "$count" >"$tmp/$ds.resp"
  start
  full_gc
  empty_redis=$(rss_kb "$REDIS_PID")
  empty_ours=$(rss_kb "$OURS_PID")
  redis-cli -p "$REDIS_PORT" --pipe <"$tmp/$ds.resp" >/dev/null
  redis-cli -p "$OURS_PORT" --pipe <"$tmp/$ds.resp" >/dev/null
  for port in "$REDIS_PORT" "$OURS_PORT"; do
    n=$(redis-cli -p "$port" dbsize)
    [ "$n" = "$count" ] || { echo "port $port holds $n keys, expected $count" >&2; exit 1; }
  done
  full_gc
  r_rss=$(rss_kb "$REDIS_PID")
  o_rss=$(rss_kb "$OURS_PID")
  r_used=$(used_memory "$REDIS_PORT")
  o_used=$(used_memory "$OURS_PORT")
  printf '| %s | %d | %s | %s | %s | %s | %s | %s / %s |\n' "$ds" "$count" "$(mb "$r_rss")" "$(mb "$o_rss")" \
    "$(ratio "$o_rss" "$r_rss")" "$(mb $((r_used / 1024)))" "$(mb $((o_used / 1024)))" \
    "$(mb "$empty_redis")" "$(mb "$empty_ours")"
  stop
  rm -f "$tmp/$ds.resp"
done
