import type { Page } from '@playwright/test';
import { test, expect } from '../support/web-host';
import { requireUiLab } from '../provisioning/provisioning-helpers';

const screens = [
  { key: '1', title: 'Devices' },
  { key: '2', title: 'Certificates' },
  { key: '3', title: 'Provisioning' },
  { key: '4', title: 'History' },
  { key: '5', title: 'Identities' },
  { key: '6', title: 'Settings' },
];

/** The few browser globals the page-side code below uses (tests/e2e compiles without the DOM library). */
interface PageElement {
  parentElement: PageElement | null;
  tagName: string;
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  contains(other: unknown): boolean;
}
interface PageGlobals {
  document: { activeElement: PageElement | null; body: PageElement; querySelectorAll(selector: string): { forEach(f: (e: PageElement) => void): void } };
  getComputedStyle(el: PageElement, pseudo?: string): { outlineStyle: string; outlineWidth: string; outlineColor: string; backgroundColor: string };
}

interface FocusLook {
  what: string;
  /** Focused before in this walk (marked on the element). */
  again: boolean;
  outline: string;
  width: number;
  color: string;
  /** The first opaque background behind the ring (it is drawn outside the element). */
  behind: string;
}

/** How the focused element shows its focus. */
const focusLook = (page: Page): Promise<FocusLook | null> =>
  page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as PageGlobals;
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    let behind = 'rgb(255, 255, 255)';
    for (let p = el.parentElement; p; p = p.parentElement) {
      const bg = getComputedStyle(p).backgroundColor;
      if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') {
        behind = bg;
        break;
      }
    }
    const label = el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? '';
    const again = el.dataset.tabWalk === 'seen';
    el.dataset.tabWalk = 'seen';
    return {
      what: `${el.tagName.toLowerCase()} "${label}"`,
      again,
      outline: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
      color: style.outlineColor,
      behind,
    };
  });

function luminance(rgb: string): number {
  const [r, g, b] = rgb
    .match(/[\d.]+/g)!
    .slice(0, 3)
    .map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

for (const theme of ['light', 'dark'] as const) {
  /**
   * Tab through every screen: each stop shows a focus ring of at least 2 px with 3:1 against what is behind it
   * (WCAG 1.4.11 and 2.4.7), and Tab goes on past the Devices grid (one stop however many devices).
   */
  test(`every Tab stop on every screen shows a visible focus ring (${theme})`, async ({ page, host }) => {
    const lab = requireUiLab();
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(host.url);
    await expect(page.getByText(new RegExp(`^${lab.devices.length} devices`))).toBeVisible({ timeout: 30_000 });
    const problems: string[] = [];
    for (const s of screens) {
      await page.keyboard.press(`Alt+${s.key}`);
      await expect(page.getByRole('heading', { level: 1, name: s.title })).toBeVisible();
      await page.locator('body').focus();
      await page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-tab-walk]').forEach((e) => e.removeAttribute('data-tab-walk')),
      );
      const seen: string[] = [];
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const look = await focusLook(page);
        if (!look || look.again) break; // round the page once
        seen.push(look.what);
        if (look.outline === 'none' || look.width < 2) problems.push(`${s.title}: ${look.what} has no visible focus ring`);
        else if (contrast(look.color, look.behind) < 3)
          problems.push(`${s.title}: ${look.what}: ring ${look.color} on ${look.behind} is ${contrast(look.color, look.behind).toFixed(2)}:1`);
      }
      expect(seen.length, `${s.title}: Tab reaches the sections and the screen`).toBeGreaterThan(8);
      if (s.title === 'Devices')
        expect(
          seen.filter((w) => w.startsWith('div')),
          'the grid is one Tab stop',
        ).toHaveLength(1);
    }
    expect(problems).toEqual([]);
  });
}

/** Dialogs take focus, close with Escape (no trap), and give focus back to what opened them. */
test('dialogs give focus back where it was, and have a backdrop', async ({ page, host }) => {
  const lab = requireUiLab();
  await page.goto(host.url);
  const grid = page.getByRole('grid', { name: 'Devices' });
  await expect(grid.locator('[role="row"][data-device-id]')).toHaveCount(lab.devices.length, { timeout: 30_000 });

  const about = page.getByRole('button', { name: 'About' });
  await about.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: /About/ });
  await expect(dialog).toBeVisible();
  // Chromium's own backdrop is a barely visible 10 % black; the app's dims what is behind the dialog.
  const backdrop = await dialog.evaluate(
    (el) => (globalThis as unknown as PageGlobals).getComputedStyle(el as unknown as PageElement, '::backdrop').backgroundColor,
  );
  expect(Number(/rgba\(.*, ([\d.]+)\)$/.exec(backdrop)?.[1] ?? 1), `the About dialog's backdrop ${backdrop} dims the app`).toBeGreaterThanOrEqual(0.3);
  expect(await dialog.evaluate((el) => el.contains((globalThis as unknown as PageGlobals).document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(about).toBeFocused();

  const add = page.getByRole('button', { name: 'Add device by address…' });
  await add.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Add device by address' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(add).toBeFocused();

  // Rename from the grid by keyboard: F2 opens, Escape closes, the grid has focus again on the same row.
  await grid.focus();
  await page.keyboard.press('ArrowDown');
  const active = await grid.getAttribute('aria-activedescendant');
  await page.keyboard.press('F2');
  await expect(page.getByRole('dialog', { name: /^Nickname for/ })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Nickname' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(grid).toBeFocused();
  await expect(grid).toHaveAttribute('aria-activedescendant', active!);
});
