import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from '../support/web-host';
import { startHost, type RunningHost } from '../support/web-host';
import { startCloudEmulator, type CloudEmulator, type CloudEmulatorOptions } from '../../cloud-emulator/emulator';
import { requireLabWorkstation, type LabState } from '../../lab/lab';

/**
 * The lab these UI tests are written for: `up 10 --non-mbl 10 --ipv6-only 9 --key-only 8` (device 8
 * key-only, 9 IPv6-only, 10 a plain Linux box). Fails with one clear line when a lab of another shape is up.
 */
const execFileAsync = promisify(execFile);

export function requireUiLab(): LabState {
  const lab = requireLabWorkstation();
  const d = (i: number) => lab.devices.find((x) => x.index === i);
  if (lab.devices.length < 10 || d(8)?.mode !== 'key-only' || d(9)?.ipv4 !== null || d(10)?.isMbl !== false) {
    throw new Error(`these tests need the lab up as \`up 10 --non-mbl 10 --ipv6-only 9 --key-only 8\`; the running lab is ${lab.shape}`);
  }
  return lab;
}

export interface ProvisioningRig {
  emu: CloudEmulator;
  host: RunningHost;
  /** Runs the built pws CLI with the host's HOME and data folder; answers its stdout. */
  pws(...args: string[]): string;
  /** The same without blocking this process, for commands that talk to the emulator it runs. */
  pwsAsync(...args: string[]): Promise<string>;
  /** The folder `pws init` wrote update_default_resources.c into. */
  updateDir: string;
  close(): Promise<void>;
}

/**
 * A web host wired to a fresh cloud-emulator account (the developer certificate is created in it), and an
 * update certificate made by `pws init` in a temporary folder.
 */
export async function startProvisioningRig(emulator: CloudEmulatorOptions = {}): Promise<ProvisioningRig> {
  const emu = await startCloudEmulator(emulator);
  const apiKey = `ak_${randomBytes(16).toString('hex')}`;
  emu.addAccount({ name: 'Lab bench', apiKey });
  const host = await startHost({ PWS_API_URL: emu.url, PWS_API_KEY: apiKey });
  const env = { ...process.env, HOME: host.home, PWS_DATA_DIR: host.dataDir, PWS_API_URL: emu.url, PWS_API_KEY: apiKey };
  const pws = (...args: string[]) => execFileSync(process.execPath, ['bin/pws.cjs', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const pwsAsync = async (...args: string[]) => (await execFileAsync(process.execPath, ['bin/pws.cjs', ...args], { env, encoding: 'utf8' })).stdout;
  const updateDir = mkdtempSync(join(tmpdir(), 'pws-e2e-update-'));
  pws('init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', updateDir);
  return {
    emu,
    host,
    pws,
    pwsAsync,
    updateDir,
    async close() {
      await host.stop();
      await emu.close();
    },
  };
}

/** Opens Devices, waits for the lab's boards, and selects the given hostnames (click, then Ctrl-click). */
export async function selectDevices(page: Page, hostnames: string[], expectedTotal: number): Promise<void> {
  const rows = page.getByRole('grid', { name: 'Devices' }).locator('[role="row"][data-device-id]');
  // The grid is windowed: count what the header says, not the rows in the DOM.
  await expect(page.getByText(new RegExp(`^${expectedTotal} devices`))).toBeVisible({ timeout: 30_000 });
  for (const [i, name] of hostnames.entries()) {
    await rows.filter({ hasText: new RegExp(`${name}(?!\\d)`) }).click({ position: { x: 400, y: 10 }, modifiers: i === 0 ? [] : ['Control'] });
  }
  await expect(page.getByRole('grid', { name: 'Devices' }).locator('[aria-selected="true"]')).toHaveCount(hostnames.length);
}

/** Sets "Devices provisioned at once" on the Settings screen (a small number makes a run long enough to watch live). */
export async function setConcurrency(page: Page, n: number): Promise<void> {
  await page.getByRole('link', { name: /^Settings/ }).click();
  const input = page.getByLabel('Devices provisioned at once');
  await input.fill(String(n));
  await input.blur();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.getByRole('link', { name: /^Devices/ }).click();
}

/** Closes the toasts so a screenshot shows the screen, not the notifications over it. */
export async function dismissToasts(page: Page): Promise<void> {
  const buttons = page.locator('.toasts').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}
