# Sourced by scripts/services.sh: the console's browser test needs Chromium (Debian's package) and
# playwright-core (npm, no browser download). Installed once, then reused; exports
# SENTINEL_TEST_PLAYWRIGHT_DIR (the node_modules folder's parent) for ConsoleBrowserIT.

playwright_core_version=1.65.1
# Not SENTINEL_* names: sentinel refuses unknown SENTINEL_* variables as configuration keys.
playwright_cache="${PLAYWRIGHT_CACHE_DIR:-$HOME/.cache/sentinel-playwright}"

if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Chromium for the console test"
  (apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; }) || true
fi
if [ ! -f "$playwright_cache/node_modules/playwright-core/package.json" ] \
   || ! grep -q "\"version\": \"$playwright_core_version\"" "$playwright_cache/node_modules/playwright-core/package.json"; then
  echo "services: installing playwright-core@$playwright_core_version into $playwright_cache"
  mkdir -p "$playwright_cache"
  (cd "$playwright_cache" && npm install --no-audit --no-fund --silent "playwright-core@$playwright_core_version" >/dev/null 2>&1) || true
fi
if [ -x /usr/bin/chromium ] && [ -f "$playwright_cache/node_modules/playwright-core/package.json" ] \
   && command -v node >/dev/null 2>&1; then
  export SENTINEL_TEST_PLAYWRIGHT_DIR="$playwright_cache"
  echo "services: Chromium and playwright-core at $SENTINEL_TEST_PLAYWRIGHT_DIR"
else
  unset SENTINEL_TEST_PLAYWRIGHT_DIR
fi
