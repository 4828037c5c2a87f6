import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS } from '../../../electron/cli/main';
import { commands } from '../../../electron/cli/registry';
import { flagsOf } from '../../support/cli-flags';

/** The README's CLI examples are what a newcomer types first: each must be a command and flags the CLI has. */
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** Every `npx pws …` invocation in the README, split into words (quoted words kept whole), without the comment. */
const examples = [...readme.matchAll(/npx pws ([^&#\n]*)/g)].map((m) => [...m[1]!.trim().matchAll(/'[^']*'|"[^"]*"|\S+/g)].map((w) => w[0]));

describe("README's CLI examples", () => {
  it('are found', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it.each(examples.map((words) => [words.join(' '), words] as const))('pws %s: a registered command, flags it has, and an INDEX from 1', async (_, words) => {
    const [name, ...rest] = words;
    // `npx pws --help`: a global flag with no command
    if (name!.startsWith('-')) return expect(flagsOf(GLOBAL_OPTIONS)).toContain(name);
    const entry = commands.find((c) => c.name === name);
    expect(entry, `pws ${name}`).toBeDefined();
    const command = await entry!.load();
    const known = new Set([...flagsOf(command.options), ...flagsOf(GLOBAL_OPTIONS)]);
    for (const flag of rest.filter((w) => /^-{1,2}[A-Za-z]/.test(w))) expect(known, `pws ${name} ${flag}`).toContain(flag);
    // INDEX counts from 1, as `pws discover` numbers the boards
    if (name === 'select' && /^\d+$/.test(rest[0] ?? '')) expect(Number(rest[0])).toBeGreaterThanOrEqual(1);
  });
});
