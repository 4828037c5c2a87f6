import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT, labHeal, readLabState, requireLabWorkstation, type LabState } from '../../lab/lab';
import { makeLabCertificates, type LabCertificates } from './lab-certificates';

const run = promisify(execFile);

/**
 * For a test file that runs the built CLI on the lab: before its tests, every fault healed, the CLI built and both
 * certificates in a temporary HOME (`makeLabCertificates`); after them, faults healed again and that HOME removed.
 * The object returned is filled in before the first test.
 */
export function labWithCertificates(): { lab: LabState; certs: LabCertificates } {
  const setup = {} as { lab: LabState; certs: LabCertificates };
  beforeAll(async () => {
    setup.lab = requireLabWorkstation();
    for (const d of setup.lab.devices) if (d.faults.length) await Promise.all(d.faults.map((f) => labHeal(d.index, f)));
    await run('node', ['scripts/build.mjs', 'node'], { cwd: REPO_ROOT });
    setup.certs = await makeLabCertificates();
  }, 120_000);
  afterAll(async () => {
    for (const d of readLabState()?.devices ?? []) for (const f of d.faults) await labHeal(d.index, f).catch(() => undefined);
    if (setup.certs?.home) await rm(setup.certs.home, { recursive: true, force: true });
  });
  return setup;
}
