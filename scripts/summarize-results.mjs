// Sums the JSON reports of every runner into the one plain line CI reads: `N passed, N failed, N skipped`.
// A broken runner can't look green: a missing report (it crashed), errors outside any test (a test file that
// did not load), or a non-zero exit code (`NAME.exit`, written by scripts/test-all.sh) with no failed test in
// its report each count as one failure.
/* oxlint-disable no-console -- this script's output is its console */
import { readFileSync, existsSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const [dir, checksPassed = '0', checksFailed = '0'] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let skipped = 0;

/** The counts of one runner's report, or null when it wrote none. */
function countsOf(name) {
  const file = `${dir}/${name}.json`;
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if (name === 'e2e') {
    const s = r.stats;
    const errors = (r.errors ?? []).map((e) => `e2e: error outside any test: ${firstLine(e.message ?? e)}`);
    return { passed: s.expected, failed: s.unexpected + s.flaky + errors.length, skipped: s.skipped, notes: [...errors, ...failedE2e(r.suites ?? [])] };
  }
  // A file that failed outside its tests (it didn't load, or a beforeAll threw and its tests show as skipped)
  // has no failed test of its own, but it failed: count it once.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  const notes = r.testResults.flatMap((f) => {
    const failedTests = f.assertionResults.filter((a) => a.status === 'failed');
    if (!failedTests.length) return f.status === 'failed' ? [failure(name, f.name, '(the file itself)', f.message)] : [];
    return failedTests.map((a) => failure(name, f.name, a.fullName ?? a.title, (a.failureMessages ?? [])[0]));
  });
  return { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles, skipped: r.numPendingTests + r.numTodoTests, notes };
}

/** One line per failure, printed just above the totals: CI may keep only the end of the output. */
function failure(runner, file, title, message) {
  const where = String(file).replace(`${process.cwd()}/`, '');
  return `${runner}: FAILED ${where} › ${title}: ${firstLine(message).slice(0, 300)}`;
}

/** The first non-empty line of a runner's message, without its terminal colours. */
function firstLine(message) {
  const lines = stripVTControlCharacters(String(message ?? '')).split('\n');
  return (lines.find((line) => line.trim()) ?? '').trim();
}

/** The failed tests of a Playwright JSON report (its suites nest; a spec is failed when a result of it is). */
function failedE2e(suites) {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? [])
      .filter((spec) => !spec.ok)
      .map((spec) => {
        const result = spec.tests?.flatMap((t) => t.results ?? []).find((x) => x.status !== 'passed' && x.status !== 'skipped');
        return failure('e2e', spec.file ?? suite.file, spec.title, result?.error?.message);
      }),
    ...failedE2e(suite.suites ?? []),
  ]);
}

for (const name of ['unit', 'integration', 'e2e']) {
  const counts = countsOf(name);
  if (!counts) {
    console.log(`${name}: no report (the runner crashed): counted as 1 failure`);
    failed += 1;
    continue;
  }
  for (const note of counts.notes) console.log(note);
  const exitFile = `${dir}/${name}.exit`;
  const exit = existsSync(exitFile) ? Number(readFileSync(exitFile, 'utf8').trim()) : 0;
  if (exit !== 0 && counts.failed === 0) {
    console.log(`${name}: exited ${exit} with no failed test in its report: counted as 1 failure`);
    counts.failed = 1;
  }
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}
console.log(`checks: ${checksPassed} passed, ${checksFailed} failed (typecheck, lint, format)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
