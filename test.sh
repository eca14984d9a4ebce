#!/usr/bin/env bash
# Runs Sentinel's whole test suite: unit tests (*Test) and integration tests (*IT) that start
# real Sentinel processes, against the bundled PostgreSQL and the machine's own server, a real
# ClickHouse, a real Kafka broker and a real Prometheus (installed when missing).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$root/scripts/java-env.sh"
. "$root/scripts/services.sh"
sentinel_find_java
cd "$root"
echo "test.sh: JAVA_HOME=$JAVA_HOME ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
sentinel_start_postgres
sentinel_start_test_services
mvn -B verify "$@"
# The whole suite (no arguments) also checks what users install: the linux-x86_64 distribution
# and the container image, made from the jar the build above produced.
if [ "$#" -eq 0 ]; then
  scripts/test-release.sh
  missing=""
  for tool in podman buildah mmdebstrap runc; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
  if [ -n "$missing" ]; then
    echo "test.sh: installing$missing (Debian's packages) for the image test"
    $( [ "$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q podman buildah mmdebstrap runc >/dev/null
  fi
  scripts/test-image.sh
fi
