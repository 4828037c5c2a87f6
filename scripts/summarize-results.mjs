// Sums the JSON reports of every runner into the one plain line CI reads: `N passed, N failed, N skipped`.
// A runner whose report is missing (it crashed) counts as one failure, so a broken runner can't look green.
/* oxlint-disable no-console -- this script's output is its console */
import { readFileSync, existsSync } from 'node:fs';

const [dir, checksPassed = '0', checksFailed = '0'] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let skipped = 0;

for (const name of ['unit', 'integration']) {
  const file = `${dir}/${name}.json`;
  if (!existsSync(file)) {
    console.log(`${name}: no report (the runner crashed): counted as 1 failure`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that failed outside its tests (it didn't load, or a beforeAll threw and its tests show as skipped)
  // has no failed test of its own, but it failed: count it once.
  failed += r.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed')).length;
  console.log(`${name}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
}

const e2e = `${dir}/e2e.json`;
if (existsSync(e2e)) {
  const s = JSON.parse(readFileSync(e2e, 'utf8')).stats;
  passed += s.expected;
  failed += s.unexpected + s.flaky;
  skipped += s.skipped;
  console.log(`e2e: ${s.expected} passed, ${s.unexpected + s.flaky} failed, ${s.skipped} skipped`);
} else {
  console.log('e2e: no report (the runner crashed): counted as 1 failure');
  failed += 1;
}
console.log(`checks: ${checksPassed} passed, ${checksFailed} failed (typecheck, lint)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
