import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** README.md and docs/ must work for anyone who clones the repository alone: no link may leave it or be dead. */
const repo = resolve(import.meta.dirname, '../../..');
const pages = [
  'README.md',
  ...readdirSync(join(repo, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

/** Link targets in Markdown: inline links and images, reference definitions, and HTML href/src. */
function linkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...markdown.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  const html = [...markdown.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
  return [...inline, ...references, ...html];
}

/**
 * The anchors GitHub gives a page: each heading's text in lower case, without punctuation, each space a hyphen,
 * a repeated one numbered (`-1`, `-2`); plus explicit `<a id>`/`<a name>`, and `top`, which browsers always know.
 */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set(['top', ...[...markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)].map((m) => m[1]!)]);
  const repeats = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(?:```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = repeats.get(slug) ?? 0;
    repeats.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** What is wrong with each link of `page` (a path relative to the repository), or nothing. */
function badLinks(page: string, markdown: string, read = (path: string) => readFileSync(path, 'utf8')): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [rawPath = '', fragment] = target.replace(/\?[^#]*/, '').split('#');
    const path = decodeURIComponent(rawPath);
    const absolute = path === '' ? join(repo, page) : path.startsWith('/') ? join(repo, path) : resolve(repo, dirname(page), path);
    const inRepo = relative(repo, absolute);
    if (inRepo.startsWith('..') || /(^|\/)shared\/spec\//.test(inRepo)) problems.push(`${page}: ${target} leaves the repository`);
    else if (path !== '' && !existsSync(absolute)) problems.push(`${page}: ${target} does not exist`);
    else if (fragment && absolute.endsWith('.md') && !anchorsOf(path === '' ? markdown : read(absolute)).has(decodeURIComponent(fragment)))
      problems.push(`${page}: ${target} names no heading there`);
  }
  if (/\.\.\/shared\//.test(markdown)) problems.push(`${page}: mentions ../shared/, which is outside the repository`);
  return problems;
}

describe('links in README.md and docs/', () => {
  it('finds a link that leaves the repository, a dead one, and a mention of ../shared', () => {
    const sample = '[a](../shared/spec/cli.md) ![b](../../etc/x.png) [c](docs/nope.md)\n[d]: ../outside.md\n<img src="../../y.png"> see `../shared/x`';
    expect(badLinks('README.md', sample)).toEqual([
      'README.md: ../shared/spec/cli.md leaves the repository',
      'README.md: ../../etc/x.png leaves the repository',
      'README.md: docs/nope.md does not exist',
      'README.md: ../outside.md leaves the repository',
      'README.md: ../../y.png leaves the repository',
      'README.md: mentions ../shared/, which is outside the repository',
    ]);
    expect(badLinks('docs/user-guide.md', '[ok](cli.md#pws-init) [web](https://example.com/a) [here](#top) ![img](images/devices.png)')).toEqual([]);
  });

  it('finds an anchor that names no heading, on the same page or another', () => {
    const page = [
      '# Benchmarks',
      '## `pws init -q`: where the 1.6× target is missed, and why',
      '## Runs',
      '## Runs',
      '```sh',
      '# not a heading',
      '```',
      '[a](#pws-init--q-where-the-16-target-is-missed-and-why) [b](#runs-1) [c](#not-a-heading) [d](#runs-2)',
      '[e](cli.md#pws-init) [f](cli.md#pws-nothing)',
    ].join('\n');
    const read = () => '## pws init\n';
    expect(badLinks('docs/benchmarks.md', page, read)).toEqual([
      'docs/benchmarks.md: #not-a-heading names no heading there',
      'docs/benchmarks.md: #runs-2 names no heading there',
      'docs/benchmarks.md: cli.md#pws-nothing names no heading there',
    ]);
  });

  it.each(pages)('%s links only to files inside the repository that exist', (page) => {
    expect(badLinks(page, readFileSync(join(repo, page), 'utf8'))).toEqual([]);
  });
});
