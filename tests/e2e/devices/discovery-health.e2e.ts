import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { test, expect } from '../support/web-host';
import { expectNoAxeViolations } from '../support/axe';
import { requireUiLab } from '../provisioning/provisioning-helpers';
import { labExtraDown, labExtraUp, startResponder } from '../../lab/lab';

/**
 * What the Devices screen says when mDNS can't work, against the real web host in the lab's workstation namespace.
 * nftables stands in for the OS: an output rule makes every send to UDP 5353 fail with EPERM (as macOS 15 does until
 * Local Network access is allowed); an input rule makes every mDNS packet vanish (a firewall, a wrong interface).
 * Each rule lives in its own table, removed again whatever happens.
 */
function nftTable(name: string, hook: 'input' | 'output'): { remove(): void } {
  const rules = `table inet ${name} {\n chain c {\n type filter hook ${hook} priority 0; udp dport 5353 drop;\n }\n}\n`;
  try {
    execFileSync('nft', ['-f', '-'], { input: rules, stdio: ['pipe', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(`nft could not add a rule (apt-get install nftables): ${(err as Error).message}`, { cause: err });
  }
  let removed = false;
  return {
    remove() {
      if (removed) return;
      removed = true;
      execFileSync('nft', ['delete', 'table', 'inet', name]);
    },
  };
}

test('refused mDNS sends are explained, and boards appear once sending is allowed again', async ({ page, host }) => {
  const lab = requireUiLab();
  const refusal = nftTable('pwse2erefused', 'output');
  try {
    await page.goto(host.url);
    const banner = page.getByRole('alert').filter({ hasText: "The operating system refuses this app's mDNS queries" });
    await expect(banner).toBeVisible({ timeout: 15_000 });
    await expect(banner).toContainText('EPERM on eth0');
    await expect(banner).toContainText('Local Network');
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/devices-mdns-refused.png' });
    await expectNoAxeViolations(page, 'Devices while mDNS sends are refused');
    refusal.remove();
    const rows = page.getByRole('grid', { name: 'Devices' }).locator('[role="row"][data-device-id]');
    // retried every second while refused, then browsing starts over: no back-off delay
    await expect(rows).toHaveCount(lab.devices.length, { timeout: 5_000 });
    await expect(banner).toBeHidden();
  } finally {
    refusal.remove();
  }
});

test('when no mDNS packet ever arrives, the empty state says so and what to check', async ({ page, host }) => {
  requireUiLab();
  const silence = nftTable('pwse2esilent', 'input');
  try {
    await page.goto(host.url);
    const empty = page.getByRole('status').filter({ hasText: 'No devices found yet' });
    await expect(empty).toContainText(/No mDNS packet has arrived in \d+ s on eth0/, { timeout: 15_000 });
    await expect(empty).toContainText('UDP port 5353');
    await expect(empty).toContainText('one of these interfaces: eth0');
    await expect(empty).toContainText('passes multicast');
    mkdirSync('test-results/screenshots', { recursive: true });
    await page.screenshot({ path: 'test-results/screenshots/devices-no-mdns.png' });
    await expectNoAxeViolations(page, 'the Devices empty state');
  } finally {
    silence.remove();
  }
});

test('Add device resolves NAME.local with the app’s own mDNS query (no nss-mdns here); an unknown name is refused', async ({ page, host }) => {
  const lab = requireUiLab();
  const board = lab.devices.find((d) => d.index === 3)!;
  // A machine on the bench that answers for its name but announces no SSH service, so discovery does not list it.
  const ns = await labExtraUp('benchp', { ipv4: '169.254.34.1/16' });
  const responder = await startResponder(ns, { mode: 'host', from: '169.254.34.1', host: 'bench-pc.local', ipv4: '169.254.34.1' });
  try {
    await page.goto(host.url);
    const rows = page.getByRole('grid', { name: 'Devices' }).locator('[role="row"][data-device-id]');
    await expect(rows).toHaveCount(lab.devices.length, { timeout: 30_000 });

    await page.getByRole('button', { name: 'Add device by address…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add device by address' });
    const address = dialog.getByLabel('Address', { exact: true });
    await address.fill('no-such-board.local');
    await dialog.getByRole('button', { name: 'Add device' }).click();
    await expect(dialog.getByRole('alert')).toContainText('"no-such-board.local" does not resolve', { timeout: 10_000 });
    await expect(address).toHaveAttribute('aria-invalid', 'true');

    // A listed board's name resolves too, and is refused with the row to use.
    await address.fill(`${board.hostname}.local`);
    await dialog.getByRole('button', { name: 'Add device' }).click();
    await expect(dialog.getByRole('alert')).toContainText(`reaches ${board.hostname}, which the list already shows`, { timeout: 10_000 });

    await address.fill('bench-pc.local');
    await dialog.getByLabel('Nickname (optional)').fill('by-name');
    await dialog.getByRole('button', { name: 'Add device' }).click();
    await expect(dialog).toBeHidden({ timeout: 10_000 });
    const added = rows.filter({ hasText: 'by-name' });
    await expect(added).toContainText('manual');
    await expect(added).toContainText('169.254.34.1');
  } finally {
    responder.child.kill();
    await labExtraDown('benchp');
  }
});

test('"Last seen" shows when a board last answered, and moves on while it stays online', async ({ page, host }) => {
  const lab = requireUiLab();
  await page.goto(host.url);
  const rows = page.getByRole('grid', { name: 'Devices' }).locator('[role="row"][data-device-id]');
  await expect(rows).toHaveCount(lab.devices.length, { timeout: 30_000 });
  const lastSeen = rows
    .filter({ hasText: /mbed-linux-os-1(?!\d)/ })
    .locator('[role="gridcell"]')
    .nth(7);
  await expect(lastSeen).toHaveText('just now');
  await expect(lastSeen).toHaveText(/^\d+ s ago$/, { timeout: 15_000 });
  // Refresh asks every board to answer (no known answers): its last-seen time comes back to now
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(lastSeen).toHaveText('just now', { timeout: 10_000 });
});
