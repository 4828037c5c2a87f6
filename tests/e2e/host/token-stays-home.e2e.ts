import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from '../support/web-host';

/**
 * Cookies are not port-scoped: whatever the web host put in one, the browser would also hand to every other
 * service on 127.0.0.1. Real Chromium opens the app, uses it, then visits another local port: the token must
 * not arrive there.
 */
test('the token never travels to another port on 127.0.0.1', async ({ page, host }) => {
  const seen: IncomingHttpHeaders[] = [];
  const other = createServer((req, res) => {
    seen.push(req.headers);
    res.end('other service');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const token = new URL(host.url).searchParams.get('token')!;
    await page.goto(host.url);
    // the app works: its WebSocket is up (settings load through it)
    await page.getByRole('link', { name: /^Settings/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(page.getByLabel('Devices provisioned at once')).toHaveValue('8');

    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    await expect(page.locator('body')).toHaveText('other service');
    expect(seen.length).toBeGreaterThan(0); // the page, and the browser's favicon request
    for (const headers of seen) expect(JSON.stringify(headers)).not.toContain(token);
    expect((await page.context().cookies()).map((c) => c.value)).not.toContain(token);
  } finally {
    await new Promise((r) => other.close(r));
  }
});
