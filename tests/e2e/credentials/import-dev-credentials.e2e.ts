import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { JSHandle, Page } from '@playwright/test';
import { test, expect, type RunningHost } from '../support/web-host';
import { fullPageShot } from '../support/screenshots';

/**
 * Certificates → Import developer certificate: the portal's mbed_cloud_dev_credentials.c dropped onto the form
 * (a real DataTransfer drop in Chromium), checked and stored as `pws certs import-dev` does.
 */
const shots = 'test-results/screenshots';
const PORTAL_FILE = resolve('tests/fixtures/c-files/mbed_cloud_dev_credentials.c');

/** `pws certs …` against the same HOME and data folder as the web host, so both doors share one Team Store. */
function pwsCerts(host: RunningHost, args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [resolve('bin/pws.cjs'), 'certs', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: host.home, PWS_DATA_DIR: host.dataDir },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A DataTransfer in the page holding one file, as the OS hands it over when a file is dragged in. */
function dataTransferWith(page: Page, name: string, text: string): Promise<JSHandle> {
  return page.evaluateHandle(
    (file) => {
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string) => unknown };
      const dt = new g.DataTransfer();
      dt.items.add(new g.File([file.text], file.name));
      return dt;
    },
    { name, text },
  );
}

test("the portal's developer credentials file is imported by drag and drop, with import-dev's checks and errors", async ({ page, host }) => {
  const portalText = readFileSync(PORTAL_FILE, 'utf8');
  await page.goto(host.url);
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Import developer certificate' });
  const dropZone = page.getByTestId('drop-zone-developer');
  const fileInput = form.getByLabel('mbed_cloud_dev_credentials.c');
  const team = page.getByRole('table', { name: 'Team Store' });

  // Nothing chosen: both fields say what to give, and where the file comes from.
  await form.getByRole('button', { name: 'Import developer certificate' }).click();
  await expect(form.getByLabel('Developer certificate name')).toHaveAttribute('aria-invalid', 'true');
  await expect(fileInput).toHaveAccessibleDescription(/downloaded from the Device Management Portal/);

  // A damaged file (its endpoint name cut out): refused under the file with import-dev's own message; nothing stored.
  const damaged = portalText.replace(/^const char MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME\[\].*\n/m, '');
  expect(damaged).not.toBe(portalText);
  const damagedPath = join(mkdtempSync(join(tmpdir(), 'pws-e2e-damaged-')), 'mbed_cloud_dev_credentials.c');
  writeFileSync(damagedPath, damaged);
  // Given as its bare name from its folder: the CLI names a file as it was given, the app by its name.
  const cli = pwsCerts(host, ['import-dev', 'cli-damaged', basename(damagedPath)], dirname(damagedPath));
  expect(cli.code).toBe(1);
  const cliMessage = cli.stderr.trim().replace(/^pws: /, '');
  expect(cliMessage).toMatch(/has no MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME/);
  await form.getByLabel('Developer certificate name').fill('portal-dev');
  await dropZone.dispatchEvent('drop', { dataTransfer: await dataTransferWith(page, 'mbed_cloud_dev_credentials.c', damaged) });
  await expect(form).toContainText('Selected: mbed_cloud_dev_credentials.c');
  await form.getByRole('button', { name: 'Import developer certificate' }).click();
  const fileError = form.getByRole('alert');
  // Word for word what the CLI prints, file name first as it is.
  await expect(fileError).toHaveText(cliMessage);
  await expect(fileInput).toHaveAttribute('aria-invalid', 'true');
  await expect(team.getByRole('row', { name: /portal-dev/ })).toHaveCount(0);
  await form.screenshot({ path: `${shots}/certificates-import-dev-refused.png` });

  // The real file, dragged over (the zone shows it will take it) and dropped.
  const dataTransfer = await dataTransferWith(page, 'mbed_cloud_dev_credentials.c', portalText);
  await dropZone.dispatchEvent('dragenter', { dataTransfer });
  await dropZone.dispatchEvent('dragover', { dataTransfer });
  await expect(dropZone).toHaveClass(/drop-zone-active/);
  await form.screenshot({ path: `${shots}/certificates-import-dev-dragging.png` });
  await dropZone.dispatchEvent('drop', { dataTransfer });
  await expect(dropZone).not.toHaveClass(/drop-zone-active/);
  await expect(fileError).toHaveCount(0);
  await expect(form).toContainText(`Selected: mbed_cloud_dev_credentials.c (${Buffer.byteLength(portalText).toLocaleString('en')} bytes)`);
  await form.getByRole('button', { name: 'Import developer certificate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Developer certificate portal-dev imported into the Team Store' })).toBeVisible();
  await expect(team.getByRole('row', { name: /portal-dev/ })).toContainText('Developer');
  await expect(form.getByLabel('Developer certificate name')).toHaveValue('');
  await fullPageShot(page, `${shots}/certificates-import-dev.png`);

  // Stored exactly as `pws certs import-dev` stores the same file: the same .bin files, byte for byte.
  expect(pwsCerts(host, ['import-dev', 'cli-portal', PORTAL_FILE]).code).toBe(0);
  const teamDir = (JSON.parse(pwsCerts(host, ['stores', '--json']).stdout) as { team: string }).team;
  const files = (name: string) => Object.fromEntries(readdirSync(join(teamDir, name)).map((f) => [f, readFileSync(join(teamDir, name, f)).toString('base64')]));
  const imported = files('portal-dev');
  expect(Object.keys(imported)).toContain('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin');
  expect(imported).toEqual(files('cli-portal'));

  // In the dark theme the form reads as well (screenshot to look at).
  await page.emulateMedia({ colorScheme: 'dark' });
  await form.screenshot({ path: `${shots}/certificates-import-dev-dark.png` });
});
