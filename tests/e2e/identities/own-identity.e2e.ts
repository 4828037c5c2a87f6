import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { MIN_WINDOW } from '../../../electron/main/window-size';
import { test, expect } from '../support/web-host';
import { deviceStorage, labDevice } from '../../lab/lab';
import { parseEnrollmentCsv } from '../../../shared/domain/enrollment';
import { dismissToasts, requireUiLab, selectDevices, setConcurrency, startProvisioningRig, type ProvisioningRig } from '../provisioning/provisioning-helpers';
import { fullPageShot } from '../support/screenshots';

const shot = (name: string) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  return `test-results/screenshots/${name}.png`;
};

let rig: ProvisioningRig | undefined;
test.afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/**
 * Own identities from the app: a CA made in the wizard by keyboard and trusted in the account (the cloud
 * emulator), then five boards each given their own identity from the Provision panel, live and in the results,
 * their enrollment list exported, and the Identities screen.
 */
test('create a CA, trust it, and give five boards their own identities', async ({ page }) => {
  test.setTimeout(240_000);
  const lab = requireUiLab();
  rig = await startProvisioningRig({ trustedCaDir: lab.trustedCaDir });
  await rig.pwsAsync('certs', 'create-dev', 'lab-dev'); // the account's settings (ID, bootstrap server) come from it
  rig.pws('certs', 'import-update', 'lab-update', join(rig.updateDir, 'update_default_resources.c'));
  const five = ['mbed-linux-os-1', 'mbed-linux-os-2', 'mbed-linux-os-3', 'mbed-linux-os-4', 'mbed-linux-os-5'];
  for (const n of [1, 2, 3, 4, 5]) rmSync(join(labDevice(n).root, 'config', 'user', 'pal'), { recursive: true, force: true });

  await page.goto(rig.host.url);
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await expect(page.getByText('No CA yet: create one, or import the one your company uses.')).toBeVisible();

  // The CA wizard, by keyboard: each step starts on its first field, Enter goes on.
  await page.getByRole('button', { name: 'New CA' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 1 of 4: Name' })).toBeVisible();
  await expect(page.getByLabel('CA name')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'CA name:' })).toBeVisible();
  await expect(page.getByLabel('CA name')).toBeFocused();
  await page.keyboard.type('lab-ca');
  await page.getByLabel('Organisation', { exact: true }).fill('Example Devices');
  await page.getByLabel('Organisational unit').fill('Pilot line');
  await page.getByLabel('Country').selectOption('GB');
  await page.getByLabel('CA name').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Valid for (years)')).toBeFocused();
  await expect(page.getByLabel('Valid for (years)')).toHaveValue('30');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 3 of 4: Review' })).toBeVisible();
  await expect(page.getByText('C=GB, O=Example Devices, OU=Pilot line, CN=lab-ca')).toBeVisible();
  await page.screenshot({ path: shot('ca-wizard-review') });
  await page.getByRole('button', { name: 'Create CA' }).click();
  await expect(page.getByText('The CA lab-ca was created in the Team Store.')).toBeVisible();

  // Trust in my account: the cloud's answer is shown.
  await expect(page.getByRole('button', { name: 'Trust in my account' })).toBeFocused();
  await page.getByLabel('Also for First-to-Claim enrollment').check();
  await page.getByRole('button', { name: 'Trust in my account' }).click();
  const answer = page.locator(`dl[aria-label="Device Management's answer"]`);
  await expect(answer).toContainText('bootstrap');
  await expect(page.getByText(/Your account now trusts lab-ca for bootstrap and First-to-Claim enrollment/)).toBeVisible();
  expect(readdirSync(lab.trustedCaDir)).toHaveLength(1);
  await page.screenshot({ path: shot('ca-wizard-trusted') });
  await page.getByRole('button', { name: 'Back to certificates' }).click();
  const caRow = page.getByRole('table', { name: 'Certificate authorities' }).getByRole('row', { name: /lab-ca/ });
  await expect(caRow).toContainText('Trusted (First-to-Claim)');
  await page.locator('.ca-section').screenshot({ path: shot('certificates-ca') });

  // Provision five boards, each with its own identity.
  await setConcurrency(page, 2);
  await selectDevices(page, five, lab.devices.length);
  await page.getByRole('button', { name: 'Provision selected (5)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Provisioning' })).toBeVisible();
  await page.getByLabel('Own identity per device (CA: lab-ca)').check();
  await expect(page.getByLabel('Certificate authority')).toHaveValue('lab-ca');
  await expect(page.getByLabel('Endpoint name template')).toHaveValue('{hostname}');
  await page.getByLabel('Manufacturer').fill('Example Devices');
  await expect(page.getByLabel('Update certificate', { exact: true })).toHaveValue('lab-update');
  await expect(
    page.getByText(/Provision 5 devices with an own identity each from the CA lab-ca, named \{hostname\}, and the update certificate lab-update/),
  ).toBeVisible();
  await dismissToasts(page);
  await fullPageShot(page, shot('provisioning-own-identity'));
  await page.getByRole('button', { name: 'Provision 5 devices' }).click();

  const board = page.getByRole('list', { name: 'Devices in this run' });
  await expect(board.locator(':scope > li')).toHaveCount(5);
  await expect(board.locator('.board-identity').first()).toBeVisible({ timeout: 60_000 });
  await dismissToasts(page);
  await fullPageShot(page, shot('provisioning-own-identity-live'));

  await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible({ timeout: 120_000 });
  const results = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Endpoint name' }) });
  const rows = results.locator('tbody'); // one row group per device
  await expect(rows).toHaveCount(5);
  for (const name of five) {
    const row = rows.filter({ hasText: name });
    await expect(row).toContainText('passed');
    await expect(row.locator('td.enrollment-identity')).toHaveAttribute('title', /^A-[0-9a-f:]{95}$/);
    // a fresh workstation: each board's key is pinned now, shown whole on a line of its own under the board
    const fingerprint = labDevice(Number(name.split('-').at(-1))).hostKeyFingerprint;
    await expect(row.locator('tr.new-host-key')).toContainText(`New host key pinned: ${fingerprint}`);
  }
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export enrollment list' }).click()]);
  const csv = parseEnrollmentCsv(readFileSync((await download.path())!));
  expect(csv.identities).toHaveLength(5);
  await dismissToasts(page);
  await page.getByRole('heading', { name: 'Results' }).scrollIntoViewIfNeeded();
  await fullPageShot(page, shot('provisioning-own-identity-results'));
  // At the minimum window size the widest table of the app scrolls within its card; the page does not.
  const viewport = page.viewportSize()!;
  await page.setViewportSize(MIN_WINDOW);
  const overflow = await page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
  expect(overflow, 'the page scrolls sideways at the minimum window size').toBeLessThanOrEqual(0);
  const details = results.getByRole('columnheader', { name: 'Details' });
  await details.evaluate((el) => el.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
  const detailsBox = (await details.boundingBox())!;
  expect(detailsBox.x + detailsBox.width, 'the Details column scrolls into view').toBeLessThanOrEqual(MIN_WINDOW.width + 1);
  // Only the table scrolls: the card's heading and its buttons stay where they are.
  const newRun = page.getByRole('button', { name: 'New run' });
  const newRunBox = (await newRun.boundingBox())!;
  const resultsCard = (await page.getByRole('region', { name: 'Results' }).boundingBox())!;
  expect(newRunBox.x, 'New run stays inside the results card when the table scrolls').toBeGreaterThanOrEqual(resultsCard.x);
  expect(newRunBox.x + newRunBox.width).toBeLessThanOrEqual(resultsCard.x + resultsCard.width + 1);
  await fullPageShot(page, shot('provisioning-own-identity-results-minimum-window'));
  await page.setViewportSize(viewport);

  // Each board holds its own certificate from the CA, named after itself; the key never came back.
  const ca = new X509Certificate(readFileSync(join(rig.host.home, '.mbl-store', 'team', 'lab-ca', 'ca.der')));
  for (const [i, name] of five.entries()) {
    const storage = deviceStorage(i + 1);
    const cert = new X509Certificate(storage['mbed.BootstrapDeviceCert']!);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(storage['mbed.EndpointName']!.toString()).toBe(name);
    expect(csv.identities).toContain(`A-${cert.fingerprint256.toLowerCase()}`);
  }

  // Identities: the registry, five confirmed records.
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('heading', { level: 1, name: 'Identities' })).toBeVisible();
  const records = page.getByRole('table', { name: 'Identities issued from your CAs' }).locator('tbody tr');
  await expect(records).toHaveCount(5);
  await expect(records.filter({ hasText: 'Confirmed' })).toHaveCount(5);
  // A long enrollment identity wraps between its byte groups, never inside one (the column is narrow enough here
  // that every identity takes several lines).
  const wrapping = await page.locator('td.enrollment-identity').evaluateAll((cells) =>
    cells.map((cell) => {
      const document = cell.ownerDocument;
      const SHOW_TEXT = 4; // NodeFilter.SHOW_TEXT
      const lineTops = (range: ReturnType<typeof document.createRange>) =>
        new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
      const whole = document.createRange();
      whole.selectNodeContents(cell);
      const split: string[] = [];
      const walker = document.createTreeWalker(cell, SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if (lineTops(range) > 1) split.push(node.textContent ?? '');
      }
      return { lines: lineTops(whole), split };
    }),
  );
  expect(wrapping.every((c) => c.lines > 1)).toBe(true);
  expect(wrapping.flatMap((c) => c.split)).toEqual([]);
  // Every record names the station that issued it, and the Station filter keeps that station's only.
  await expect(page.getByRole('columnheader', { name: 'Station' })).toBeVisible();
  const station = (await records.first().locator('td').nth(4).innerText()).trim();
  expect(station).not.toBe('');
  await page.getByLabel('Station').fill('no-such-station');
  await expect(page.getByText('No identity matches these filters.')).toBeVisible();
  await page.getByLabel('Station').fill(station);
  await expect(records).toHaveCount(5);
  await dismissToasts(page);
  await fullPageShot(page, shot('identities'));
});
