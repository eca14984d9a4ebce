# Sourced by test.sh: makes sure the services the integration tests use are up, and tells the
# tests where they are. Only loopback addresses; nothing is downloaded at test time.

sentinel_start_postgres() {
  # The machine's own PostgreSQL (the second state-store target of the lifecycle tests).
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      echo "services: starting the local PostgreSQL"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
    fi
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export SENTINEL_TEST_POSTGRES_URL="${SENTINEL_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
    echo "services: machine PostgreSQL at $SENTINEL_TEST_POSTGRES_URL"
  else
    echo "services: no PostgreSQL on 127.0.0.1:5432; state-store tests run on the bundled one only" >&2
  fi
}

sentinel_start_test_services() {
  # ClickHouse for the telemetry-store contract; Kafka for the consumer-group tests; Prometheus for
  # the remote-write test. The tests
  # skip themselves without these services, so the suite refuses to run without them rather than
  # pass with parts unexercised.
  local here
  here=$(dirname "${BASH_SOURCE[0]}")
  . "$here/clickhouse.sh"
  if [ -z "${SENTINEL_TEST_CLICKHOUSE_URL:-}" ]; then
    echo "services: ClickHouse is required by the tests and could not be started" >&2
    return 1
  fi
  . "$here/kafka.sh"
  if [ -z "${SENTINEL_TEST_KAFKA_BOOTSTRAP:-}" ] || [ -z "${SENTINEL_TEST_KAFKA_CLASSPATH_FILE:-}" ]; then
    echo "services: Kafka is required by the tests and could not be started" >&2
    return 1
  fi
  bash "$here/prometheus.sh" || {
    echo "services: Prometheus is required by the tests and could not be installed" >&2
    return 1
  }
  . "$here/console-browser.sh"
  if [ -z "${SENTINEL_TEST_PLAYWRIGHT_DIR:-}" ]; then
    echo "services: Chromium (apt-get install chromium) and playwright-core (npm) are required by the console test and could not be installed" >&2
    return 1
  fi
}
