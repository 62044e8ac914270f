#!/usr/bin/env bash
# Server CPU time (user + system, from /proc/<pid>/stat) spent on a fixed redis-benchmark run: a
# measure of a change that the machine's load moves far less than requests per second. Each server
# gets the same warm-up, then the rounds alternate between them.
# Usage: benchmarks/cpu-per-request.sh JAR_A JAR_B|redis [rounds] [redis-benchmark args...]
#   e.g. benchmarks/cpu-per-request.sh /tmp/before.jar server/target/cinnabar-server.jar 4 -t get -P 1
#   B may be "redis" for a real redis-server. Always -n 300000 -c 50 -r 100000.
set -euo pipefail
A=$1
B=$2
ROUNDS=${3:-4}
shift 3 || shift $#
ARGS=("$@")
start() { # jar-or-redis port
  if [ "$1" = redis ]; then
    redis-server --port "$2" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --logfile "" >/dev/null &
  else
    java -XX:+UseParallelGC -Xss512k -jar "$1" --port "$2" --bind 127.0.0.1 --save "" >/dev/null 2>&1 &
  fi
  echo $!
}
PA=$(start "$A" 7711)
PB=$(start "$B" 7712)
trap 'kill $PA $PB 2>/dev/null || true' EXIT
for port in 7711 7712; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-benchmark -p "$port" -q -n 300000 -c 50 -r 100000 -t set,get -P 16 >/dev/null
  redis-benchmark -p "$port" -q -n 300000 -c 50 -r 100000 -t set,get >/dev/null
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "server CPU ms per run of redis-benchmark -n 300000 -c 50 -r 100000 ${ARGS[*]}, $(date +%F), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for s in "A 7711 $PA" "B 7712 $PB"; do
    set -- $s
    t0=$(ticks "$3")
    rps=$(redis-benchmark -p "$2" -n 300000 -c 50 -r 100000 "${ARGS[@]}" -q --csv | tail -n +2 | tr -d '"' \
      | awk -F, '{printf "%s %.0f rps  ", $1, $2}')
    t1=$(ticks "$3")
    echo "round $r $1 cpu_ms=$(( (t1 - t0) * 1000 / $(getconf CLK_TCK) ))  $rps"
  done
done
