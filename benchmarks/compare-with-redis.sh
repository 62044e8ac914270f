#!/usr/bin/env bash
# Side-by-side redis-benchmark of real Redis 7.0 and Cinnabar on this machine, in one run.
# Usage: benchmarks/compare-with-redis.sh [requests] [tests] [pipelines] [rounds]
#   defaults: 200000 requests, -t set,get, pipelines "1 16", 3 rounds; always -c 50 -r 100000.
#   Data-type rows: benchmarks/compare-with-redis.sh 200000 lpush,lpop,sadd,hset,zadd,lrange_100
#   Over TLS: TLS=1 benchmarks/compare-with-redis.sh ... (both servers TLS-only, client certificates
#   required, a CA and EC P-256 certificates made by openssl in a temporary directory).
# The servers are measured alternately (Redis, Cinnabar, Redis, ...) and the best round of each is
# kept, so background noise on a small machine hurts both alike. Prints, per test and pipeline
# depth, requests/s and p50/p99 latency of each server and the Cinnabar/Redis ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200000}
TESTS=${2:-set,get}
PIPELINES=${3:-"1 16"}
ROUNDS=${4:-3}
CLIENTS=${CLIENTS:-50}
REDIS_PORT=${REDIS_PORT:-7601}
OURS_PORT=${OURS_PORT:-7602}
command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server redis-tools)"; exit 2; }
[ -f server/target/cinnabar-server.jar ] || mvn -q -B package -DskipTests -pl server -am

tmp=$(mktemp -d)
listen=(--port "$REDIS_PORT")
ours_listen=(--port "$OURS_PORT")
client=()
if [ "${TLS:-0}" = 1 ]; then
  (
    cd "$tmp"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 2 \
      -subj "/CN=bench CA"
    for n in server client; do
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $n.key -out $n.csr -subj "/CN=$n"
      openssl x509 -req -in $n.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out $n.crt -days 2
    done
  ) >/dev/null 2>&1
  certs=(--tls-cert-file "$tmp/server.crt" --tls-key-file "$tmp/server.key" --tls-ca-cert-file "$tmp/ca.crt")
  listen=(--port 0 --tls-port "$REDIS_PORT" "${certs[@]}")
  ours_listen=(--port 0 --tls-port "$OURS_PORT" "${certs[@]}")
  client=(--tls --cacert "$tmp/ca.crt" --cert "$tmp/client.crt" --key "$tmp/client.key")
fi
redis-server "${listen[@]}" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --logfile "" >/dev/null &
REDIS_PID=$!
bin/cinnabar-server "${ours_listen[@]}" --bind 127.0.0.1 --save "" >/tmp/cinnabar-bench.log 2>&1 &
OURS_PID=$!
trap 'kill $REDIS_PID $OURS_PID 2>/dev/null; wait $REDIS_PID $OURS_PID 2>/dev/null || true; rm -rf "$tmp"' EXIT
for port in "$REDIS_PORT" "$OURS_PORT"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" "${client[@]}" ping >/dev/null 2>&1 && break; sleep 0.1; done
done

run() { # port pipeline -> "TEST rps p50 p99" lines
  redis-benchmark -p "$1" "${client[@]}" -n "$N" -c "$CLIENTS" -r 100000 -P "$2" -t "$TESTS" -q --csv 2>/dev/null \
    | tail -n +2 | tr -d '"' | awk -F, '{split($1, name, " "); print name[1]" "$2" "$5" "$7}'
}
best() { # files... -> per test, the round with the highest rps
  cat "$@" | sort -k1,1 -k2,2gr | awk '!seen[$1]++'
}
# warm the JIT once so the first measured round is not the cold one
redis-benchmark -p "$OURS_PORT" "${client[@]}" -n "$N" -c "$CLIENTS" -r 100000 -P 16 -t "$TESTS" -q >/dev/null 2>&1

echo "redis-benchmark${client:+ --tls} -n $N -c $CLIENTS -r 100000 -t $TESTS, best of $ROUNDS alternating rounds, $(nproc) cores, $(date -u +%F), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| test | -P | redis rps | cinnabar rps | rps ratio | redis p50/p99 ms | cinnabar p50/p99 ms | p99 ratio |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- |\n'
for P in $PIPELINES; do
  for r in $(seq 1 "$ROUNDS"); do
    run "$REDIS_PORT" "$P" > "$tmp/redis.$P.$r"
    run "$OURS_PORT" "$P" > "$tmp/ours.$P.$r"
  done
  join <(best "$tmp"/redis.$P.* | sort) <(best "$tmp"/ours.$P.* | sort) | sort \
    | awk -v p="$P" '{printf "| %s | %s | %.0f | %.0f | %.2f | %s/%s | %s/%s | %.2f |\n", $1, p, $2, $5, $5/$2, $3, $4, $6, $7, ($4 > 0 ? $7/$4 : 0)}'
done
