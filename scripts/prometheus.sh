#!/usr/bin/env bash
# Installs Prometheus (Debian's package, 2.42) when it is missing, for PrometheusRemoteWriteIT and
# for trying remote write by hand. Idempotent; starts nothing (the test starts its own Prometheus
# on loopback with a temporary configuration). Usable as a script or sourced.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1; then
  echo "prometheus: $(prometheus --version 2>&1 | head -1)"
else
  echo "prometheus: installing Debian's package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus >/dev/null
  echo "prometheus: $(prometheus --version 2>&1 | head -1)"
fi
