#!/usr/bin/env bash
# Issue 7's failover timings, Cinnabar and real Redis 7.0 in one run, printed as tables.
#   Runs FailoverTimingIT (it-tests) with -Dfailover.timings=true: for each fault (kill -9 of the
#   master; DEBUG SLEEP 30 on it) and each round, a fresh all-Cinnabar and a fresh all-Redis fleet
#   (master + 2 replicas + 3 sentinels on 127.0.0.2-7, quorum 2, down-after 3000 ms, failover-timeout
#   10000 ms, the kinds alternating) with a JedisSentinelPool writer; prints the ms from the fault to
#   the first +odown, the first +switch-master and the first write acknowledged by the new master,
#   every round and the medians, then each round's event timeline.
# Usage: benchmarks/failover-timings.sh [rounds (default 3)] [extra maven arguments, e.g. -o;
#   -Dfailover.timings.steady=30 injects the fault after 30 s of writes instead of at once]
# Needs redis-server and redis-sentinel 7.0 on PATH (apt-get install redis-server redis-sentinel).
# Takes about 2 minutes a round (both faults, both fleets) on 2 cores. Builds with `mvn verify` (never install).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server)"; exit 2; }
command -v redis-sentinel >/dev/null || { echo "redis-sentinel not installed (apt-get install redis-sentinel)"; exit 2; }
out=it-tests/target/failover-timings.txt
log=$(mktemp)
rm -f "$out"
start_load=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
mvn -B "$@" verify -pl it-tests -am -Dit.test=FailoverTimingIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailover.timings=true -Dfailover.timings.rounds="$rounds" >"$log" 2>&1 || status=$?
[ -f "$out" ] || { echo "no results: see $log" >&2; exit 1; }
echo "failover timings, down-after 3000 ms, $rounds rounds, $(nproc) cores, $(date -u +%F)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)   ($start_load at the start)"
cat "$out"
if [ "$status" -ne 0 ]; then
  echo
  echo "maven exited with $status: see $log"
  exit "$status"
fi
rm -f "$log"
