#!/usr/bin/env bash
# Remote-write ingest side by side: Prometheus 2.42 (its own remote-write receiver, storing every
# sample in its TSDB), VictoriaMetrics when the Debian package is installed, and a Sentinel with
# default settings (DuckDB history on, demo off). Each server is started fresh for every round and
# every request size, gets the same RemoteWriteLoadGenerator load (4 connections, 20,000 series,
# SECONDS after a 3 s warm-up), and is stopped before the next one starts, so they never share the
# cores with each other. The order of the servers alternates from round to round. For Sentinel it
# also counts the points its history holds after a clean stop against the points it accepted.
# Prints one line per run, then per size the ranges and the ratio of Sentinel to each peer.
#
# Usage: bench/side-by-side.sh [rounds=3] [seconds=12] [sizes="2000x5 500x1"]
# Needs the jars: mvn -B -DskipTests -pl sentinel-app,sentinel-bench -am package
# SERVERS="prometheus sentinel" picks the servers. SENTINEL_ENV="SENTINEL_TELEMETRY_STORE=none" runs Sentinel with other settings (say so in the
# results: the table's Sentinel column is meant to be the defaults).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rounds=${1:-3}
seconds=${2:-12}
sizes=${3:-"2000x5 500x1"}
key=snt_side_by_side_admin_key_0123456789abcdef
port=18471
. "$root/scripts/java-env.sh"
sentinel_find_java
bash "$root/scripts/prometheus.sh" >/dev/null
bench_jar="$root/sentinel-bench/target/benchmarks.jar"
app_jar="$root/sentinel-app/target/sentinel.jar"
for jar in "$bench_jar" "$app_jar"; do
  [ -f "$jar" ] || { echo "missing $jar: mvn -B -DskipTests -pl sentinel-app,sentinel-bench -am package" >&2; exit 1; }
done
servers="prometheus sentinel"
command -v victoria-metrics >/dev/null 2>&1 && servers="prometheus victoria-metrics sentinel"
servers=${SERVERS:-$servers}
results=$(mktemp)
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

wait_for() { # url
  for _ in $(seq 1 240); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.25; done
  echo "no answer from $1" >&2; return 1
}

metric() { # the value of an unlabelled meter of Sentinel's
  curl -fsS -H "Authorization: Bearer $key" "127.0.0.1:$port/metrics" |
    awk -v n="$1" '$1 == n {printf "%.0f", $2}'
}

start() { # server data-dir; sets pid and the write URL
  local dir=$2
  case $1 in
    prometheus)
      printf 'global: {scrape_interval: 15s}\n' >"$dir/prometheus.yml"
      prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
        --web.listen-address=127.0.0.1:$port --web.enable-remote-write-receiver >"$dir/log" 2>&1 &
      pid=$!; wait_for "http://127.0.0.1:$port/-/ready" ;;
    victoria-metrics)
      # The generator's samples start two days back: keep a year.
      victoria-metrics -storageDataPath="$dir/data" -httpListenAddr=127.0.0.1:$port \
        -retentionPeriod=1y >"$dir/log" 2>&1 &
      pid=$!; wait_for "http://127.0.0.1:$port/health" ;;
    sentinel)
      # -u: Sentinel refuses SENTINEL_* variables that name no configuration key.
      env -u SENTINEL_ENV SENTINEL_ADMIN_KEY=$key ${SENTINEL_ENV:-} "$JAVA_HOME/bin/java" \
        --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -jar "$app_jar" \
        run --port $port --data-dir "$dir/data" >"$dir/log" 2>&1 &
      pid=$!; wait_for "http://127.0.0.1:$port/health" ;;
  esac
}

stop() {
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

one() { # round server size
  local server=$2 series=${3%x*} samples=${3#*x} dir="$work/$2-$1-$3" out rate refused extra=""
  mkdir -p "$dir"
  start "$server" "$dir"
  out=$(SENTINEL_KEY=$key "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$bench_jar" \
    dev.sentinel.bench.load.RemoteWriteLoadGenerator "http://127.0.0.1:$port/api/v1/write" \
    "$seconds" 4 "$series" "$samples" 20000 2>/dev/null | grep '^remote write')
  rate=$(sed -E 's/^remote write: ([0-9,]+) samples.*/\1/; s/,//g' <<<"$out")
  refused=$(sed -E 's/.*503s ([0-9]+), failures ([0-9]+).*/\1 \2/' <<<"$out")
  if [ "$server" = sentinel ]; then
    local accepted dropped stored
    sleep 1
    accepted=$(metric sentinel_ingest_points_total)
    dropped=$(metric sentinel_telemetry_dropped_points_total)
    stop # a clean stop writes what the history writer still holds
    stored=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$bench_jar" \
      dev.sentinel.bench.load.HistoryRowCount "$dir/data" 2>/dev/null)
    extra="accepted=$accepted stored=$stored dropped=$dropped"
    [ "$accepted" = "$stored" ] || extra="$extra LOST=$((accepted - stored))"
  else
    stop
  fi
  echo "$3 $server $rate $refused $extra" >>"$results"
  printf '%-7s round %d  %-17s %12s samples/s  503s %s failures %s  %s\n' \
    "$3" "$1" "$server" "$rate" ${refused} "$extra"
  rm -rf "$dir"
}

echo "side by side: $rounds rounds x ($sizes), $seconds s each after a 3 s warm-up; servers: $servers"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  order=$servers
  ((round % 2 == 0)) && order=$(tr ' ' '\n' <<<"$servers" | tac | tr '\n' ' ')
  for size in $sizes; do
    for server in $order; do one "$round" "$server" "$size"; done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "summary (accepted samples/s, min-max over $rounds rounds; ratio = Sentinel / peer, worst-best of same-round pairs)"
for size in $sizes; do
  for server in $servers; do
    awk -v s="$size" -v n="$server" '$1 == s && $2 == n {r = $3; if (min == "" || r < min) min = r; if (r > max) max = r; t += $4}
      END {printf "  %-7s %-17s %10.2f-%.2f M/s  503s %d\n", s, n, min / 1e6, max / 1e6, t}' "$results"
  done
  for peer in $servers; do
    [ "$peer" = sentinel ] && continue
    awk -v s="$size" -v p="$peer" '$1 == s && $2 == p {peer[++np] = $3} $1 == s && $2 == "sentinel" {own[++no] = $3}
      END {for (i = 1; i <= np && i <= no; i++) {q = own[i] / peer[i]; if (min == "" || q < min) min = q; if (q > max) max = q}
           printf "  %-7s sentinel / %-17s %.2f-%.2fx\n", s, p, min, max}' "$results"
  done
done
grep -q LOST "$results" && { echo "history LOST accepted points in some runs (see above)"; exit 1; }
echo "history: every accepted point was stored in every Sentinel run"
