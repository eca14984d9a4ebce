#!/usr/bin/env bash
# Installs Prometheus 2.42, Alertmanager 0.25 and node exporter 1.5 (Debian's packages) when they
# are missing, for PrometheusRemoteWriteIT, ObservabilityStackIT and SentinelRulesTest (promtool),
# and for trying them by hand. Idempotent; starts nothing (the tests start their own processes on
# loopback with temporary configurations). Usable as a script or sourced.
set -euo pipefail

sentinel_missing=()
command -v prometheus >/dev/null 2>&1 || sentinel_missing+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 || sentinel_missing+=(prometheus-alertmanager)
command -v prometheus-node-exporter >/dev/null 2>&1 || sentinel_missing+=(prometheus-node-exporter)
if ((${#sentinel_missing[@]} > 0)); then
  echo "prometheus: installing Debian's ${sentinel_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${sentinel_missing[@]}" >/dev/null
fi
echo "prometheus: $(prometheus --version 2>&1 | head -1)"
echo "alertmanager: $(prometheus-alertmanager --version 2>&1 | head -1)"
echo "node exporter: $(prometheus-node-exporter --version 2>&1 | head -1)"
unset sentinel_missing
