import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../support/web-host';
import { MIN_WINDOW } from '../../../electron/main/window-size';
import { createLocalIdentityStore } from '../../../electron/services/identities/local-identity-store';
import { devCertAuditEntry } from '../../support/audit-entries';
import { registryFixtures } from '../../support/identity-registry';

test.use({ viewport: { width: MIN_WINDOW.width, height: MIN_WINDOW.height } });

/** What the page would scroll sideways by: content wider than the window. */
const pageOverflow = (page: Page) =>
  page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });

/** Whether the element, scrolled into view within its scroll container, lies inside the window. */
async function reachable(el: Locator, page: Page): Promise<boolean> {
  await el.evaluate((e) => e.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
  const box = await el.boundingBox();
  const viewport = page.viewportSize()!;
  return box !== null && box.x >= -1 && box.x + box.width <= viewport.width + 1;
}

/**
 * At the app's minimum window size no screen scrolls the whole page sideways (the sidebar would scroll away),
 * and the last column of each table can be brought into view. The Devices grid has its own test.
 */
test('at the minimum window size no screen overflows sideways and every table column is reachable', async ({ page, host }) => {
  // A history entry and an identity with long values, as a real line has them.
  const long = 'mbed-linux-os-with-a-rather-long-host-name-1';
  appendFileSync(
    join(host.dataDir, 'audit.jsonl'),
    `${JSON.stringify(
      devCertAuditEntry('fe80::70:77ff:fe00:101%eth0', {
        device: { name: long, hostname: long, addresses: ['fe80::70:77ff:fe00:101%eth0', '169.254.20.1'] },
        result: 'failed',
        stage: 'provision',
        error: { code: 'utility-failed', message: 'the provisioning utility failed (exit 1): KCM_STATUS_STORAGE_ERROR' },
      }),
    )}\n`,
  );
  const { provisionOne } = registryFixtures({
    template: '{hostname}',
    reservedAt: () => new Date(),
    issuedAt: new Date(),
    settledAt: new Date(),
  });
  await provisionOne(createLocalIdentityStore(host.dataDir), 1);

  await page.goto(host.url);
  const screens: Array<{ link: string; lastColumn?: string }> = [
    { link: 'Certificates' },
    { link: 'Provisioning' },
    { link: 'History', lastColumn: 'Duration' },
    { link: 'Identities', lastColumn: 'CA · run' },
    { link: 'Settings' },
  ];
  for (const { link, lastColumn } of screens) {
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: new RegExp(`^${link}`) })
      .click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (lastColumn) await expect(page.getByRole('row')).not.toHaveCount(0);
    expect(await pageOverflow(page), `${link}: the page scrolls sideways`).toBeLessThanOrEqual(0);
    if (lastColumn) expect(await reachable(page.getByRole('columnheader', { name: lastColumn }), page), `${link}: ${lastColumn} column`).toBe(true);
    await page.screenshot({ path: `test-results/screenshots/minimum-window-${link.toLowerCase()}.png` });
  }
});
