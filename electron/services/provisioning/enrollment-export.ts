import { X509Certificate } from 'node:crypto';
import type { DeviceRef } from '../../../shared/contract/provisioning';
import { enrollmentIdentityOf } from '../../../shared/domain/enrollment';
import type { SshConnector } from '../ssh/connection';
import { shq } from './device-profile';
import { mapLimit } from './map-limit';

/** Where the lab and MBL's file-backed secure storage keep the provisioned bootstrap certificate. */
export const BOOTSTRAP_CERT_ITEM = '/config/user/pal/mbed.BootstrapDeviceCert';

export type EnrollmentIdResult =
  | { device: string; ok: true; identity: string }
  | { device: string; ok: false; code: string; message: string };

/**
 * Each device's First-to-Claim enrollment identity, from the bootstrap certificate it holds (so it must be
 * provisioned first): read over SSH, parsed, and hashed by the one derivation in shared/domain/enrollment.ts.
 */
export async function readEnrollmentIds(
  devices: readonly DeviceRef[],
  opts: { connector: SshConnector; concurrency: number; certPath?: string; signal?: AbortSignal },
): Promise<EnrollmentIdResult[]> {
  const certPath = opts.certPath ?? BOOTSTRAP_CERT_ITEM;
  return mapLimit(devices, opts.concurrency, async (ref): Promise<EnrollmentIdResult> => {
    const device = ref.id ?? ref.hostname ?? ref.address;
    const c = await opts.connector.connect(ref, { signal: opts.signal });
    if (!c.ok) return { device, ok: false, code: c.code, message: c.message };
    try {
      const r = await c.value.exec(`base64 ${shq(certPath)}`, { signal: opts.signal });
      if (r.code !== 0) {
        return { device, ok: false, code: 'not-provisioned', message: `${device} holds no bootstrap certificate (${certPath}): provision it first with \`pws provision\`` };
      }
      let der: Buffer;
      try {
        der = new X509Certificate(Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64')).raw;
      } catch (err) {
        return { device, ok: false, code: 'certificate-invalid', message: `${device}: ${certPath} is not a DER certificate (${(err as Error).message}): provision it again` };
      }
      return { device, ok: true, identity: await enrollmentIdentityOf(der) };
    } catch (err) {
      return { device, ok: false, code: 'connection-lost', message: (err as Error).message };
    } finally {
      await c.value.close();
    }
  });
}
