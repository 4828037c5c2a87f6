import { test, expect } from '../support/web-host';

/** A checkbox sits at the start of its label, its text beside it on the same line, as everywhere else in the app. */
test('every Settings checkbox is on the line of its label, at its left', async ({ page, host }) => {
  await page.goto(host.url);
  await page.keyboard.press('Alt+6');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const boxes = page.getByRole('main').getByRole('checkbox');
  await expect(boxes.first()).toBeVisible();
  const count = await boxes.count();
  expect(count).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < count; i++) {
    const box = boxes.nth(i);
    // Where the label's own words start: the first non-empty text node after the checkbox.
    const { name, text } = await box.evaluate((el) => {
      const label = (el as unknown as { labels: Array<{ childNodes: ArrayLike<{ nodeType: number; textContent: string }> }> }).labels[0]!;
      const node = Array.from(label.childNodes).find((n) => n.nodeType === 3 && n.textContent.trim() !== '')!;
      const doc = (
        globalThis as unknown as {
          document: { createRange(): { selectNodeContents(n: unknown): void; getClientRects(): ArrayLike<{ x: number; y: number; height: number }> } };
        }
      ).document;
      const range = doc.createRange();
      range.selectNodeContents(node);
      const r = range.getClientRects()[0]!;
      return { name: node.textContent.trim().slice(0, 40), text: { x: r.x, y: r.y, height: r.height } };
    });
    const b = (await box.boundingBox())!;
    expect(b.x + b.width, `${name}: the words start right of the checkbox`).toBeLessThanOrEqual(text.x + 1);
    expect(Math.abs(b.y + b.height / 2 - (text.y + text.height / 2)), `${name}: the checkbox is on the words' first line`).toBeLessThan(text.height);
  }
});
