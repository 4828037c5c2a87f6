import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
// @peculiar/x509 needs the reflect polyfill loaded first (environment notes).
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { parseCSymbols } from '../../../shared/domain/credentials-c-file';
import { classIdFromModel, uuidToBytes } from '../../../shared/domain/uuid5';
import { tabTo } from '../support/keyboard';
import { test, expect } from '../support/web-host';
import { fullPageShot } from '../support/screenshots';

/**
 * The wizard's Advanced step (issue 13): custom vendor and class IDs (`pws init -V/-C`) and an existing
 * certificate and key (`-c/-k`), each compared with what the real `pws init` writes for the same inputs.
 */
const shots = 'test-results/screenshots';
const fixtures = resolve('tests/fixtures/update-cert');
const FILES = ['.update-certificates/default.der', '.update-certificates/default.key.pem', '.manifest_tool.json', 'update_default_resources.c'];
const CUSTOM_VENDOR = '0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0';
const CUSTOM_CLASS = '11111111-2222-4333-8444-555555555555';

/** `node bin/pws.cjs init …` as a user runs it, with a HOME of its own. */
function pwsInit(args: string[]): void {
  const home = mkdtempSync(join(tmpdir(), 'pws-e2e-cli-home-'));
  execFileSync(process.execPath, ['bin/pws.cjs', 'init', '-q', ...args], {
    stdio: 'pipe',
    env: { ...process.env, HOME: home, PWS_DATA_DIR: join(home, 'data') },
  });
}

const read = (dir: string, file: string) => readFileSync(join(dir, file));
/** A field's description starts with its error; the hint follows. */
const startsWith = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

/** Certificates → New update certificate → Identity filled → the Advanced step, all by keyboard. */
async function openAdvancedStep(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await page.keyboard.press('Alt+2');
  await tabTo(page, page.getByRole('button', { name: 'New update certificate' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Vendor domain')).toBeFocused();
  await page.keyboard.type('arm.com');
  await page.keyboard.press('Tab');
  await page.keyboard.type('dev-device');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  await expect(page.getByLabel('Vendor ID')).toBeFocused();
}

/** What a certificate says apart from its key, serial and dates (which are random or the moment it was made). */
function profile(der: Buffer) {
  const x = new X509Certificate(der);
  const node = new NodeX509(der);
  const spki = Buffer.from(x.publicKey.rawData);
  const ski = x.extensions.find((e) => e.type === '2.5.29.14')!;
  return {
    subject: x.subject,
    issuer: x.issuer,
    signature: JSON.stringify(x.signatureAlgorithm),
    curve: node.publicKey.asymmetricKeyDetails?.namedCurve,
    validDays: (x.notAfter.getTime() - x.notBefore.getTime()) / 86_400_000,
    // In order; the SKI's value must be the first 20 bytes of SHA-256 over the key (compat-formats 1.3), the rest byte for byte.
    extensions: x.extensions.map((e) => [e.type, e.critical, e === ski ? 'ski' : Buffer.from(e.value).toString('hex')]),
    skiIsSha256OfKey: Buffer.from(ski.value).toString('hex').endsWith(createHash('sha256').update(spki).digest().subarray(0, 20).toString('hex')),
    // Issuer = subject and signed by its own key (checkIssued would want keyCertSign, which this profile leaves out).
    selfSigned: node.issuer === node.subject && node.verify(node.publicKey),
  };
}

/** The C file with the three certificate-dependent arrays blanked: everything else must match byte for byte. */
const withoutCertificateBytes = (text: string) =>
  text.replace(/(arm_uc_default_(?:fingerprint|subject_key_identifier|certificate)\[\] *= *\{)[^}]*\}/g, '$1 … }');

/** The C file's arrays are this folder's certificate and the given IDs. */
function expectCFileMatches(dir: string, ids: { vendorId: string; classId: string }): void {
  const parsed = parseCSymbols(read(dir, 'update_default_resources.c').toString('utf8'));
  if (!parsed.ok) throw new Error(parsed.message);
  const der = read(dir, FILES[0]!);
  const bytes = (name: string) => Buffer.from(parsed.value.get(name)!.value);
  expect(bytes('arm_uc_vendor_id')).toEqual(Buffer.from(uuidToBytes(ids.vendorId)));
  expect(bytes('arm_uc_class_id')).toEqual(Buffer.from(uuidToBytes(ids.classId)));
  expect(bytes('arm_uc_default_certificate')).toEqual(der);
  expect(bytes('arm_uc_default_fingerprint')).toEqual(createHash('sha256').update(der).digest());
}

test('custom vendor and class IDs in the Advanced step write what `pws init -V -C` writes for the same inputs', async ({ page, host }) => {
  const target = join(host.home, 'firmware', 'custom-ids');
  await openAdvancedStep(page, host.url);
  const vendorId = page.getByLabel('Vendor ID');
  const classId = page.getByLabel('Class ID');
  // The derived IDs are the defaults.
  await expect(vendorId).toHaveValue('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe');
  await expect(classId).toHaveValue('4d131344-feab-5a2e-84a2-0dccdd905f35');
  await expect(vendorId).toHaveAccessibleDescription(/Default: derived from the vendor domain arm\.com/);

  // A typo is refused on Next with the field named, announced, and focus on the field.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('0f1e2d3c-4b5a-4978-8796');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Vendor ID "0f1e2d3c-4b5a-4978-8796" is not a valid UUID' })).toBeVisible();
  await expect(vendorId).toHaveAttribute('aria-invalid', 'true');
  await expect(vendorId).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();

  // The full UUID: the class ID's default now derives from it and the model.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(CUSTOM_VENDOR.toUpperCase());
  await expect(vendorId).not.toHaveAttribute('aria-invalid', 'true');
  await expect(classId).toHaveValue(classIdFromModel(CUSTOM_VENDOR, 'dev-device'));
  await page.keyboard.press('Tab');
  await expect(classId).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(CUSTOM_CLASS);
  await fullPageShot(page, `${shots}/wizard-2-advanced-ids.png`);
  await page.keyboard.press('Enter');

  // Subject and validity as usual.
  await expect(page.getByRole('heading', { name: 'Step 3 of 6: Subject' })).toBeVisible();
  await page.keyboard.type('United Kingdom');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Cambridge');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Arm Ltd');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 4 of 6: Validity' })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('3650');
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: 'Step 5 of 6: Review' })).toBeVisible();
  const review = page.locator('.review-list');
  await expect(review).toContainText(CUSTOM_VENDOR);
  await expect(review).toContainText(CUSTOM_CLASS);
  await expect(review).toContainText('C=GB, L=Cambridge, O=Arm Ltd, CN=arm.com');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(target);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 6 of 6: Done' })).toBeVisible();
  await fullPageShot(page, `${shots}/wizard-6-done-custom-ids.png`);

  const cli = mkdtempSync(join(tmpdir(), 'pws-e2e-init-V-C-'));
  pwsInit([
    '-V',
    CUSTOM_VENDOR,
    '-C',
    CUSTOM_CLASS,
    '--country',
    'GB',
    '--locality',
    'Cambridge',
    '--organization',
    'Arm Ltd',
    '--common-name',
    'arm.com',
    '--days',
    '3650',
    '--dir',
    cli,
  ]);

  // Byte for byte where nothing random goes in: the settings file, and the C file around the certificate.
  expect(read(target, '.manifest_tool.json').toString('utf8')).toBe(read(cli, '.manifest_tool.json').toString('utf8'));
  expect(JSON.parse(read(target, '.manifest_tool.json').toString('utf8'))).toMatchObject({
    vendorId: CUSTOM_VENDOR,
    classId: CUSTOM_CLASS,
    vendorDomain: null,
    modelName: null,
  });
  expect(withoutCertificateBytes(read(target, 'update_default_resources.c').toString('utf8'))).toBe(
    withoutCertificateBytes(read(cli, 'update_default_resources.c').toString('utf8')),
  );
  expectCFileMatches(target, { vendorId: CUSTOM_VENDOR, classId: CUSTOM_CLASS });
  expectCFileMatches(cli, { vendorId: CUSTOM_VENDOR, classId: CUSTOM_CLASS });
  // The certificate (new key, random serial, made at another moment): the same profile.
  const wizardCert = profile(read(target, FILES[0]!));
  expect(wizardCert).toEqual(profile(read(cli, FILES[0]!)));
  expect(wizardCert).toMatchObject({
    subject: 'C=GB, L=Cambridge, O=Arm Ltd, CN=arm.com',
    curve: 'prime256v1',
    validDays: 3650,
    skiIsSha256OfKey: true,
    selfSigned: true,
  });
  for (const dir of [target, cli]) {
    expect(statSync(join(dir, FILES[1]!)).mode & 0o777).toBe(0o600);
    expect(read(dir, FILES[1]!).toString('utf8')).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(new NodeX509(read(dir, FILES[0]!)).checkPrivateKey(createPrivateKey(read(dir, FILES[1]!)))).toBe(true);
  }
});

test('an existing certificate and key are checked like `pws init -c -k`, and then written byte for byte as it writes them', async ({ page, host }) => {
  // The app's minimum window (electron/main/window.ts): the step must fit without sideways scrolling.
  await page.setViewportSize({ width: 900, height: 600 });
  const target = join(host.home, 'firmware', 'existing');
  const cert = join(fixtures, 'default.der');
  const key = join(fixtures, 'default.key.pem');
  const otherKey = join(host.home, 'other.key.pem');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', otherKey]);

  await openAdvancedStep(page, host.url);
  // The choice is a radio group: Tab reaches it, the arrow keys choose.
  await tabTo(page, page.getByRole('radio', { name: /Make a new self-signed certificate/ }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Use an existing certificate and key' })).toBeChecked();
  const certField = page.getByLabel('Certificate file (DER or PEM)');
  const keyField = page.getByLabel('Private key file (PEM or DER)');
  // Steps the certificate makes unnecessary are marked as such.
  await expect(page.getByRole('list', { name: 'Wizard steps' }).getByRole('listitem').filter({ hasText: 'Subject' })).toContainText('not needed');

  // Next with nothing typed: both fields named, and focus on the first.
  await page.keyboard.press('Enter');
  await expect(certField).toHaveAttribute('aria-invalid', 'true');
  await expect(keyField).toHaveAttribute('aria-invalid', 'true');
  await expect(certField).toHaveAccessibleDescription(/^Certificate file: enter the full path/);
  await expect(certField).toBeFocused();

  // A key that is not the certificate's: the core refuses it, under the key's field, naming both files.
  await page.keyboard.type(cert);
  await page.keyboard.press('Tab');
  await expect(keyField).toBeFocused();
  await page.keyboard.type(otherKey);
  await page.keyboard.press('Enter');
  await expect(keyField).toHaveAttribute('aria-invalid', 'true');
  await expect(keyField).toHaveAccessibleDescription(
    startsWith(`${otherKey} is not the private key of ${cert}: give the key that belongs to this certificate`),
  );
  await expect(keyField).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${shots}/wizard-2-advanced-existing-refused-900x600.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${shots}/wizard-2-advanced-existing-refused-900x600-dark.png` });
  await page.emulateMedia({ colorScheme: 'light' });
  // Nothing was written anywhere: checking reads only.
  expect(existsSync(join(host.home, 'update-certificates'))).toBe(false);

  // A missing file is named too.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(join(host.home, 'nope.pem'));
  await page.keyboard.press('Enter');
  await expect(keyField).toHaveAccessibleDescription(startsWith(`Cannot read the private key ${join(host.home, 'nope.pem')}: no such file`));

  // The right key: checked, and the wizard goes straight to the review.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(key);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 5 of 6: Review' })).toBeVisible();
  const review = page.locator('.review-list');
  await expect(review).toContainText(`Existing: ${cert}`);
  await expect(review).toContainText('C=GB, ST=Cambridgeshire, L=Cambridge, O=Example Devices Ltd, CN=arm.com');
  await expect(review).toContainText('as the certificate says');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(target);
  await page.screenshot({ path: `${shots}/wizard-5-review-existing-900x600.png` });
  // Back skips the subject and validity steps too.
  await tabTo(page, page.getByRole('button', { name: 'Back' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 2 of 6: Advanced' })).toBeVisible();
  await expect(keyField).toHaveValue(key);
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 5 of 6: Review' })).toBeVisible();
  await expect(page.getByLabel('Folder for the files')).toHaveValue(target);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Step 6 of 6: Done' })).toBeVisible();
  await expect(page.getByText('from the certificate and key you gave')).toBeVisible();
  const fingerprint = createHash('sha256').update(readFileSync(cert)).digest('hex');
  await expect(page.getByTestId('fingerprint')).toHaveText(fingerprint.match(/../g)!.join(':'));
  await page.screenshot({ path: `${shots}/wizard-6-done-existing-900x600.png` });

  // All four files byte for byte as `pws init -c -k` writes them (nothing random: the certificate and key are given).
  const cli = mkdtempSync(join(tmpdir(), 'pws-e2e-init-c-k-'));
  pwsInit(['-d', 'arm.com', '-m', 'dev-device', '-c', cert, '-k', key, '--dir', cli]);
  for (const f of FILES) expect(read(target, f), f).toEqual(read(cli, f));
  expect(statSync(join(target, FILES[1]!)).mode & 0o777).toBe(0o600);
  // And the C file from the first #ifdef is manifest-tool's own rendering of this certificate (the Python golden file).
  const cText = read(target, 'update_default_resources.c').toString('utf8');
  expect(cText.slice(cText.indexOf('#ifdef'))).toBe(readFileSync(join(fixtures, 'expected-update_default_resources.c'), 'utf8'));
});
