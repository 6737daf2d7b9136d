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
    # Tried again when the mirror drops a connection (the packages are large).
    for try in 1 2 3; do
      if apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; then break; fi
      [ "$try" = 3 ] && { echo "[test] could not install ${need[*]} from Debian; run 'apt-get install -y ${need[*]}' and try again." >&2; exit 1; }
      echo "[test] apt-get failed (try $try); trying again" >&2; sleep $((try * 15))
    done
  elif [[ " ${need[*]} " == *" chromium "* ]]; then
    echo "[test] The browser tests need Chromium: run 'sudo apt-get install -y chromium fonts-noto-cjk' (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium binary." >&2
    exit 1
  else
    echo "[test] note: no Traditional Chinese font found; install fonts-noto-cjk for correct zh-Hant labels in screenshots." >&2
  fi
fi

# The scaled mode's tests use the real PostgreSQL 15 and Redis 7 every machine runs.
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "[test] PostgreSQL is not running on 127.0.0.1:5432: start it with 'pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start' (trust auth, database 'test')." >&2
  exit 1
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "[test] Redis is not running on 127.0.0.1:6379: start it with 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no'." >&2
  exit 1
fi

echo "[test] typecheck"
npx tsc --noEmit -p tsconfig.json

echo "[test] import rules (dependency-cruiser, .dependency-cruiser.cjs)"
npx depcruise --config .dependency-cruiser.cjs server src

mkdir -p test-results
rm -f test-results/vitest-scaled.json
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
# The scaled mode (issue 18): the server, sync, class and API files again, each test server a
# process of the scaled mode (documents in PostgreSQL, rooms on the Redis bus). The
# multi-process tests (test/unit/scale-out.test.ts) already ran above.
if [ $# -eq 0 ]; then
  echo "[test] the server files again in the scaled mode (PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379)"
  ATRIUM_TEST_MODE=scaled npx vitest run --project unit --project security --reporter=default --reporter=json --outputFile.json=test-results/vitest-scaled.json \
    test/unit/server.test.ts test/unit/sync.test.ts test/unit/class-sessions.test.ts test/unit/studio-server.test.ts \
    test/unit/accounts-api.test.ts test/unit/open-formats.test.ts test/unit/api-docs.test.ts test/unit/catalogue-import.test.ts test/unit/explore.test.ts test/unit/short-links.test.ts test/unit/visit-stats.test.ts test/unit/folders.test.ts test/unit/teacher-survey.test.ts test/unit/class-groups.test.ts \
    test/security/writes-abuse.test.ts test/security/access-recheck.test.ts test/security/sync-abuse.test.ts \
    test/security/accounts-abuse.test.ts test/security/http-abuse.test.ts
  scaled=$?
  [ $status -eq 0 ] && status=$scaled
fi
set -e
node -e '
  const fs = require("fs");
  const runs = ["./test-results/vitest.json", "./test-results/vitest-scaled.json"].filter((f) => fs.existsSync(f)).map((f) => require(f));
  const sum = (k) => runs.reduce((a, r) => a + r[k], 0);
  const failedFiles = runs.reduce((a, r) => a + r.testResults.filter((f) => f.status === "failed").length, 0);
  // Name what failed last, where a log cut to its tail still shows it.
  // With the start of why (the full report is further up, and in test-results/*.json).
  const why = (a) => String((a.failureMessages ?? [])[0] ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n").filter((l) => l.trim() && !/^\s+at /.test(l)).slice(0, 6).join("\n    ").slice(0, 700);
  for (const r of runs) for (const f of r.testResults) for (const a of f.assertionResults ?? []) if (a.status === "failed") console.log(`FAILED ${require("path").relative(process.cwd(), f.name)} > ${a.fullName}\n    ${why(a)}`);
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (sum("numPendingTests") ? `, ${sum("numPendingTests")} skipped` : "") + (failedFiles ? ` (failures in ${failedFiles} test file(s))` : "") + (runs.length > 1 ? ` (embedded ${runs[0].numPassedTests} + scaled ${runs[1].numPassedTests} passed)` : ""));
' || true
exit $status
