import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunJournal } from '../../../../../electron/services/provisioning/run-journal';
import { lockDirFor, MBL_PROFILE, stagingDirFor } from '../../../../../electron/services/provisioning/device-profile';

const paths = { certsDir: MBL_PROFILE.certsDir, lockDir: lockDirFor(MBL_PROFILE) };
const GONE = 99_999_999; // no such process
const entry = (staging: string) => ({ ref: { address: '169.254.20.3' }, staging, lockHeld: true, updatedAt: '2026-01-01T00:00:00Z' });
const journal = (runId: string, patch: Record<string, unknown> = {}) => ({
  runId,
  pid: GONE,
  ...paths,
  devices: { '169.254.20.3': entry(stagingDirFor(MBL_PROFILE, '0123456789ab')) },
  ...patch,
});

describe('run journal: what a dead run left', () => {
  it('acts only on journals as this station writes them: a path from any other is never removed on a device', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pws-journal-'));
    const runs = join(dataDir, 'runs');
    await mkdir(runs);
    const files: Record<string, unknown> = {
      'good.json': journal('good'),
      'root.json': journal('root', { certsDir: '/' }),
      'etc-lock.json': journal('etc-lock', { lockDir: '/etc' }),
      'staging-root.json': journal('staging-root', { devices: { d: entry('/') } }),
      'staging-other.json': journal('staging-other', { devices: { d: entry('/scratch/.provisioning-certs.0123456789ab/../..') } }),
      'no-devices.json': journal('no-devices', { devices: null }),
      'no-ref.json': journal('no-ref', { devices: { d: { ...entry(stagingDirFor(MBL_PROFILE, 'aaaaaaaaaaaa')), ref: 'x' } } }),
      'array.json': [1, 2],
      'null.json': null,
    };
    for (const [name, content] of Object.entries(files)) await writeFile(join(runs, name), JSON.stringify(content));
    await writeFile(join(runs, 'torn.json'), '{"runId":');
    const left = await createRunJournal(dataDir, paths).leftovers();
    expect(left.map((j) => j.runId)).toEqual(['good']);
  });
});
