#!/usr/bin/env bash
# Issue 11's lost-writes harness, Cinnabar and real Redis 7.0 in one run, printed as a table.
#   Runs LostWritesIT (it-tests) with -Dlostwrites.baselines=true: every fault (SENTINEL FAILOVER,
#   DEBUG SLEEP 8, SIGSTOP/SIGCONT with a RESP and a Jedis writer, kill -9 + restart, partition of
#   the master) against an all-Cinnabar and an all-Redis fleet (master + 2 replicas + 3 sentinels on
#   127.0.0.2-7, down-after 3000 ms), then prints acknowledged, lost, the longest stretch without an
#   acknowledged write, and Cinnabar's stretch over Redis's for the same fault.
# Usage: benchmarks/lost-writes.sh [extra maven arguments, e.g. -o]
# Needs redis-server and redis-sentinel 7.0 on PATH (apt-get install redis-server redis-sentinel).
# Takes about 15 minutes on 2 cores. Builds with `mvn verify` (never install).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server)"; exit 2; }
command -v redis-sentinel >/dev/null || { echo "redis-sentinel not installed (apt-get install redis-sentinel)"; exit 2; }
out=it-tests/target/lost-writes.txt
log=$(mktemp)
rm -f "$out"
status=0
# the it-tests start server/target/cinnabar-server.jar, which -pl it-tests -am does not build
mvn -q -B "$@" package -DskipTests -pl server -am >"$log" 2>&1 || { echo "build failed: see $log" >&2; exit 1; }
mvn -B "$@" verify -pl it-tests -am -Dit.test=LostWritesIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dlostwrites.baselines=true >>"$log" 2>&1 || status=$?
[ -f "$out" ] || { echo "no results: see $log" >&2; exit 1; }
echo "lost writes, down-after 3000 ms, $(nproc) cores, $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| fleet | scenario | acknowledged | lost | longest stretch without an ack, ms | full resyncs |"
echo "| --- | --- | --- | --- | --- | --- |"
# lines: "<KIND> <scenario>: acknowledged N, lost N, longest stretch without an acknowledged write N ms, ..., full resyncs N"
sed -E 's/^([A-Z_]+) ([^:]+): acknowledged ([0-9]+), lost ([0-9]+), longest stretch without an acknowledged write ([0-9]+) ms.*full resyncs (-?[0-9]+)$/\1|\2|\3|\4|\5|\6/' "$out" \
  | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }'
echo
echo "| scenario | Cinnabar / Redis longest stretch |"
echo "| --- | --- |"
sed -E 's/^([A-Z_]+) ([^:]+): .*longest stretch without an acknowledged write ([0-9]+) ms.*$/\1|\2|\3/' "$out" \
  | awk -F'|' '$1 == "CINNABAR" { c[$2] = $3 } $1 == "REDIS" { r[$2] = $3 }
      END { for (s in c) if (s in r) printf "| %s | %.2f |\n", s, (r[s] > 0 ? c[s] / r[s] : 0) }'
if [ "$status" -ne 0 ]; then
  echo
  echo "maven exited with $status (a Cinnabar assertion failed?): see $log"
  exit "$status"
fi
rm -f "$log"
