#!/usr/bin/env bash
# Incident storm vs quiet run: HTTP ingest + detection throughput of a fresh `sentinel run` with
# default settings, once with quiet load and once with 1,000 of 20,000 series spiking at every
# other point (an anomaly storm), each for SECONDS after a 20 s warm-up. Prints both rates, the
# anomalies the storm caused and what the incident desk did with them.
# Usage: bench/storm.sh [seconds=30] [rounds=1]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-30}
rounds=${2:-1}
key=snt_storm_bench_admin_key_0123456789abcdef
port=18281
. "$root/scripts/java-env.sh"
sentinel_find_java

metric() { # the value of an unlabelled counter
  curl -fsS -H "Authorization: Bearer $key" "localhost:$port/metrics" \
    | awk -v n="$1" '$1 == n {printf "%.0f", $2}'
}

one() { # storm series
  local dir; dir=$(mktemp -d)
  SENTINEL_ADMIN_KEY=$key "$root/sentinel" run --port $port --data-dir "$dir" >"$dir/log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do curl -fsS localhost:$port/health >/dev/null 2>&1 && break; sleep 0.5; done
  local before; before=$(metric sentinel_detect_anomalies_total)
  SENTINEL_KEY=$key "$JAVA_HOME/bin/java" -cp "$root/sentinel-bench/target/benchmarks.jar" \
    dev.sentinel.bench.load.IngestLoadGenerator "http://127.0.0.1:$port/api/v1/metrics" \
    "$seconds" 4 5000 20000 "$1" 20
  local after; after=$(metric sentinel_detect_anomalies_total)
  echo "anomalies detected during the run: $((after - before)) (storm phase: $(( (after - before) / seconds ))/s)"
  curl -fsS -H "Authorization: Bearer $key" "localhost:$port/health/detailed" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin)["components"]["incidentDesk"]; print("incident desk:", d["status"], d["details"])'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

for round in $(seq 1 "$rounds"); do
  echo "== round $round: quiet"; one 0
  echo "== round $round: storm over 1,000 series"; one 1000
done
