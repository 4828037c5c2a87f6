import type { Locator } from '@playwright/test';
import { test, expect } from '../support/web-host';
import { MIN_WINDOW } from '../../../electron/main/window-size';
import { requireUiLab } from '../provisioning/provisioning-helpers';

const columns = ['Selected', 'Favourite', 'Name', 'Addresses', 'MBL', 'Status', 'Provisioned', 'Last seen', 'Actions'];

/** Whether the element's box lies inside the scroll container's visible box (not clipped by it). */
async function inView(el: Locator, container: Locator): Promise<boolean> {
  const [a, b] = [await el.boundingBox(), await container.boundingBox()];
  return a !== null && b !== null && a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1;
}

test.use({ viewport: { width: MIN_WINDOW.width, height: MIN_WINDOW.height } });

/** At the app's minimum window size every column of the Devices grid can be scrolled into view. */
test('at the minimum window size every Devices column is reachable', async ({ page, host }) => {
  const lab = requireUiLab();
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Devices' });
  await expect(grid.locator('[role="row"][data-device-id]')).toHaveCount(lab.devices.length, { timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screenshots/devices-minimum-window.png' });

  // The page itself does not scroll sideways; the grid does.
  const pageWidth = await page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return { content: g.document.documentElement.scrollWidth, window: g.innerWidth };
  });
  expect(pageWidth.content).toBeLessThanOrEqual(pageWidth.window);
  const firstRow = grid.locator('[role="row"][data-device-id]').first();
  await expect(firstRow.getByRole('button', { name: /^Rename/ })).toBeVisible();
  for (const name of columns) {
    const header = grid.getByRole('columnheader', { name });
    await header.evaluate((el) => el.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
    expect(await inView(header, grid), `${name} column scrolls into view`).toBe(true);
  }
  // Each row spans every column (its background, border and selection tint do not stop at the grid's edge).
  for (const r of [grid.locator('.device-header'), firstRow]) {
    const [rowBox, lastCell] = [await r.boundingBox(), await r.locator('> [role="columnheader"], > [role="gridcell"]').last().boundingBox()];
    expect(rowBox!.x + rowBox!.width).toBeGreaterThanOrEqual(lastCell!.x + lastCell!.width - 1);
  }
  const rename = firstRow.getByRole('button', { name: /^Rename/ });
  await rename.evaluate((el) => el.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
  expect(await inView(rename, grid), 'the Rename action scrolls into view').toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/devices-minimum-window-scrolled.png' });
});

/** Typing a filter changes only the count and the rows: nothing above the list wraps or moves, at any width. */
test('the filter fits its placeholder, and typing in it neither wraps the toolbar nor moves the list', async ({ page, host }) => {
  const lab = requireUiLab();
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Devices' });
  await expect(grid.locator('[role="row"][data-device-id]')).toHaveCount(lab.devices.length, { timeout: 30_000 });
  const filter = page.getByRole('searchbox', { name: 'Filter devices' });
  const provision = page.getByRole('button', { name: /^Provision selected/ });
  for (const width of [MIN_WINDOW.width, 1024, 1280]) {
    await page.setViewportSize({ width, height: MIN_WINDOW.height });
    // The placeholder's text is no wider than the box it is drawn in (the search box's clear button takes its room
    // too): measured by showing the same text as the value, without an input event, and putting it back.
    const overflow = await filter.evaluate((el: { value: string; placeholder: string; scrollWidth: number; clientWidth: number }) => {
      el.value = el.placeholder;
      const over = el.scrollWidth - el.clientWidth;
      el.value = '';
      return over;
    });
    expect(overflow, `placeholder fits at ${width} px`).toBeLessThanOrEqual(0);

    const before = { grid: (await grid.boundingBox())!.y, button: (await provision.boundingBox())! };
    await filter.fill('mbed-linux');
    await expect(page.getByText(/of 10 shown/)).toBeVisible();
    const after = { grid: (await grid.boundingBox())!.y, button: (await provision.boundingBox())! };
    expect(after.grid, `the list stays put at ${width} px`).toBe(before.grid);
    expect(after.button, `"Provision selected" stays on its line at ${width} px`).toEqual(before.button);
    await filter.fill('');
  }
});
