#!/usr/bin/env bash
# Debian's chromium for the console's browser test (test/integration/console.test.ts drives it with
# playwright-core; no browser is ever downloaded by npm). Idempotent: skipped when /usr/bin/chromium is there.
set -euo pipefail
. "$(dirname "$0")/env.sh"
if [ ! -x /usr/bin/chromium ]; then
  say "apt-get install chromium (the console's browser test)"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
