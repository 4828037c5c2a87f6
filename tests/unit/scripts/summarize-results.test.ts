import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const vitestReport = (passed: number) => ({ numPassedTests: passed, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [] });
const playwrightReport = (expected: number, errors: unknown[] = []) => ({ stats: { expected, unexpected: 0, flaky: 0, skipped: 0 }, errors });

/** Writes the runners' reports (and exit codes, as scripts/test-all.sh does) and runs the summary over them. */
function summarize(reports: Record<string, unknown>, exits: Record<string, number> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pws-results-'));
  for (const [name, report] of Object.entries(reports)) writeFileSync(join(dir, `${name}.json`), JSON.stringify(report));
  for (const [name, code] of Object.entries(exits)) writeFileSync(join(dir, `${name}.exit`), `${code}\n`);
  const r = spawnSync(process.execPath, ['scripts/summarize-results.mjs', dir, '2', '0'], { encoding: 'utf8' });
  return { code: r.status, last: r.stdout.trim().split('\n').at(-1), out: r.stdout };
}

describe('the suite summary (scripts/summarize-results.mjs)', () => {
  it('sums every runner into one plain line and exits 0 when all passed', () => {
    const r = summarize({ unit: vitestReport(3), integration: vitestReport(2), e2e: playwrightReport(1) }, { unit: 0, integration: 0, e2e: 0 });
    expect(r.last).toBe('8 passed, 0 failed, 0 skipped');
    expect(r.code).toBe(0);
  });

  it('counts a Playwright run whose test files did not load (report errors, no test run) as failed', () => {
    const r = summarize({
      unit: vitestReport(3),
      integration: vitestReport(2),
      e2e: playwrightReport(0, [{ message: "Cannot find module 'axe-core/axe.min.js'" }]),
    });
    expect(r.last).toBe('7 passed, 1 failed, 0 skipped');
    expect(r.out).toContain("Cannot find module 'axe-core/axe.min.js'");
    expect(r.code).toBe(1);
  });

  it('counts a runner that exited non-zero with no failure in its report as one failure', () => {
    const r = summarize({ unit: vitestReport(3), integration: vitestReport(2), e2e: playwrightReport(1) }, { integration: 1 });
    expect(r.last).toBe('8 passed, 1 failed, 0 skipped');
    expect(r.out).toMatch(/integration: exited 1/);
    expect(r.code).toBe(1);
  });

  it('counts a missing report as one failure', () => {
    const r = summarize({ unit: vitestReport(3), e2e: playwrightReport(1) });
    expect(r.last).toBe('6 passed, 1 failed, 0 skipped');
    expect(r.code).toBe(1);
  });

  it('names each failed test and why, just above the totals, since CI may keep only the end of the output', () => {
    const unit = {
      ...vitestReport(1),
      numFailedTests: 1,
      testResults: [
        {
          name: `${process.cwd()}/tests/unit/a.test.ts`,
          status: 'failed',
          assertionResults: [
            { status: 'failed', fullName: 'lock waits', failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at a.test.ts:3'] },
          ],
        },
      ],
    };
    const failedSpec = {
      title: 'wizard writes files',
      file: 'wizard.e2e.ts',
      ok: false,
      tests: [{ results: [{ status: 'failed', error: { message: 'Timeout 5000ms exceeded.\nCall log' } }] }],
    };
    const e2e = {
      stats: { expected: 1, unexpected: 1, flaky: 0, skipped: 0 },
      errors: [],
      suites: [{ file: 'wizard.e2e.ts', specs: [], suites: [{ specs: [failedSpec] }] }],
    };
    const r = summarize({ unit, integration: vitestReport(2), e2e });
    const lines = r.out.trim().split('\n');
    expect(lines).toContain('unit: FAILED tests/unit/a.test.ts › lock waits: AssertionError: expected 1 to be 2');
    expect(lines).toContain('e2e: FAILED wizard.e2e.ts › wizard writes files: Timeout 5000ms exceeded.');
    expect(r.last).toBe('6 passed, 2 failed, 0 skipped');
  });
});
