import { X509Certificate, createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { CertificateBundle } from './engine';
import type { CertificateSource } from './provisioning-service';

/** mbl-cli's `~/.mbl-stores.json` → the Team Store folder (default `~/.mbl-store/team`). */
export async function teamStoreDir(home: string): Promise<string> {
  try {
    const json = JSON.parse(await readFile(join(home, '.mbl-stores.json'), 'utf8')) as { team?: unknown };
    if (typeof json.team === 'string' && json.team) return json.team;
  } catch {
    // missing or unreadable: the default, as mbl-cli does
  }
  return join(home, '.mbl-store', 'team');
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/;

/**
 * Reads one certificate folder `<team>/<name>/*.bin` (compat-formats §2.2) for provisioning: the raw files,
 * whether it is a developer or an update certificate, and its fingerprint and expiry (from the DER inside).
 * Read-only: provisioning never writes the Team Store.
 */
export function createTeamStoreCertificateSource(home: string): CertificateSource {
  return {
    async read(name) {
      if (!NAME_RE.test(name) || name.includes('..')) return fail('certificate-missing', `"${name}" is not a certificate name: see \`pws certs list\``);
      const team = await teamStoreDir(home);
      const dir = join(team, name);
      let names: string[];
      try {
        names = (await readdir(dir)).filter((f) => f.endsWith('.bin')).sort();
      } catch {
        return fail('certificate-missing', `no certificate "${name}" in the Team Store (${team}): create it with \`pws certs create-dev ${name}\` or import it with \`pws certs import-update ${name} FILE.c\`; \`pws certs list\` shows what is there`);
      }
      if (names.length === 0) return fail('certificate-missing', `the Team Store folder ${dir} holds no .bin files: create or import "${name}" again`);
      const files = await Promise.all(names.map(async (f) => ({ name: f, data: await readFile(join(dir, f)) })));
      const get = (f: string) => files.find((x) => x.name === f)?.data;
      const updateDer = get('arm_uc_default_certificate.bin');
      const devDer = get('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin');
      const der = updateDer ?? devDer;
      if (!der) return fail('certificate-invalid', `${dir} is neither a developer nor an update certificate (no certificate .bin inside): import it again`);
      let notAfter: string | undefined;
      try {
        notAfter = new Date(new X509Certificate(der).validTo).toISOString();
      } catch {
        return fail('certificate-invalid', `the certificate in ${dir} does not parse as DER X.509: import it again`);
      }
      const bundle: CertificateBundle = {
        name,
        kind: updateDer ? 'update' : 'developer',
        files,
        fingerprint: createHash('sha256').update(der).digest('hex'),
        notAfter,
      };
      return ok(bundle);
    },
  };
}
