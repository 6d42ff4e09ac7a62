# Sourced by test.sh: find the Chromium the browser tests drive (Debian's package, installed first
# when it is missing and this shell may install packages) and export its path as
# WARMONITOR_CHROMIUM. Playwright never downloads a browser here. Without Chromium the browser
# tests skip, saying why (CI sets WARMONITOR_REQUIRE_BROWSER=1, which makes them fail instead).
_browser_find() { command -v chromium || command -v chromium-browser || true; }
_browser_setup() {
  local found
  found=$(_browser_find)
  if [ -z "$found" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test-browser: installing Debian's chromium package" >&2
    (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
      || echo "test-browser: could not install chromium" >&2
    found=$(_browser_find)
  fi
  if [ -z "$found" ]; then
    echo "test-browser: no Chromium here; the browser tests will skip" >&2
    return 0
  fi
  export WARMONITOR_CHROMIUM="$found"
  echo "test-browser: $("$found" --version 2>/dev/null | head -n 1) at $found" >&2
}
_browser_setup
