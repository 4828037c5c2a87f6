import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS } from '../../../electron/cli/main';
import { commands } from '../../../electron/cli/registry';
import { flagsOf } from '../../support/cli-flags';

/** docs/cli.md against the CLI's command registry and flag definitions, so the reference cannot drift. */
const doc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');

/** Each `### \`pws NAME\`` section's text, up to the next heading. */
function commandSections(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of doc.matchAll(/^### `pws ([a-z-]+)`\n([\s\S]*?)(?=^#{1,3} |(?![\s\S]))/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** The text of a `## Heading` or `### Heading` section, up to the next heading. */
const section = (heading: string) => new RegExp(`^#{2,3} ${heading}\\n([\\s\\S]*?)(?=^#{1,3} )`, 'm').exec(doc)?.[1] ?? '';

/** The flags in a section's tables: every backticked `--long` or `-s` in the first cell of a row. */
function tableFlags(text: string): string[] {
  const firstCells = text
    .split('\n')
    .filter((l) => l.startsWith('| `-'))
    .map((l) => l.split('|')[1]!);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`(-{1,2}[A-Za-z][\w-]*)/g)].map((m) => m[1]!)).sort();
}

const definedFlags = (options: ParseArgsConfig['options']) => flagsOf(options).sort();

const names = commands.map((c) => c.name).sort();

describe('docs/cli.md', () => {
  it('has a section for every registered command, and none for a command that does not exist', () => {
    expect([...commandSections().keys()].sort()).toEqual(names);
  });

  it('lists every registered command in its overview, linked to its section', () => {
    const linked = [...section('Commands').matchAll(/^\| \[`pws ([a-z-]+)`\]\(#pws-\1\)/gm)].map((m) => m[1]!).sort();
    expect(linked).toEqual(names);
  });

  it.each(commands.map((c) => [c.name, c] as const))('documents exactly the flags of `pws %s`, with its usage', async (name, entry) => {
    const text = commandSections().get(name) ?? '';
    const command = await entry.load();
    expect(tableFlags(text)).toEqual(definedFlags(command.options));
    if (!command.options || Object.keys(command.options).length === 0) expect(text).toContain('No flags of its own.');
    expect(text).toMatch(new RegExp(`^\`\`\`\\npws ${name}\\b`, 'm'));
  });

  it('documents exactly the global options (and --version, which is read before them)', () => {
    expect(tableFlags(section('Global options'))).toEqual([...definedFlags(GLOBAL_OPTIONS), '--version', '-v'].sort());
  });

  it('documents the three exit codes', () => {
    const codes = [...section('Exit codes').matchAll(/^\| `(\d)` \|/gm)].map((m) => Number(m[1]));
    expect(codes).toEqual([0, 1, 2]);
  });
});
