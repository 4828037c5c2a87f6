import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tabTo } from '../support/keyboard';
import { test, expect } from '../support/web-host';
import { fullPageShot } from '../support/screenshots';

const VENDOR_ID = 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe';
const CLASS_ID = '4d131344-feab-5a2e-84a2-0dccdd905f35';
const shots = 'test-results/screenshots';

/** The e2e tests type-check without the DOM library. */
type BrowserGlobals = { navigator: { clipboard: { readText(): Promise<string> } } };

const utcDate = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

test('the update-certificate wizard works with the keyboard alone and writes the four manifest-tool files', async ({ page, host, context }) => {
  const origin = new URL(host.url).origin;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const target = join(host.home, 'firmware', 'dev-device');

  await page.goto(host.url);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'New update certificate' }));
  await page.keyboard.press('Enter');

  // Step 1: Identity. Focus starts in the first field; an empty Next is refused with an announced error.
  await expect(page.getByRole('heading', { name: 'Step 1 of 6: Identity' })).toBeVisible();
  const domain = page.getByLabel('Vendor domain');
  const model = page.getByLabel('Model name');
  await expect(domain).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(domain).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'Vendor domain is required' })).toBeVisible();
  await expect(domain).toHaveAccessibleDescription(/vendor domain is required/i);
  await expect(domain).toBeFocused();

  await page.keyboard.type('arm.co');
  // The IDs follow every keystroke.
  await expect(page.getByTestId('vendor-id')).toHaveText(/^[0-9a-f]{8}-[0-9a-f-]{27}$/);
  await expect(page.getByTestId('vendor-id')).not.toHaveText(VENDOR_ID);
  await page.keyboard.type('m');
  await expect(page.getByTestId('vendor-id')).toHaveText(VENDOR_ID);
  await expect(domain).not.toHaveAttribute('aria-invalid', 'true');
  await page.keyboard.press('Tab');
  await expect(model).toBeFocused();
  await page.keyboard.type('dev-device');
  await expect(page.getByTestId('class-id')).toHaveText(CLASS_ID);
  await expect(page.getByText('Firmware is bound to these IDs')).toBeVisible();
  await fullPageShot(page, `${shots}/wizard-1-identity.png`);
  await page.keyboard.press('Enter');

  // Step 2: Advanced. Nothing to change for most products: the derived IDs are the defaults, a new key is made.
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  await expect(page.getByLabel('Vendor ID')).toBeFocused();
  await expect(page.getByLabel('Vendor ID')).toHaveValue(VENDOR_ID);
  await expect(page.getByLabel('Class ID')).toHaveValue(CLASS_ID);
  await expect(page.getByRole('radio', { name: /Make a new self-signed certificate/ })).toBeChecked();
  await page.keyboard.press('Enter');

  // Step 2: Subject. Country from the ISO 3166 list by typing its name; common name defaults to the domain.
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Subject' })).toBeVisible();
  const country = page.getByLabel('Country');
  await expect(country).toBeFocused();
  await page.keyboard.type('United Kingdom');
  await expect(country).toHaveValue('GB');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('State or province')).toBeFocused();
  await page.keyboard.type('Cambridgeshire');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Cambridge');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Arm Ltd');
  await page.keyboard.press('Tab');
  const commonName = page.getByLabel('Common name');
  await expect(commonName).toBeFocused();
  await expect(commonName).toHaveValue('arm.com');
  await expect(page.getByText('C=GB, ST=Cambridgeshire, L=Cambridge, O=Arm Ltd, CN=arm.com')).toBeVisible();
  await fullPageShot(page, `${shots}/wizard-2-subject.png`);
  await page.keyboard.press('Enter');

  // Step 3: Validity. 90 days by default, with the expiry date and the prominent warning.
  await expect(page.getByRole('heading', { name: 'Step 4 of 6: Validity' })).toBeVisible();
  const days = page.getByLabel('Valid for (days)');
  await expect(days).toBeFocused();
  await expect(days).toHaveValue('90');
  const until = utcDate(new Date(Date.now() + 90 * 86_400_000));
  const warning = page.getByTestId('expiry-warning');
  await expect(warning).toContainText(`Devices built with this certificate can't be updated after ${until}`);
  await expect(warning).toContainText('Production should use at least 10 years');
  await expect(days).toHaveAccessibleDescription(`Expires on ${until} (UTC).`);
  // Ten years: no warning; a typo: an announced error; back to the default.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('3650');
  await expect(warning).toBeHidden();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('9o');
  await page.keyboard.press('Enter');
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'Days must be a positive whole number' })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('90');
  await expect(warning).toBeVisible();
  await expect(days).not.toHaveAttribute('aria-invalid', 'true');
  await fullPageShot(page, `${shots}/wizard-3-validity.png`);

  // Back and Next keep what was entered.
  await tabTo(page, page.getByRole('button', { name: 'Back' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Subject' })).toBeVisible();
  await expect(page.getByLabel('State or province')).toHaveValue('Cambridgeshire');
  await expect(country).toHaveValue('GB');
  await tabTo(page, page.getByRole('button', { name: 'Back' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Back' }));
  await page.keyboard.press('Enter');
  await expect(domain).toHaveValue('arm.com');
  await expect(model).toHaveValue('dev-device');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Subject' })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(days).toHaveValue('90');
  await page.keyboard.press('Enter');

  // Step 4: Review, with the folder suggested by the backend; type our own.
  await expect(page.getByRole('heading', { name: 'Step 5 of 6: Review' })).toBeVisible();
  const folder = page.getByLabel('Folder for the files');
  await expect(folder).toBeFocused();
  await expect(folder).toHaveValue(join(host.home, 'update-certificates', 'dev-device'));
  const review = page.locator('.review-list');
  await expect(review).toContainText(VENDOR_ID);
  await expect(review).toContainText(CLASS_ID);
  await expect(review).toContainText('C=GB, ST=Cambridgeshire, L=Cambridge, O=Arm Ltd, CN=arm.com');
  await expect(review).toContainText(`90 days, until ${until}`);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(target);
  await fullPageShot(page, `${shots}/wizard-4-review.png`);
  await page.keyboard.press('Enter');

  // Step 5: Done.
  await expect(page.getByRole('heading', { name: 'Step 6 of 6: Done' })).toBeVisible();
  const fingerprint = (await page.getByTestId('fingerprint').textContent())!.replace(/:/g, '');
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  const written = page.getByRole('list', { name: 'Files written' });
  for (const f of ['.update-certificates/default.der', '.update-certificates/default.key.pem', '.manifest_tool.json', 'update_default_resources.c']) {
    await expect(written.getByRole('listitem').filter({ hasText: new RegExp(`^${f.replace(/\./g, '\\.')}$`) })).toHaveAttribute('title', join(target, f));
  }
  await expect(page.getByTestId('done-folder')).toHaveText(target);
  const copyC = page.getByRole('button', { name: 'Copy update_default_resources.c' });
  await expect(copyC).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Copied update_default_resources.c.' })).toBeVisible();
  const cFile = readFileSync(join(target, 'update_default_resources.c'), 'utf8');
  expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText())).toBe(cFile);

  // The files on disk.
  const der = readFileSync(join(target, '.update-certificates/default.der'));
  expect(der[0]).toBe(0x30);
  const keyMode = statSync(join(target, '.update-certificates/default.key.pem')).mode & 0o777;
  expect(keyMode.toString(8)).toBe('600');
  expect(readFileSync(join(target, '.update-certificates/default.key.pem'), 'utf8')).toContain('PRIVATE KEY-----');
  const manifestToolJson = JSON.parse(readFileSync(join(target, '.manifest_tool.json'), 'utf8')) as Record<string, unknown>;
  expect(manifestToolJson).toMatchObject({ vendorId: VENDOR_ID, classId: CLASS_ID, vendorDomain: 'arm.com', modelName: 'dev-device' });
  expect(cFile).toContain('arm_uc_default_certificate[]');
  expect(cFile).toContain('0xfa, 0x6b, 0x4a, 0x53');
  // The C file carries the certificate the Done step reports.
  const { createHash } = await import('node:crypto');
  expect(createHash('sha256').update(der).digest('hex')).toBe(fingerprint);

  // Save the generated C file into the Team Store, still by keyboard.
  const teamName = page.getByLabel('Team Store name');
  await tabTo(page, teamName);
  await expect(teamName).toHaveValue('dev-device');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('wizard-dev-device');
  await tabTo(page, page.getByRole('button', { name: 'Save to Team Store as wizard-dev-device' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved as wizard-dev-device' })).toBeVisible();
  await fullPageShot(page, `${shots}/wizard-5-done.png`);

  // Back on the list it is there, with the same fingerprint and expiry.
  await tabTo(page, page.getByRole('button', { name: 'Back to certificates' }));
  await page.keyboard.press('Enter');
  const row = page.getByRole('table', { name: 'Team Store' }).getByRole('row', { name: /wizard-dev-device/ });
  await expect(row).toContainText('Update');
  await expect(row).toContainText(`${fingerprint.slice(0, 8)}…${fingerprint.slice(-8)}`);
  await expect(row.getByRole('cell').nth(3)).toHaveText(until);

  // The wizard remembers the domain and model for next time.
  await tabTo(page, page.getByRole('button', { name: 'New update certificate' }));
  await page.keyboard.press('Enter');
  await expect(domain).toHaveValue('arm.com');
  await expect(model).toHaveValue('dev-device');
  await expect(page.getByText('Filled in from your last update certificate.')).toBeVisible();

  // Into the same folder again: the review says what would be kept and offers to overwrite.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Subject' })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 4 of 6: Validity' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(folder).toBeFocused();
  await expect(folder).toHaveValue(join(host.home, 'update-certificates', 'dev-device'));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(target);
  await expect(page.getByText('update_default_resources.c already exists in this folder and will be kept as it is.')).toBeVisible();
  await expect(page.getByText('This folder already has a certificate and key: they will be reused')).toBeVisible();
  const overwrite = page.getByRole('checkbox', { name: /Overwrite: make a new certificate and key and replace update_default_resources.c/ });
  await tabTo(page, overwrite);
  await page.keyboard.press('Space');
  await expect(overwrite).toBeChecked();
  await expect(page.getByRole('status').filter({ hasText: 'will be replaced with a new certificate and key' })).toBeVisible();
  await fullPageShot(page, `${shots}/wizard-4-review-overwrite.png`);
  await tabTo(page, page.getByRole('button', { name: 'Create certificate' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 6 of 6: Done' })).toBeVisible();
  const second = (await page.getByTestId('fingerprint').textContent())!.replace(/:/g, '');
  expect(second).not.toBe(fingerprint);
  await expect(written.getByRole('listitem')).toHaveCount(4);
  expect(readFileSync(join(target, 'update_default_resources.c'), 'utf8')).not.toBe(cFile);
});
