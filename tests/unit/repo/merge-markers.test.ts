import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');

describe('the repository', () => {
  it('holds no unresolved merge-conflict markers', () => {
    // git grep exits 1 when nothing matches; anything it prints is a file:line still carrying a marker.
    let hits = '';
    try {
      hits = execFileSync('git', ['grep', '-n', '-I', '-E', '^(<<<<<<< |>>>>>>> |=======$)', '--', '.'], { cwd: repo, encoding: 'utf8' });
    } catch (err) {
      if ((err as { status?: number }).status !== 1) throw err;
    }
    expect(hits).toBe('');
  });
});
