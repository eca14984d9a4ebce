# Sourced by scripts/services.sh: the console's browser test needs Chromium (Debian's package) and
# playwright-core (npm, no browser download). Installed once, then reused; exports
# SENTINEL_TEST_PLAYWRIGHT_DIR (the node_modules folder's parent) for ConsoleBrowserIT.

SENTINEL_PLAYWRIGHT_VERSION=1.65.1
SENTINEL_PLAYWRIGHT_CACHE="${SENTINEL_PLAYWRIGHT_CACHE:-$HOME/.cache/sentinel-playwright}"

if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Chromium for the console test"
  (apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; }) || true
fi
if [ ! -f "$SENTINEL_PLAYWRIGHT_CACHE/node_modules/playwright-core/package.json" ] \
   || ! grep -q "\"version\": \"$SENTINEL_PLAYWRIGHT_VERSION\"" "$SENTINEL_PLAYWRIGHT_CACHE/node_modules/playwright-core/package.json"; then
  echo "services: installing playwright-core@$SENTINEL_PLAYWRIGHT_VERSION into $SENTINEL_PLAYWRIGHT_CACHE"
  mkdir -p "$SENTINEL_PLAYWRIGHT_CACHE"
  (cd "$SENTINEL_PLAYWRIGHT_CACHE" && npm install --no-audit --no-fund --silent "playwright-core@$SENTINEL_PLAYWRIGHT_VERSION" >/dev/null 2>&1) || true
fi
if [ -x /usr/bin/chromium ] && [ -f "$SENTINEL_PLAYWRIGHT_CACHE/node_modules/playwright-core/package.json" ] \
   && command -v node >/dev/null 2>&1; then
  export SENTINEL_TEST_PLAYWRIGHT_DIR="$SENTINEL_PLAYWRIGHT_CACHE"
  echo "services: Chromium and playwright-core at $SENTINEL_TEST_PLAYWRIGHT_DIR"
else
  unset SENTINEL_TEST_PLAYWRIGHT_DIR
fi
