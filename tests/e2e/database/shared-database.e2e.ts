import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '../support/web-host';
import { startThrowawayCluster, type ThrowawayCluster } from '../../support/postgres';
import { fullPageShot } from '../support/screenshots';

const run = promisify(execFile);
const shots = join(process.cwd(), 'test-results', 'screenshots');
let cluster: ThrowawayCluster;

test.beforeAll(async () => {
  cluster = await startThrowawayCluster();
});
test.afterAll(() => cluster?.destroy());

/** Another station's earlier local history, copied into the database with `pws db import-local`. */
async function importOtherStation(url: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pws-e2e-bench-b-'));
  const line = (i: number, result: 'passed' | 'failed') =>
    JSON.stringify({
      time: new Date(Date.UTC(2026, 2, 1, 9, i)).toISOString(),
      runId: 'run-b',
      operator: 'bea',
      door: 'cli',
      device: { name: `169.254.30.${i}`, hostname: `mbed-linux-os-3${i}`, addresses: [`169.254.30.${i}`] },
      devCert: { name: 'dev' },
      updateCert: { name: 'upd' },
      stages: [{ stage: 'connect', durationMs: 100, ok: true }],
      result,
      stage: result === 'passed' ? 'done' : 'provision',
      ...(result === 'failed' ? { error: { code: 'utility-failed', message: 'KCM_STATUS_STORAGE_ERROR' } } : {}),
      durationMs: 2400,
    });
  writeFileSync(join(dataDir, 'audit.jsonl'), `${[line(1, 'passed'), line(2, 'failed'), line(3, 'passed')].join('\n')}\n`);
  const env = { ...process.env, HOME: dataDir, PWS_DATA_DIR: dataDir, PWS_DATABASE_URL: url };
  await run(process.execPath, ['bin/pws.cjs', 'settings', 'set', 'stationName', 'bench-b'], { env });
  await run(process.execPath, ['bin/pws.cjs', 'db', 'import-local'], { env });
}

test('Settings → Shared database: test, save, migrate, name the station; History shows every station', async ({ page, host }) => {
  const url = await cluster.createDatabase('e2e');
  mkdirSync(shots, { recursive: true });
  await page.goto(host.url);
  await page.getByRole('link', { name: /Settings/ }).click();
  const section = page.getByRole('group', { name: 'Shared database' });
  await section.getByLabel('Database URL').fill(url);
  await expect(section.getByLabel('Password')).toHaveAttribute('type', 'password');
  await section.getByRole('button', { name: 'Test connection' }).click();
  await expect(section.getByTestId('database-connection')).toHaveText('Connected (not saved yet)');
  await expect(section.getByTestId('database-schema')).toContainText('0 (this app:');

  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByTestId('database-connection')).toHaveText('Connected');
  await section.getByRole('button', { name: /^Migrate to schema version \d+$/ }).click();
  await expect(section.getByTestId('database-schema')).not.toContainText('needs a migration');
  await section.getByLabel('Station name').fill('bench-a');
  await section.getByLabel('Station name').blur();
  await expect(page.getByText('Station name saved')).toBeVisible();
  await section.screenshot({ path: `${shots}/settings-shared-database.png` });

  await importOtherStation(url);
  await page.getByRole('link', { name: /History/ }).click();
  const rows = page.locator('.history-table tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(page.getByRole('columnheader', { name: 'Station' })).toBeVisible();
  await expect(rows.first()).toContainText('bench-b');
  await page.getByLabel('Station').fill('bench-a');
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByLabel('Station').fill('bench-b');
  await expect(rows).toHaveCount(3);
  await page.getByLabel('Result').selectOption('failed');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('mbed-linux-os-32');
  await page.getByLabel('Result').selectOption('');
  await fullPageShot(page, `${shots}/history-stations.png`);
});
