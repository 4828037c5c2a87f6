import type { DeviceRef, ProbeStatusEntry } from '../../../shared/contract/devices';
import type { HostKeyPolicy, SshConnector } from '../ssh/connection';
import { SshOpError } from '../ssh/connection';
import { shq, type DeviceProfile } from './device-profile';
import { mapLimit } from './map-limit';
import { deviceKey, deviceWhere } from '../../../shared/domain/devices';

const tidy = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');

/**
 * `--get-pelion-status` on each device, `concurrency` at a time. A device that answers is `ok` with
 * `provisioned` true/false and the utility's message; one that can't be asked is not `ok` and says why.
 */
export async function probeStatus(
  devices: readonly DeviceRef[],
  opts: { connector: SshConnector; profile: DeviceProfile; concurrency: number; timeoutMs?: number; signal?: AbortSignal } & HostKeyPolicy,
): Promise<ProbeStatusEntry[]> {
  return mapLimit(devices, opts.concurrency, async (ref): Promise<ProbeStatusEntry> => {
    const device = deviceKey(ref);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const c = await opts.connector.connect(ref, { signal: opts.signal, timeoutMs, strictHostKeys: opts.strictHostKeys });
    if (!c.ok) return { device, ok: false, code: c.code, message: c.message };
    const conn = c.value;
    try {
      const r = await conn.exec(`${shq(opts.profile.utility)} ${opts.profile.statusArgs}`, { signal: opts.signal, timeoutMs });
      if (r.code === 127 || (r.code !== 0 && /No such file or directory|not found/.test(r.stderr) && r.stderr.includes(opts.profile.utility))) {
        return {
          device,
          ok: false,
          code: 'utility-missing',
          message: `${deviceWhere(ref)}: ${opts.profile.utility} is missing: is this an Mbed Linux OS device?`,
        };
      }
      if (r.code === 0) return { device, ok: true, provisioned: true, message: tidy(r.stdout) || 'configured' };
      return { device, ok: true, provisioned: false, code: 'not-provisioned', message: tidy(r.stderr || r.stdout) || `exit ${r.code}` };
    } catch (err) {
      const code = err instanceof SshOpError ? (err.code === 'cancelled' || err.code === 'stage-timeout' ? err.code : 'connection-lost') : 'internal';
      return { device, ok: false, code, message: (err as Error).message };
    } finally {
      await conn.close();
    }
  });
}
