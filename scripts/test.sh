#!/usr/bin/env bash
# `npm test`: typecheck, then every test (unit + real-browser), then one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium; CJK fonts make zh-Hant labels render as text, not boxes.
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
need=()
[ -x "$chromium_bin" ] || need+=(chromium)
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh-tw 2>/dev/null | head -n1)" ]; then need+=(fonts-noto-cjk); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "[test] installing ${need[*]} from Debian (first run only)..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  elif [[ " ${need[*]} " == *" chromium "* ]]; then
    echo "[test] The browser tests need Chromium: run 'sudo apt-get install -y chromium fonts-noto-cjk' (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium binary." >&2
    exit 1
  else
    echo "[test] note: no Traditional Chinese font found; install fonts-noto-cjk for correct zh-Hant labels in screenshots." >&2
  fi
fi

echo "[test] typecheck"
npx tsc --noEmit -p tsconfig.json

echo "[test] import rules (dependency-cruiser, .dependency-cruiser.cjs)"
npx depcruise --config .dependency-cruiser.cjs server src

mkdir -p test-results
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
set -e
node -e '
  const r = require("./test-results/vitest.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : "") + (r.numFailedTestSuites ? ` (failures in ${r.testResults.filter((f) => f.status === "failed").length} test file(s))` : ""));
' || true
exit $status
