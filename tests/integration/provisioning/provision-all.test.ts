/**
 * `pws provision … --all` on the lab: each board starts as soon as discovery resolves it, not once the whole
 * list has settled; still every MBL board exactly once, in `pws select` order, a late board included.
 *
 * One board's avahi is stopped and a test responder answers for it instead, with its PTR at once but its SRV,
 * TXT and address only 0.8 s after each question (about 1.7 s in all, within --all's 3 s): the list cannot settle before that board has resolved, so
 * the order of the CLI's lines shows whether the others started before it settled (no clock is read).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../electron/services/audit/audit-log';
import { silentLogger } from '../../../electron/services/log';
import { createTeamStoreCertificateSource } from '../../../electron/services/provisioning/team-store-certificates';
import { createStoresService } from '../../../electron/services/stores/stores-service';
import { deviceAddress, labDevice, labFault, labHeal, startResponder } from '../../lab/lab';
import { devCertAuditEntry } from '../../support/audit-entries';
import { pws } from './lab-certificates';
import { labWithCertificates } from './lab-cli-setup';

const LATE = 5;

const setup = labWithCertificates();

describe('pws provision --all starts each board as discovery resolves it (lab)', () => {
  it('boards start before the list has settled; a board slow to resolve is still provisioned; every board once, in select order', async () => {
    const { lab, certs } = setup;
    const late = labDevice(LATE);
    await labFault(LATE, 'avahi-down');
    const responder = await startResponder(late.namespace, {
      mode: 'slow',
      from: late.ipv4,
      delayMs: 800,
      service: { instance: late.hostname, host: `${late.hostname}.local`, ipv4: late.ipv4 },
    });
    const dataDir = await mkdtemp(join(tmpdir(), 'pws-all-data-'));
    try {
      await pws(certs.home, ['settings', 'set', 'sshKeyPath', lab.clientKeyPath], { PWS_DATA_DIR: dataDir });
      const r = await pws(certs.home, ['provision', certs.devName, certs.updateName, '--all', '--json', '--verbose'], { PWS_DATA_DIR: dataDir });
      expect(r.code, r.stderr).toBe(0);
      const mbl = lab.devices.filter((d) => d.isMbl);
      const doc = JSON.parse(r.stdout) as { results: Array<{ device: string; ok: boolean }>; passed: number };

      // every MBL board exactly once (each answers over IPv4 and IPv6 separately), the late one too, all passed
      const names = doc.results.map((x) => x.device.replace(/^mdns:(.*)@.*$/, '$1'));
      expect([...names].sort()).toEqual(mbl.map((d) => d.hostname).sort());
      expect(doc.results.every((x) => x.ok)).toBe(true);
      const audit = (await readFile(join(dataDir, 'audit.jsonl'), 'utf8')).trim().split('\n');
      expect(audit).toHaveLength(mbl.length);

      // started before the list settled: said first, then progress, then the count once the list has settled
      const lines = r.stderr.split('\n');
      const startedAt = lines.findIndex((l) => l === `Provisioning each MBL device as it answers, with "${certs.devName}" and "${certs.updateName}"…`);
      const settledAt = lines.findIndex((l) => l === `Discovery settled: ${mbl.length} devices in this run.`);
      const firstProgress = lines.findIndex((l) => /^ {2}\S.*: \w+…$/.test(l));
      const lateProgress = lines.findIndex((l) => l.startsWith(`  ${late.hostname} (`));
      expect(settledAt, r.stderr).toBeGreaterThan(0);
      expect(startedAt, r.stderr).toBeGreaterThanOrEqual(0);
      expect(startedAt, r.stderr).toBeLessThan(firstProgress);
      expect(firstProgress, r.stderr).toBeGreaterThanOrEqual(0);
      expect(firstProgress, r.stderr).toBeLessThan(settledAt);
      expect(firstProgress, r.stderr).toBeLessThan(lateProgress);

      // listed in the order `pws discover` (and so `pws select INDEX`) gives
      const listed = await pws(certs.home, ['discover', '--json', '--timeout', '20'], { PWS_DATA_DIR: dataDir });
      expect((JSON.parse(listed.stdout) as Array<{ name: string }>).map((d) => d.name)).toEqual(names);
    } finally {
      responder.child.kill();
      await labHeal(LATE, 'avahi-down');
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  /** A fresh data folder whose audit says earlier runs gave this very developer certificate (by fingerprint) to 100 other boards. */
  async function seedHundredEarlierBoards(dataDir: string): Promise<void> {
    const { lab, certs } = setup;
    await pws(certs.home, ['settings', 'set', 'sshKeyPath', lab.clientKeyPath], { PWS_DATA_DIR: dataDir });
    const stores = createStoresService({ home: certs.home, clock: () => new Date(), log: silentLogger });
    const dev = await createTeamStoreCertificateSource(stores).read(certs.devName);
    if (!dev.ok) throw new Error(dev.message);
    const audit = createAuditLog(dataDir);
    for (let i = 0; i < 100; i++) {
      const appended = await audit.append(devCertAuditEntry(`10.9.0.${i}`, { devCert: { name: certs.devName, fingerprint: dev.value.fingerprint } }));
      if (!appended.ok) throw new Error(appended.message);
    }
  }

  it('says the run takes the developer certificate past 100 devices as soon as the board that does it is added, before the list has settled', async () => {
    const { certs } = setup;
    const dataDir = await mkdtemp(join(tmpdir(), 'pws-all-cap-'));
    try {
      await seedHundredEarlierBoards(dataDir);
      const r = await pws(certs.home, ['provision', certs.devName, certs.updateName, '--all'], { PWS_DATA_DIR: dataDir });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stderr.split('\n');
      const warnings = lines.filter((l) => l.startsWith(`pws: warning: this run puts the developer certificate "${certs.devName}" on`));
      expect(warnings, r.stderr).toEqual([expect.stringContaining('on 101 devices (counting earlier runs)')]);
      const settledAt = lines.findIndex((l) => /^Discovery settled: \d+ devices in this run\.$/.test(l));
      expect(lines.indexOf(warnings[0]!), r.stderr).toBeLessThan(settledAt);
      // progress and results name each board as a person reads it, never by its discovery id
      expect(r.stderr).not.toContain('mdns:');
      expect(lines.filter((l) => l.startsWith('✓ ')).length, r.stderr).toBeGreaterThan(0);
      for (const l of lines.filter((x) => x.startsWith('✓ ') || (x.endsWith('…') && x.startsWith('  '))))
        expect(l, r.stderr).toMatch(/^(?:✓ | {2})[\w-]+ \([0-9a-f.:%\w]+\): /);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('says it once for a run given its devices: as the warning on the command, not again as a log line', async () => {
    const { certs } = setup;
    const dataDir = await mkdtemp(join(tmpdir(), 'pws-cap-once-'));
    try {
      await seedHundredEarlierBoards(dataDir);
      const r = await pws(certs.home, ['provision', certs.devName, certs.updateName, '--device', deviceAddress(1)], { PWS_DATA_DIR: dataDir });
      expect(r.code, r.stderr).toBe(0);
      const mentions = r.stderr.split('\n').filter((l) => l.includes(`the developer certificate "${certs.devName}" on`));
      expect(mentions, r.stderr).toEqual([expect.stringMatching(/^pws: warning: .*on 101 devices \(counting earlier runs\)/)]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
