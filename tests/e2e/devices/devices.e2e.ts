import { mkdirSync } from 'node:fs';
import { test, expect } from '../support/web-host';
import { labFault, labHeal } from '../../lab/lab';
import { dismissToasts, requireUiLab } from '../provisioning/provisioning-helpers';

/**
 * Devices against the real lab (10 boards: 9 MBL, device 9 IPv6-only, device 10 a plain Linux box),
 * discovered live over mDNS by the web host running in the lab's workstation namespace.
 */
test('devices appear live, filter, keyboard multi-select, add by address', async ({ page, host }) => {
  const lab = requireUiLab();
  await page.goto(host.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();

  const grid = page.getByRole('grid', { name: 'Devices' });
  const rows = grid.locator('[role="row"][data-device-id]');
  // Live: the boards show up by themselves, without pressing Refresh.
  await expect(rows).toHaveCount(lab.devices.length, { timeout: 30_000 });
  for (const d of lab.devices) await expect(rows.filter({ hasText: d.hostname }).first()).toBeVisible();
  await expect(rows.filter({ hasText: 'linux-box-10' }).getByText('other')).toBeVisible();
  await expect(
    rows
      .filter({ hasText: /mbed-linux-os-1(?!\d)/ })
      .first()
      .getByText('MBL', { exact: true }),
  ).toBeVisible();
  // Device 9 is IPv6-only: its address carries the interface scope.
  await expect(rows.filter({ hasText: /mbed-linux-os-9(?!\d)/ })).toContainText(`${lab.devices[8]!.ipv6}%${lab.iface}`);

  // Filter: by name, then by address.
  const filter = page.getByRole('searchbox', { name: 'Filter devices' });
  await filter.fill('linux-box');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('linux-box-10');
  await filter.fill('169.254.20.3');
  await expect(rows).toHaveCount(lab.devices.filter((d) => d.ipv4?.startsWith('169.254.20.3')).length);
  await expect(rows.filter({ hasText: /mbed-linux-os-3(?!\d)/ })).toHaveCount(1);
  await filter.fill('mbed');
  await expect(rows).toHaveCount(lab.devices.filter((d) => d.hostname.startsWith('mbed')).length);
  await filter.fill('');
  await expect(rows).toHaveCount(lab.devices.length);

  // Sorting: Name descending puts linux-box-10 (l) below the mbed-… ones, then back.
  const nameHeader = grid.getByRole('columnheader', { name: /Name/ });
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
  const last = lab.devices.filter((d) => d.isMbl).sort((a, b) => b.index - a.index)[0]!.hostname;
  await expect(rows.first()).toContainText(new RegExp(`${last}(?!\\d)`));
  await nameHeader.getByRole('button').click();
  await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows.first()).toContainText('linux-box-10');

  // Keyboard multi-select: focus the grid, ↓ to the first row, Space selects, Shift+↓ twice extends to three.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  const selected = grid.locator('[role="row"][aria-selected="true"]');
  await expect(selected).toHaveCount(3);
  await expect(page.getByText('3 selected')).toBeVisible();
  const picked = await selected.evaluateAll((els) => els.map((e) => e.getAttribute('data-device-id')));
  expect(picked).toEqual(await rows.evaluateAll((els) => els.slice(1, 4).map((e) => e.getAttribute('data-device-id'))));
  // Ctrl+A selects all, Escape clears, then pick three again with Space on separate rows.
  await page.keyboard.press('Control+a');
  await expect(selected).toHaveCount(lab.devices.length);
  await page.keyboard.press('Escape');
  await expect(selected).toHaveCount(0);
  await page.keyboard.press('Home');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await page.keyboard.press('End');
  await page.keyboard.press('Space');
  await expect(selected).toHaveCount(3);
  await expect(selected.first()).toContainText('linux-box-10');
  // Ctrl-click adds a fourth with the mouse.
  await rows.filter({ hasText: 'mbed-linux-os-5' }).click({ modifiers: ['Control'], position: { x: 400, y: 10 } });
  await expect(selected).toHaveCount(4);

  // Add by address: a bad address names the field; an IPv6 link-local with scope and port is accepted.
  await page.getByRole('button', { name: 'Add device by address…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device by address' });
  await dialog.getByLabel('Address', { exact: true }).fill('300.1.2.3');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Address "300.1.2.3" is not a valid IPv4 address');
  await expect(dialog.getByLabel('Address', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Address', { exact: true }).fill('fe80::1');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/Address .*%/);
  const nine = lab.devices[8]!;
  await dialog.getByLabel('Address', { exact: true }).fill(`[${nine.ipv6}%${lab.iface}]:22`);
  await dialog.getByLabel('Port (optional)').fill('99999');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Port');
  await expect(dialog.getByLabel('Port (optional)')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Port (optional)').fill('');
  await dialog.getByLabel('Nickname (optional)').fill('bench-nine');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  // Board 9 announces itself: the list already has it.
  await expect(dialog.getByRole('alert')).toContainText(`reaches ${nine.hostname}, which the list already shows (found on the network): use that row`);
  await dialog.getByLabel('Address', { exact: true }).fill(`[fe80::99%${lab.iface}]:22`);
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog).toBeHidden();
  const added = rows.filter({ hasText: 'bench-nine' });
  await expect(added).toHaveCount(1);
  await expect(added).toContainText('manual');
  await expect(rows).toHaveCount(lab.devices.length + 1);

  // Favourite: the starred device moves to the top and stays after a reload (kept in settings).
  await rows.filter({ hasText: 'mbed-linux-os-7' }).getByRole('button', { name: 'Favourite mbed-linux-os-7' }).click();
  await expect(rows.first()).toContainText('mbed-linux-os-7');
  await page.reload();
  await expect(rows.first()).toContainText('mbed-linux-os-7', { timeout: 30_000 });
  await expect(rows.filter({ hasText: 'bench-nine' })).toHaveCount(1);

  // Click, then Shift-click: the range between them.
  await rows.filter({ hasText: 'mbed-linux-os-2' }).click({ position: { x: 400, y: 10 } });
  await rows.filter({ hasText: 'mbed-linux-os-4' }).click({ modifiers: ['Shift'], position: { x: 400, y: 10 } });
  await expect(selected).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Provision selected (3)' })).toBeEnabled();

  // Check status on three: two boards answer (provisioned or not, with the utility's message); the
  // key-only board refuses a login without the lab key, and the failure names it and the reason.
  await page.keyboard.press('Escape');
  await rows.filter({ hasText: /mbed-linux-os-1(?!\d)/ }).click({ position: { x: 400, y: 10 } });
  await rows.filter({ hasText: 'linux-box-10' }).click({ modifiers: ['Control'], position: { x: 400, y: 10 } });
  await rows.filter({ hasText: 'mbed-linux-os-8' }).click({ modifiers: ['Control'], position: { x: 400, y: 10 } });
  await page.getByRole('button', { name: 'Check status' }).click();
  const status = page.locator('.probe-results');
  await expect(status.getByRole('heading', { name: 'Status check' })).toBeVisible({ timeout: 60_000 });
  await expect(status.getByRole('listitem').filter({ hasText: /mbed-linux-os-1(?!\d)/ })).toContainText(/provisioned/);
  await expect(status.getByRole('listitem').filter({ hasText: 'linux-box-10' })).toContainText(/provisioned/);
  const failures = status.getByRole('alert');
  await expect(failures).toContainText(/mbed-linux-os-8.*auth-refused/);
  await expect(failures).not.toContainText('linux-box-10');
  await expect(rows.filter({ hasText: 'mbed-linux-os-8' })).toContainText('auth-refused');
  await page.getByRole('button', { name: 'Close' }).click();

  // Nickname: shown instead of the name (the name stays beside it), and the filter finds it.
  await page.getByRole('button', { name: 'Rename mbed-linux-os-5' }).click();
  const rename = page.getByRole('dialog', { name: 'Nickname for mbed-linux-os-5' });
  await rename.getByLabel('Nickname').fill('bench-five');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(rename).toBeHidden();
  await expect(rows.filter({ hasText: 'bench-five' })).toContainText('mbed-linux-os-5');
  await filter.fill('bench-f');
  await expect(rows).toHaveCount(1);
  await filter.fill('');

  // Select three for the screenshot.
  await rows.filter({ hasText: 'mbed-linux-os-2' }).click({ position: { x: 400, y: 10 } });
  await rows.filter({ hasText: 'mbed-linux-os-4' }).click({ modifiers: ['Shift'], position: { x: 400, y: 10 } });
  await expect(selected).toHaveCount(3);
  await dismissToasts(page);
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: 'test-results/screenshots/devices.png' });
});

test('a device that goes away is greyed, not dropped, and comes back', async ({ page, host }) => {
  const lab = requireUiLab();
  await page.goto(host.url);
  const rows = page.getByRole('grid', { name: 'Devices' }).locator('[role="row"][data-device-id]');
  await expect(rows).toHaveCount(lab.devices.length, { timeout: 30_000 });
  const box = rows.filter({ hasText: 'linux-box-10' });
  await expect(box.getByText('online')).toBeVisible();
  // avahi-down stops the board's avahi with SIGTERM: it says goodbye, discovery marks it not present.
  await labFault(10, 'avahi-down');
  try {
    await expect(box.getByText('gone', { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(box).toHaveClass(/\bgone\b/);
    await expect(rows).toHaveCount(lab.devices.length);
    await expect(page.getByText(`${lab.devices.length} devices, 1 gone`)).toBeVisible();
  } finally {
    await labHeal(10, 'avahi-down');
  }
  await expect(box.getByText('online')).toBeVisible({ timeout: 30_000 });
  await expect(box).not.toHaveClass(/\bgone\b/);
});
