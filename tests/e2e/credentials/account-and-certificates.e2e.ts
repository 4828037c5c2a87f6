import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startCloudEmulator, type CloudEmulator } from '../../cloud-emulator/emulator';
import { test, expect, startHost, type RunningHost } from '../support/web-host';
import { fullPageShot } from '../support/screenshots';

/**
 * Settings → Device Management account and the Certificates screen against the cloud emulator and the
 * real keychain (run inside dbus-run-session with an unlocked gnome-keyring).
 */
const shots = 'test-results/screenshots';
const API_KEY = 'ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b';
const OTHER_KEY = 'ak_9Zq0ZmFrZWtleWZvcnRoZXNlY29uZGFjY291bnQwMDAw9c8d';

let emu: CloudEmulator;
let host: RunningHost;

test.beforeEach(async () => {
  emu = await startCloudEmulator();
  emu.addAccount({ name: 'Lab bench account', apiKey: API_KEY });
  host = await startHost({ PWS_API_URL: emu.url });
});
test.afterEach(async () => {
  await host?.stop();
  await emu?.close();
});

async function dismissToasts(page: Page): Promise<void> {
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

const account = (page: Page) => page.getByRole('group', { name: 'Device Management account' });

async function saveKey(page: Page, key: string): Promise<void> {
  const section = account(page);
  await section.getByLabel(/^(New )?API key$/).fill(key);
  await section.getByRole('radio', { name: 'On-premises (custom URL)' }).check();
  await section.getByLabel('API URL').fill(emu.url);
  await section.getByRole('button', { name: 'Check and save key' }).click();
}

test('an API key is checked, kept in the keychain and only shown masked; certificates are created, imported, listed and deleted', async ({ page }) => {
  await page.goto(`${host.url}#/settings`);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(account(page)).toContainText('No API key saved');

  // Save: the key is checked against /v3/accounts/me, then only its masked form comes back.
  await saveKey(page, API_KEY);
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');
  await expect(account(page).getByTestId('account-name')).toHaveText('Lab bench account');
  await expect(account(page)).toContainText(`On-premises: ${emu.url}`);
  await expect(account(page).getByLabel(/^(New )?API key$/)).toHaveCount(0);
  expect(await page.content()).not.toContain(API_KEY);
  expect(emu.requests.some((r) => r.method === 'GET' && r.path === '/v3/accounts/me' && r.status === 200)).toBe(true);
  await dismissToasts(page);
  await account(page).screenshot({ path: `${shots}/settings-account.png` });

  // A reload asks the backend again: the key is in the keychain, still masked.
  await page.reload();
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');

  // Certificates: create a developer certificate in the cloud.
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  const create = page.getByRole('form', { name: 'Create developer certificate' });
  await create.getByLabel('Developer certificate name').fill('lab-dev-1');
  await create.getByRole('button', { name: 'Create developer certificate' }).click();
  const team = page.getByRole('table', { name: 'Team Store' });
  const devRow = team.getByRole('row', { name: /lab-dev-1/ });
  await expect(devRow).toContainText('Developer');
  await expect(devRow.getByRole('cell').nth(3)).toHaveText(/\d{1,2} \w{3} \d{4}/);
  expect(emu.requests.some((r) => r.method === 'POST' && r.path === '/v3/developer-certificates' && r.status === 201)).toBe(true);
  await expect(page.getByRole('table', { name: 'In the cloud' }).getByRole('row', { name: /lab-dev-1/ })).toBeVisible();

  // Import an update certificate made by the CLI, through the file chooser.
  const dir = mkdtempSync(join(tmpdir(), 'pws-e2e-update-'));
  execFileSync(process.execPath, ['bin/pws.cjs', 'init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', dir], { stdio: 'pipe' });
  const cFile = join(dir, 'update_default_resources.c');
  const importForm = page.getByRole('form', { name: 'Import update certificate' });
  await importForm.getByLabel('Update certificate name').fill('dev-device');
  const chooser = page.waitForEvent('filechooser');
  await importForm.getByLabel('update_default_resources.c').click();
  await (await chooser).setFiles(cFile);
  await expect(importForm).toContainText('Selected: update_default_resources.c');
  await importForm.getByRole('button', { name: 'Import update certificate' }).click();
  const updRow = team.getByRole('row', { name: /dev-device/ });
  await expect(updRow).toContainText('Update');
  const in90 = new Date(Date.now() + 90 * 86_400_000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  await expect(updRow.getByRole('cell').nth(3)).toHaveText(in90);
  await expect(updRow).toContainText('Valid');
  await expect(devRow).toBeVisible();

  // One that expires within 30 days is flagged.
  const shortDir = mkdtempSync(join(tmpdir(), 'pws-e2e-short-'));
  execFileSync(process.execPath, ['bin/pws.cjs', 'init', '-q', '-d', 'arm.com', '-m', 'short-lived', '--days', '20', '--dir', shortDir], { stdio: 'pipe' });
  await importForm.getByLabel('Update certificate name').fill('short-lived');
  const chooser2 = page.waitForEvent('filechooser');
  await importForm.getByLabel('update_default_resources.c').click();
  await (await chooser2).setFiles(join(shortDir, 'update_default_resources.c'));
  await importForm.getByRole('button', { name: 'Import update certificate' }).click();
  await expect(team.getByRole('row', { name: /short-lived/ })).toContainText(/Expires in (19|20) days/);
  await expect(page.getByText('1 certificate has expired or expires within 30 days')).toBeVisible();
  await dismissToasts(page);
  await fullPageShot(page, `${shots}/certificates.png`);

  // Drag and drop works too (the file is read in the browser and its text sent).
  const text = readFileSync(cFile, 'utf8');
  await importForm.getByLabel('Update certificate name').fill('dropped');
  const dataTransfer = await page.evaluateHandle((t) => {
    const g = globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: string[], name: string) => unknown };
    const dt = new g.DataTransfer();
    dt.items.add(new g.File([t], 'update_default_resources.c'));
    return dt;
  }, text);
  await page.getByTestId('drop-zone-update').dispatchEvent('drop', { dataTransfer });
  await importForm.getByRole('button', { name: 'Import update certificate' }).click();
  await expect(team.getByRole('row', { name: /dropped/ })).toContainText('Update');

  // Delete asks first; a developer certificate can go from the cloud too.
  await team.getByRole('button', { name: 'Delete dropped' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete dropped?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(team.getByRole('row', { name: /dropped/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Team Store' })).toBeFocused();

  // Deleted here only, it stays in the cloud and can be copied back.
  const cloudRow = page.getByRole('table', { name: 'In the cloud' }).getByRole('row', { name: /lab-dev-1/ });
  await team.getByRole('button', { name: 'Delete lab-dev-1' }).click();
  await page.getByRole('dialog', { name: 'Delete lab-dev-1?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(team.getByRole('row', { name: /lab-dev-1/ })).toHaveCount(0);
  await cloudRow.getByRole('button', { name: 'No: copy to Team Store (lab-dev-1)' }).click();
  await expect(team.getByRole('row', { name: /lab-dev-1/ })).toContainText('Developer');
  await expect(cloudRow).toContainText('Yes');

  await team.getByRole('button', { name: 'Delete lab-dev-1' }).click();
  const confirmDev = page.getByRole('dialog', { name: 'Delete lab-dev-1?' });
  await confirmDev.getByLabel(/Also delete it in the cloud/).check();
  await confirmDev.getByRole('button', { name: 'Delete' }).click();
  await expect(team.getByRole('row', { name: /lab-dev-1/ })).toHaveCount(0);
  await expect.poll(() => emu.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/v3/trusted-certificates/') && r.status === 204)).toBe(true);
  await expect(updRow).toBeVisible();
  await expect(page.getByRole('table', { name: 'In the cloud' }).getByRole('row', { name: /lab-dev-1/ })).toHaveCount(0);
  expect(emu.responseViolations).toEqual([]);
});

test('an invalid key shows the clear error and keeps the previous key', async ({ page }) => {
  await page.goto(`${host.url}#/settings`);
  await saveKey(page, API_KEY);
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');

  await account(page).getByRole('button', { name: 'Replace key' }).click();
  const newKey = account(page).getByLabel('New API key');
  await expect(newKey).toBeFocused();
  await saveKey(page, OTHER_KEY);
  const alert = account(page).getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(/key/i);
  await expect(newKey).toHaveAttribute('aria-invalid', 'true');
  await expect(newKey).toHaveAccessibleDescription(/not accepted/);
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');
  await dismissToasts(page);
  await account(page).screenshot({ path: `${shots}/settings-account-invalid.png` });

  // Still the old key after a reload, i.e. in the keychain.
  await page.reload();
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');
  await expect(account(page).getByTestId('account-name')).toHaveText('Lab bench account');

  // Remove asks for confirmation.
  await account(page).getByRole('button', { name: 'Remove key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the API key?' });
  await dialog.getByRole('button', { name: 'Remove key' }).click();
  await expect(account(page)).toContainText('No API key saved');
  await page.reload();
  await expect(account(page)).toContainText('No API key saved');
});

test('without an OS keychain the account section says so and what to do', async ({ page }) => {
  const bare = await startHost({ PWS_API_URL: emu.url, DBUS_SESSION_BUS_ADDRESS: '' });
  try {
    await page.goto(`${bare.url}#/settings`);
    const alert = account(page).getByRole('alert');
    await expect(alert).toContainText('No OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session');
    await account(page).screenshot({ path: `${shots}/settings-account-no-keychain.png` });
  } finally {
    await bare.stop();
  }
});

test('an old mbl-cli plaintext key in the User Store is offered for moving into the keychain', async ({ page }) => {
  const userStore = join(host.home, '.mbl-store', 'user');
  mkdirSync(userStore, { recursive: true });
  writeFileSync(join(userStore, 'config.json'), JSON.stringify({ location: userStore, api_key: API_KEY, dev_certs: {} }));
  await page.goto(`${host.url}#/settings`);
  const offer = account(page).getByRole('region', { name: 'Old API key found' });
  await expect(offer).toContainText('mbl-cli left an API key in plain text');
  await account(page).screenshot({ path: `${shots}/settings-account-migrate.png` });
  await offer.getByRole('button', { name: 'Move key to the keychain' }).click();
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');
  await expect(offer).toHaveCount(0);
  expect((JSON.parse(readFileSync(join(userStore, 'config.json'), 'utf8')) as { api_key: string }).api_key).toBe('');
  await page.reload();
  await expect(account(page).getByTestId('masked-key')).toHaveText('ak_…1a2b');
  await expect(account(page).getByRole('region', { name: 'Old API key found' })).toHaveCount(0);
});
