#!/usr/bin/env bash
# The container image as an operator runs it: built by scripts/image.sh, started with podman
# (runc, host network) as its non-root user on a read-only root filesystem with nothing writable
# but its volume (not even /tmp), healthy on /health, taking points over the API, finding the
# anomaly in them over the API, and stopping cleanly on SIGTERM. Run by .ci/run after ./test.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
fail() { echo "test-image.sh: FAILED: $*" >&2; [ -n "${container:-}" ] && podman logs "$container" 2>&1 | tail -40 >&2; exit 1; }

started=$(date +%s)
scripts/image.sh
export CONTAINERS_CONF=$root/target/containers.conf
version=$(unzip -p sentinel-app/target/sentinel.jar dev/sentinel/app/version.properties | sed -n 's/^version=//p')
archive=target/release/sentinel-$version-image.tar

# What a user does: load the archive.
podman rmi -f "localhost/sentinel:$version" >/dev/null 2>&1 || true
podman load --quiet -i "$archive" >/dev/null
image=localhost/sentinel:$version
[ "$(podman image inspect --format '{{.Config.User}}' "$image")" = "10001:10001" ] || fail "the image does not run as 10001"
[[ "$(podman image inspect --format '{{json .Config.Entrypoint}}' "$image")" == *'"run"]' ]] || fail "the entrypoint is not sentinel run"

volume=$(mktemp -d)
chown 10001:10001 "$volume"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key=snt-image-test-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
container=sentinel-image-test-$$
cleanup() {
  podman rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$volume"
}
trap cleanup EXIT

boot=$(date +%s%N)
podman --runtime /usr/sbin/runc run -d --name "$container" --network host \
  --read-only --read-only-tmpfs=false -v "$volume:/var/lib/sentinel" \
  -e SENTINEL_SERVER_HOST=127.0.0.1 -e SENTINEL_SERVER_PORT="$port" -e SENTINEL_ADMIN_KEY="$key" \
  -e SENTINEL_SERVICE_HOST=10.96.0.12 -e SENTINEL_PORT=tcp://10.96.0.12:8080 \
  "$image" >/dev/null
url=http://127.0.0.1:$port
for _ in $(seq 1 180); do
  if curl -fsS "$url/health" >/dev/null 2>&1; then break; fi
  [ "$(podman inspect --format '{{.State.Running}}' "$container")" = true ] || fail "the container exited"
  sleep 0.5
done
curl -fsS "$url/health" | grep -q '"UP"' || fail "/health never answered UP"
ready_ms=$(( ($(date +%s%N) - boot) / 1000000 ))
auth=(-H "Authorization: Bearer $key")
curl -fsS "${auth[@]}" "$url/health/detailed" | grep -q "\"version\":\"$version" || fail "/health/detailed shows no version"

# 200 steady points ten seconds apart, then one far outside them.
now=$(( $(date +%s) * 1000 ))
points=$(awk -v now="$now" 'BEGIN {
  start = now - 201 * 10000; printf "["
  for (i = 0; i < 200; i++) printf "%s{\"name\":\"image_cpu\",\"labels\":{\"host\":\"h1\"},\"timestamp\":%d,\"value\":%.1f}", (i ? "," : ""), start + i * 10000, 48.5 + (i % 7) * 0.5
  printf ",{\"name\":\"image_cpu\",\"labels\":{\"host\":\"h1\"},\"timestamp\":%d,\"value\":500}]", start + 200 * 10000
}')
accepted=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -d "$points" "$url/api/v1/metrics")
[[ "$accepted" == *'"accepted":201'* ]] || fail "ingest answered $accepted"
found=""
for _ in $(seq 1 60); do
  found=$(curl -fsS "${auth[@]}" "$url/api/v1/anomalies?since=1h&series=image_cpu")
  [[ "$found" == *'"value":500.0'* ]] && break
  sleep 1
done
[[ "$found" == *'"value":500.0'* ]] || fail "no anomaly at 500 over the API: $found"

# (The logs are read into a variable: grep -q would stop podman logs early, and pipefail fail.)
logs=$(podman logs "$container" 2>&1)
grep -q "ignored SENTINEL_PORT, SENTINEL_SERVICE_HOST" <<<"$logs" \
  || fail "the Kubernetes service variables were not ignored with a warning"
stop_started=$(date +%s%N)
podman stop -t 30 "$container" >/dev/null
stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
# 143: the JVM's exit on SIGTERM after its shutdown hooks ran; 137 would be the SIGKILL after 30 s.
[ "$exit_code" = 0 ] || [ "$exit_code" = 143 ] || fail "stopped with exit code $exit_code"
logs=$(podman logs "$container" 2>&1)
if grep -E " (ERROR|WARN) " <<<"$logs" | grep -v "ConfigLoader ignored" | grep -q .; then
  grep -E " (ERROR|WARN) " <<<"$logs" >&2
  fail "warnings or errors in the container's log"
fi
[ -d "$volume/runtime/postgres" ] && [ -d "$volume/data" ] || fail "nothing written under the volume"
echo "test-image.sh: OK in $(( $(date +%s) - started )) s; /health answered $ready_ms ms after podman run;" \
  "stopped in $stop_ms ms with exit code $exit_code"
