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

/** What is wrong with each link of `page` (a path relative to the repository), or nothing. */
function badLinks(page: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) continue; // https:, mailto:, an anchor on the same page
    const path = decodeURIComponent(target.replace(/[#?].*$/, ''));
    const absolute = path.startsWith('/') ? join(repo, path) : resolve(repo, dirname(page), path);
    const inRepo = relative(repo, absolute);
    if (inRepo.startsWith('..') || /(^|\/)shared\/spec\//.test(inRepo)) problems.push(`${page}: ${target} leaves the repository`);
    else if (!existsSync(absolute)) problems.push(`${page}: ${target} does not exist`);
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

  it.each(pages)('%s links only to files inside the repository that exist', (page) => {
    expect(badLinks(page, readFileSync(join(repo, page), 'utf8'))).toEqual([]);
  });
});
