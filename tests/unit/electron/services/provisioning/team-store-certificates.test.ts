import { describe, it, expect } from 'vitest';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../../../electron/services/log';
import { createTeamStoreCertificateSource } from '../../../../../electron/services/provisioning/team-store-certificates';
import { createStoresService } from '../../../../../electron/services/stores/stores-service';

describe('Team Store as provisioning reads it', () => {
  it('refuses a certificate folder that lost its certificate file, and names a missing certificate', async () => {
    const home = await mkdtemp(join(tmpdir(), 'pws-ts-'));
    const dir = join(home, '.mbl-store', 'team', 'broken');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'arm_uc_vendor_id.bin'), Buffer.alloc(16));
    const source = createTeamStoreCertificateSource(createStoresService({ home, clock: () => new Date(), log: silentLogger }));
    expect(await source.read('broken')).toMatchObject({
      ok: false,
      code: 'certificate-invalid',
      message: expect.stringMatching(/arm_uc_default_certificate\.bin is missing/),
    });
    expect(await source.read('absent')).toMatchObject({
      ok: false,
      code: 'certificate-missing',
      message: expect.stringMatching(/pws certs create-dev absent/),
    });
  });
});
