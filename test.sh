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
