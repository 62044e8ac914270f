# Shared by the benchmark scripts that start servers themselves. Source it from the repository root:
#   cd "$(dirname "$0")/.." && . benchmarks/lib.sh
# It creates $tmp (removed on exit) and the PIDS array: every process started goes into PIDS and is
# killed by PID on exit, whatever stops the script.

need_redis() { # extra Debian packages to name in the hint
  command -v redis-server >/dev/null || { echo "redis-server not installed (apt-get install redis-server redis-tools $*)"; exit 2; }
}
need_jar() { [ -f server/target/cinnabar-server.jar ] || mvn -q -B package -DskipTests -pl server -am; }

tmp=$(mktemp -d)
PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=(); }
cleanup() { stop_all; rm -rf "$tmp"; }
trap cleanup EXIT

# refuses a port that already answers: never write into someone else's server
free_port() { ! redis-cli -p "$1" ping >/dev/null 2>&1 || { echo "port $1 is already taken by another server: set BASE_PORT to a free range" >&2; exit 1; }; }

await_up() { # port pid what log [tries of 0.1 s] -> returns once the server answers PONG
  for _ in $(seq 1 "${5:-300}"); do
    kill -0 "$2" 2>/dev/null || { echo "$3 on $1 exited: see $4" >&2; cat "$4" >&2; exit 1; }
    redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return
    sleep 0.1
  done
  echo "$3 on $1 did not start" >&2; exit 1
}

info_field() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v f="$3" '$1==f {print $2}'; }
