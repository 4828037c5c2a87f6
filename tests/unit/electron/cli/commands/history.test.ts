import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../../../electron/cli/main';
import { devCertAuditEntry } from '../../../../support/audit-entries';

/** `pws history` over a local audit file of `count` entries (every third failed), in this process. */
async function history(count: number, ...flags: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'pws-history-'));
  const entries = Array.from({ length: count }, (_, i) =>
    devCertAuditEntry(`169.254.20.${i % 250}`, { time: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), result: i % 3 ? 'passed' : 'failed' }),
  );
  mkdirSync(join(home, 'data'));
  writeFileSync(join(home, 'data', 'audit.jsonl'), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  let stdout = '';
  const out = new PassThrough().on('data', (c) => (stdout += String(c)));
  const code = await runCli({
    argv: ['history', ...flags],
    env: { HOME: home, PWS_DATA_DIR: join(home, 'data') },
    stdout: out,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
  });
  return { code, stdout, newestFirst: entries.reverse() };
}

describe('pws history --json', () => {
  it('prints one document { entries, waitingToSync } with every entry as stored, newest first, however many', async () => {
    for (const count of [0, 1, 499, 500, 1201]) {
      const r = await history(count, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout), `${count} entries`).toEqual({ entries: r.newestFirst, waitingToSync: 0 });
    }
  });

  it('prints only the entries the filter keeps', async () => {
    const r = await history(30, '--json', '--result', 'failed', '--limit', '4');
    expect(JSON.parse(r.stdout)).toEqual({ entries: r.newestFirst.filter((e) => e.result === 'failed').slice(0, 4), waitingToSync: 0 });
  });
});
