#!/usr/bin/env bash
# RDB persistence side by side with real Redis 7.0 on this machine, in one run:
#   1. BGSAVE time of N string keys: from BGSAVE to rdb_bgsave_in_progress:0 (file renamed);
#   2. load time of the dump.rdb at start-up (the N keys plus those the benchmark's SETs added), as each server logs it ("DB loaded from disk: X seconds");
#   3. redis-benchmark GET and SET latency (p50/p99/max) with no save running, then while BGSAVEs of
#      the N keys run back to back for the whole benchmark (a new one starts as soon as one ends).
# Usage: benchmarks/rdb-vs-redis.sh [keys] [requests]   (defaults 1000000, 300000)
# Each server runs alone (Redis first, then Cinnabar), on loopback ports BASE_PORT.. (default 27701);
# a port already answering PING stops the script rather than write into someone else's server.
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${1:-1000000}
N=${2:-300000}
. benchmarks/lib.sh
need_redis
need_jar

start() { # kind port dir -> starts a server on dir (loading its dump.rdb if any), appends its pid
  local kind=$1 port=$2 dir=$3
  free_port "$port"
  mkdir -p "$dir"
  if [ "$kind" = redis ]; then
    (cd "$dir" && exec redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
      --dir "$dir" --logfile "$dir/log") &
  else
    (cd "$dir" && exec "$OLDPWD/bin/cinnabar-server" --port "$port" --bind 127.0.0.1 --save "" \
      --dir "$dir" >"$dir/log" 2>&1) &
  fi
  PIDS+=("$!")
  await_up "$port" "$!" "$kind" "$dir/log" 1200
}
field() { info_field "$1" persistence "$2"; }
ms() { date +%s%3N; }

bgsave_ms() { # port -> ms from BGSAVE to the end of the save
  local port=$1 t0
  t0=$(ms)
  redis-cli -p "$port" bgsave >/dev/null
  for _ in $(seq 1 60000); do [ "$(field "$port" rdb_bgsave_in_progress)" = 0 ] && break; sleep 0.01; done
  [ "$(field "$port" rdb_last_bgsave_status)" = ok ] || { echo "BGSAVE failed on $port" >&2; exit 1; }
  echo $(( $(ms) - t0 ))
}

latency() { # port -> "get_p50 get_p99 get_max set_p50 set_p99 set_max" from redis-benchmark --csv
  redis-benchmark -p "$1" -n "$N" -c 50 -r "$KEYS" -t get,set --csv 2>/dev/null | tr -d '"' \
    | awk -F, '$1=="SET" {s=$5" "$7" "$8} $1=="GET" {g=$5" "$7" "$8} END {print g, s}'
}

measure() { # kind port -> "bgsave_ms load_s base(6) during(6) saves_during"
  local kind=$1 port=$2 dir="$tmp/$1"
  start "$kind" "$port" "$dir"
  awk -v n="$KEYS" 'BEGIN { for (i = 0; i < n; i++) printf "*3\r\n$3\r\nSET\r\n$%d\r\nkey:%d\r\n$10\r\nvalue%05d\r\n", length("key:" i), i, i % 100000 }' \
    | redis-cli -p "$port" --pipe >/dev/null
  [ "$(redis-cli -p "$port" dbsize)" = "$KEYS" ] || { echo "$kind holds $(redis-cli -p "$port" dbsize) keys" >&2; exit 1; }
  bgsave_ms "$port" >/dev/null   # warm-up
  local save; save=$(bgsave_ms "$port")
  redis-benchmark -p "$port" -n "$N" -c 50 -r "$KEYS" -t get,set -q >/dev/null 2>&1   # warm-up
  local base; base=$(latency "$port")
  local before; before=$(field "$port" rdb_saves)
  ( while [ ! -f "$tmp/stop" ]; do
      [ "$(field "$port" rdb_bgsave_in_progress)" = 0 ] && redis-cli -p "$port" bgsave >/dev/null
      sleep 0.05
    done ) &
  local looper=$!
  local during; during=$(latency "$port")
  touch "$tmp/stop"; wait "$looper"; rm -f "$tmp/stop"
  for _ in $(seq 1 60000); do [ "$(field "$port" rdb_bgsave_in_progress)" = 0 ] && break; sleep 0.01; done
  local saves=$(( $(field "$port" rdb_saves) - before ))
  redis-cli -p "$port" save >/dev/null
  local saved; saved=$(redis-cli -p "$port" dbsize)
  stop_all
  start "$kind" "$port" "$dir"
  [ "$(redis-cli -p "$port" dbsize)" = "$saved" ] || { echo "$kind reloaded $(redis-cli -p "$port" dbsize) of $saved keys" >&2; exit 1; }
  local load; load=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$dir/log" | tail -1 | awk '{print $5}')
  stop_all
  echo "$save $load $base $during $saves"
}

BASE_PORT=${BASE_PORT:-27701}
measure redis "$BASE_PORT" > "$tmp/redis.out"
measure cinnabar $(( BASE_PORT + 1 )) > "$tmp/cinnabar.out"
read -r rb rl rg50 rg99 rgmax rs50 rs99 rsmax rdg50 rdg99 rdgmax rds50 rds99 rdsmax rsaves < "$tmp/redis.out"
read -r cb cl cg50 cg99 cgmax cs50 cs99 csmax cdg50 cdg99 cdgmax cds50 cds99 cdsmax csaves < "$tmp/cinnabar.out"
echo "RDB persistence, $KEYS string keys, redis-benchmark -n $N -c 50 -r $KEYS -t get,set, $(nproc) cores, $(date -u +%F)"
echo "| measure | redis | cinnabar | ratio (cinnabar / redis) |"
echo "| --- | --- | --- | --- |"
awk -v a="$rb" -v b="$cb" 'BEGIN { printf "| BGSAVE, ms | %d | %d | %.2f |\n", a, b, b / a }'
awk -v a="$rl" -v b="$cl" 'BEGIN { printf "| load at start-up, s (each server'"'"'s log) | %.3f | %.3f | %.2f |\n", a, b, b / a }'
echo "| GET p50 / p99 / max ms, no save | $rg50 / $rg99 / $rgmax | $cg50 / $cg99 / $cgmax | |"
echo "| SET p50 / p99 / max ms, no save | $rs50 / $rs99 / $rsmax | $cs50 / $cs99 / $csmax | |"
echo "| GET p50 / p99 / max ms, BGSAVEs running | $rdg50 / $rdg99 / $rdgmax | $cdg50 / $cdg99 / $cdgmax | |"
echo "| SET p50 / p99 / max ms, BGSAVEs running | $rds50 / $rds99 / $rdsmax | $cds50 / $cds99 / $cdsmax | |"
echo "| BGSAVEs completed during the two runs | $rsaves | $csaves | |"
