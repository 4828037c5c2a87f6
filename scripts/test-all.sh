#!/usr/bin/env bash
# The whole suite (README: `npm test`). Real parts throughout:
#   unit tests        vitest
#   integration tests vitest, inside the lab's workstation network namespace, with a private D-Bus
#                     session and an unlocked gnome-keyring (the real OS keychain)
#   end-to-end tests  Playwright + Debian Chromium against the loopback web host, same namespace + keyring
# plus typecheck, lint and format (prettier --check), each counted as one test. Ends with one plain line: `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS/screenshots"
# Every temporary folder the tests, the keyrings and Chromium make goes under one folder of this run's, removed
# when the run ends: a run used to leave about a thousand behind in /tmp. 755, like /tmp, so that the test
# PostgreSQL server, which runs as its own user, can still reach its cluster folder below it.
SUITE_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pws-suite.XXXXXX")
chmod 755 "$SUITE_TMP"
export TMPDIR=$SUITE_TMP
lab_ours=0
cleanup() {
  if [ $lab_ours = 1 ]; then bash tests/lab/lab.sh down >/dev/null 2>&1; fi
  rm -rf "$SUITE_TMP"
}
trap cleanup EXIT
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
LAB_ARGS=(up 10 --non-mbl 10 --ipv6-only 9 --key-only 8)

checks_passed=0
checks_failed=0
check() { # check NAME CMD...: a whole-tree check counted as one test
  local name=$1; shift
  echo "── $name"
  if "$@"; then checks_passed=$((checks_passed + 1)); else checks_failed=$((checks_failed + 1)); echo "FAILED: $name"; fi
}

echo "── build"
node scripts/build.mjs all || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
check typecheck npm run -s typecheck
check lint npm run -s lint
check format npx prettier --check --log-level warn .

echo "── unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$RESULTS/unit.json"
echo $? >"$RESULTS/unit.exit"

# The lab needs root and network namespaces. Without them the lab-dependent tests fail with one line saying why
# (tests/lab/lab.ts), never pass or skip.
lab_up=0
if [ "$(id -u)" = 0 ] && ip netns list >/dev/null 2>&1; then
  # Tear down only a lab this run made: a developer's lab that was already up stays up.
  lab_dir=.lab; [ "${PWS_LAB_PREFIX:-pws}" = pws ] || lab_dir=.lab-$PWS_LAB_PREFIX
  if [ ! -f "$lab_dir/state.json" ]; then lab_ours=1; fi
  echo "── lab: ${LAB_ARGS[*]}"
  if bash tests/lab/lab.sh "${LAB_ARGS[@]}"; then lab_up=1; else echo "the device lab did not come up: lab tests will fail"; fi
else
  echo "not root or no network namespaces: the device lab can't run here, so lab tests will fail"
fi

in_lab() { if [ $lab_up = 1 ]; then ip netns exec "${PWS_LAB_PREFIX:-pws}-ws" "$@"; else "$@"; fi; }
keyring_session() { # runs "$@" inside a private D-Bus session with an unlocked, throwaway gnome-keyring
  XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
}

echo "── integration tests"
in_lab env PWS_IN_SUITE=1 bash -c "$(declare -f keyring_session); keyring_session npx vitest run --project integration --reporter=default --reporter=json --outputFile.json='$RESULTS/integration.json'"
echo $? >"$RESULTS/integration.exit"

echo "── end-to-end tests (Chromium)"
in_lab bash -c "$(declare -f keyring_session); keyring_session npx playwright test -c tests/e2e/playwright.config.ts"
echo $? >"$RESULTS/e2e.exit"

node scripts/summarize-results.mjs "$RESULTS" "$checks_passed" "$checks_failed"
