import type { Page } from '@playwright/test';

/**
 * A whole-page screenshot for the docs. Scrolled back to the top first: the sidebar is sticky, so a page left
 * scrolled would show it moved down, with a blank band above it.
 */
export async function fullPageShot(page: Page, path: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
}
