import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../support/web-host';
import { dismissToasts, requireUiLab, selectDevices, startProvisioningRig, type ProvisioningRig } from '../provisioning/provisioning-helpers';

let rig: ProvisioningRig | undefined;
test.afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/**
 * History after a real run: a board that passes and the key-only board, which refuses the login (no SSH
 * key is configured): auth-refused. Here the update certificate is imported through the panel's file picker.
 */
test('history lists the run, filters by device and result, exports CSV and JSON', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = requireUiLab();
  rig = await startProvisioningRig();

  await page.goto(rig.host.url);
  await selectDevices(page, ['mbed-linux-os-6', 'mbed-linux-os-8'], lab.devices.length);
  await page.getByRole('button', { name: 'Provision selected (2)' }).click();

  await page.getByLabel('Developer certificate', { exact: true }).selectOption({ label: 'Create new…' });
  await page.getByLabel('New developer certificate name').fill('history-dev');
  await page.getByRole('button', { name: 'Create in the cloud' }).click();
  await expect(page.getByLabel('Developer certificate', { exact: true })).toHaveValue('history-dev', { timeout: 30_000 });

  await page.getByLabel('Update certificate', { exact: true }).selectOption({ label: 'Import…' });
  await page.getByLabel('Update certificate name').fill('history-update');
  await page.getByLabel('update_default_resources.c').setInputFiles(join(rig.updateDir, 'update_default_resources.c'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByLabel('Update certificate', { exact: true })).toHaveValue('history-update', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Provision 2 devices' }).click();
  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 120_000 });
  const resultRows = page.locator('.results tbody'); // one row group per device
  await expect(resultRows.filter({ hasText: 'mbed-linux-os-6' })).toContainText('passed');
  await expect(resultRows.filter({ hasText: 'mbed-linux-os-8' })).toContainText('auth-refused');

  await page.getByRole('link', { name: /^History/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'History' })).toBeVisible();
  const rows = page.getByRole('table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(page.getByText('2 entries')).toBeVisible();
  const six = rows.filter({ hasText: 'mbed-linux-os-6' });
  await expect(six).toContainText('passed');
  await expect(six).toContainText('history-dev');
  await expect(six).toContainText('history-update');
  await expect(rows.filter({ hasText: 'mbed-linux-os-8' })).toContainText('failed');

  // The filters line up: the Result select is as tall as the text fields beside it.
  const height = async (label: string) => (await page.getByLabel(label).boundingBox())!.height;
  expect(await height('Result')).toBeCloseTo(await height('Device'), 0);

  // Filters: by result, then by device (name or address).
  await page.getByLabel('Result').selectOption('failed');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('mbed-linux-os-8');
  await page.getByLabel('Result').selectOption('');
  await page.getByLabel('Device').fill('mbed-linux-os-6');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('mbed-linux-os-6');
  await page.getByLabel('Device').fill('no-such-board');
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByLabel('Device').fill('');
  await expect(rows).toHaveCount(2);

  // Exports are real downloads of the (filtered) trail.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  expect(csvText).toContain('mbed-linux-os-6');
  expect(csvText).toContain('mbed-linux-os-8');
  await page.getByLabel('Result').selectOption('passed');
  await expect(rows).toHaveCount(1);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(json.suggestedFilename()).toMatch(/\.json$/);
  const jsonText = readFileSync((await json.path())!, 'utf8');
  JSON.parse(jsonText);
  expect(jsonText).toContain('mbed-linux-os-6');
  expect(jsonText).not.toContain('mbed-linux-os-8');

  await page.getByLabel('Result').selectOption('');
  await expect(rows).toHaveCount(2);
  // A long error's Show all starts where the error's text starts.
  const textLeft = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => {
        const range = el.ownerDocument.createRange();
        range.selectNodeContents(el);
        return range.getClientRects()[0]!.left;
      });
  expect(Math.abs((await textLeft('.history-error + .link-button')) - (await textLeft('.history-error')))).toBeLessThan(1);
  mkdirSync('test-results/screenshots', { recursive: true });
  await dismissToasts(page);
  await page.screenshot({ path: 'test-results/screenshots/history.png' });
});
