import { test, expect } from '../support/web-host';

/** The Settings sections are one column of cards, each as wide as the others. */
test('every Settings section is a card of the same width, in one column', async ({ page, host }) => {
  await page.goto(host.url);
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const cards = page.getByRole('main').locator('.card');
  await expect(cards).toHaveCount(4);
  const boxes = await cards.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), width: Math.round(r.width) })));
  expect(new Set(boxes.map((b) => b.x)).size, JSON.stringify(boxes)).toBe(1);
  expect(new Set(boxes.map((b) => b.width)).size, JSON.stringify(boxes)).toBe(1);
});
