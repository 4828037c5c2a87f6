import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';

/** The WCAG 2.1 A and AA rules. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary: string }>;
}

/**
 * Runs axe-core (from node_modules, pinned in package.json) on the page as it is now. The script goes in
 * through the DevTools protocol, which the page's strict CSP does not apply to, so no inline script is needed.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(
    async (tags) => {
      const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
      const result = await axe.run(
        { exclude: [] },
        {
          runOnly: { type: 'tag', values: tags },
          // 2.5.3 Label in Name: axe files this rule as experimental, so a tag run leaves it out unless asked for.
          rules: { 'label-content-name-mismatch': { enabled: true } },
          resultTypes: ['violations'],
        },
      );
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    },
    [...WCAG_TAGS],
  );
}

/** One line per failing element: what a failed test prints. */
export const describeViolations = (violations: AxeViolation[]): string =>
  violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`)).join('\n');

/** Fails with one line per failing element when axe finds anything on the page as it is now. */
export async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const lines = describeViolations(await axeViolations(page));
  if (lines) throw new Error(`axe violations in ${state}:\n${lines}`);
}
