# Sourced (not run) by the integration-test set-up: makes sure a ClickHouse server answers on
# 127.0.0.1:8123 and exports SENTINEL_TEST_CLICKHOUSE_URL for the *IT tests of sentinel-clickhouse.
#   . scripts/clickhouse.sh            # or: . scripts/clickhouse.sh && sentinel_start_clickhouse
# A second call while the server answers does nothing but export the variable again.
# The server runs as root from Debian's package (18.16 on this machine kind) with a fresh data
# directory under /tmp, on loopback only; stop it with: kill "$(cat "$SENTINEL_TEST_CLICKHOUSE_DIR/ch.pid")"

sentinel_clickhouse_answers() {
  curl -fsS --max-time 2 http://127.0.0.1:8123/ping >/dev/null 2>&1
}

sentinel_start_clickhouse() {
  if sentinel_clickhouse_answers; then
    export SENTINEL_TEST_CLICKHOUSE_URL="http://127.0.0.1:8123"
    echo "services: ClickHouse already answers at $SENTINEL_TEST_CLICKHOUSE_URL"
    return 0
  fi
  if [ ! -x /usr/sbin/clickhouse-server ]; then
    echo "services: installing clickhouse-server and clickhouse-client (apt-get)"
    # Without /usr/sbin/policy-rc.d the package's postinst tries to start a service (and fails
    # without systemd). A temporary policy that answers 101 ("action forbidden") stops that; a
    # policy the image already has is left alone.
    local own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      own_policy=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y clickhouse-server clickhouse-client >/dev/null ||
      { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y clickhouse-server clickhouse-client >/dev/null; }
    local installed=$?
    [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
    if [ "$installed" -ne 0 ] || [ ! -x /usr/sbin/clickhouse-server ]; then
      echo "services: could not install clickhouse-server; ClickHouse tests will be skipped" >&2
      return 1
    fi
    # A postinst that did start a server (no policy-rc.d) leaves it running on the default path.
    if sentinel_clickhouse_answers; then
      export SENTINEL_TEST_CLICKHOUSE_URL="http://127.0.0.1:8123"
      echo "services: ClickHouse answers at $SENTINEL_TEST_CLICKHOUSE_URL"
      return 0
    fi
  fi
  SENTINEL_TEST_CLICKHOUSE_DIR=$(mktemp -d /tmp/sentinel-clickhouse.XXXXXX)
  export SENTINEL_TEST_CLICKHOUSE_DIR
  local d=$SENTINEL_TEST_CLICKHOUSE_DIR
  # The bare -- overrides keys of the packaged config: a fresh data directory per start, and
  # loopback only.
  /usr/sbin/clickhouse-server --config-file=/etc/clickhouse-server/config.xml --daemon \
    --pid-file="$d/ch.pid" -- \
    --path="$d/data/" --tmp_path="$d/data/tmp/" --logger.log="$d/server.log" \
    --logger.errorlog="$d/err.log" --listen_host=127.0.0.1 || {
    echo "services: clickhouse-server did not start (see $d/err.log)" >&2
    return 1
  }
  for _ in $(seq 1 100); do
    sentinel_clickhouse_answers && break
    sleep 0.1
  done
  if sentinel_clickhouse_answers; then
    export SENTINEL_TEST_CLICKHOUSE_URL="http://127.0.0.1:8123"
    echo "services: ClickHouse started at $SENTINEL_TEST_CLICKHOUSE_URL (data in $d)"
  else
    echo "services: ClickHouse did not answer /ping within 10 s (see $d/err.log)" >&2
    return 1
  fi
}

# Never fails the sourcing shell (test.sh runs with set -e): without a server the ClickHouse tests
# are skipped, and the message above says why.
sentinel_start_clickhouse || true
