import { test, expect } from '../support/web-host';

/** The few browser globals the page-side checks use (the e2e tests are type-checked without the DOM library). */
interface PageGlobals {
  document: { documentElement: { scrollHeight: number }; querySelector(selector: string): object | null };
  getComputedStyle(el: object, pseudo?: string): { height: string; backgroundColor: string };
}

const sections = ['Devices', 'Certificates', 'Provisioning', 'History', 'Identities', 'Settings'];

test('the shell navigates every section by keyboard and shows the About panel', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();

  // Tab into the navigation: skip link first, then the section links in order.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  for (const name of sections) {
    await page.keyboard.press('Tab');
    const link = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: new RegExp(`^${name}`) });
    await expect(link).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(link).toHaveAttribute('aria-current', 'page');
  }

  // Alt+digit shortcuts jump straight to a section.
  await page.keyboard.press('Alt+1');
  await expect(page.getByRole('heading', { level: 1, name: 'Devices' })).toBeVisible();

  await page.getByRole('button', { name: 'About' }).click();
  const about = page.getByRole('dialog', { name: /About/ });
  await expect(about).toContainText('Loopback web host');
  await expect(about).toContainText(/node/);
  await page.keyboard.press('Escape');
  await expect(about).toBeHidden();

  await page.screenshot({ path: 'test-results/screenshots/shell.png' });
});

test('the web host refuses a page or socket without its token', async ({ page, host }) => {
  const bare = host.url.split('?')[0]!;
  const response = await page.request.get(bare);
  expect(response.status()).toBe(401);
  await page.goto(bare);
  const ws = await page.evaluate(
    async (wsUrl) => {
      return new Promise<string>((resolve) => {
        const s = new WebSocket(wsUrl);
        s.onopen = () => resolve('open');
        s.onerror = () => resolve('refused');
      });
    },
    `${bare.replace('http', 'ws')}ws`,
  );
  expect(ws).toBe('refused');
});

test('the sidebar column is painted down the whole page, also below a short window', async ({ page, host }) => {
  await page.setViewportSize({ width: 1024, height: 400 });
  await page.goto(host.url);
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const { pageHeight, columnHeight, columnBackground, sidebarBackground } = await page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const column = getComputedStyle(document.querySelector('.app')!, '::before');
    return {
      pageHeight: document.documentElement.scrollHeight,
      columnHeight: parseFloat(column.height),
      columnBackground: column.backgroundColor,
      sidebarBackground: getComputedStyle(document.querySelector('.sidebar')!).backgroundColor,
    };
  });
  expect(pageHeight).toBeGreaterThan(400);
  expect(Math.abs(columnHeight - pageHeight)).toBeLessThan(1); // scrollHeight is rounded to whole pixels
  expect(columnBackground).toBe(sidebarBackground);
});
