import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { writeFileAtomic } from '../fs/atomic';
import { readProblem } from '../fs/user-paths';

/** mbl-cli's `~/.mbl-dev.json` (compat-formats §2.1): the device later commands use when none is named. */
export interface SelectedDevice {
  hostname: string;
  address: string;
  username: string;
  password: string;
}

export type SelectedDeviceErrorCode = 'no-device-selected' | 'selected-device-unreadable' | 'selected-device-unwritable';

export const selectedDeviceFile = (home: string) => join(home, '.mbl-dev.json');

/** Python's `json.dumps` of a flat dict: `", "` and `": "` separators, non-ASCII as \uXXXX, no trailing newline. */
export function pythonJsonDumps(obj: Record<string, string>): string {
  const str = (s: string) => JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `{${Object.entries(obj)
    .map(([k, v]) => `${str(k)}: ${str(v)}`)
    .join(', ')}}`;
}

/** Writes the selection atomically in mbl-cli's byte format (key order hostname, address, username, password). */
export async function writeSelectedDevice(
  home: string,
  device: { hostname: string; address: string; username?: string; password?: string },
): Promise<Result<SelectedDevice, SelectedDeviceErrorCode>> {
  const value: SelectedDevice = {
    hostname: device.hostname,
    address: device.address,
    username: device.username ?? 'root',
    password: device.password ?? '',
  };
  const file = selectedDeviceFile(home);
  try {
    await writeFileAtomic(file, pythonJsonDumps({ ...value }), 0o644);
  } catch (err) {
    return fail('selected-device-unwritable', `could not write ${file}: ${(err as Error).message}`);
  }
  return ok(value);
}

/** Reads `~/.mbl-dev.json`; a missing file is `no-device-selected` with what to do. */
export async function readSelectedDevice(home: string): Promise<Result<SelectedDevice, SelectedDeviceErrorCode>> {
  const file = selectedDeviceFile(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return fail('no-device-selected', `no device selected (${file} does not exist): run \`pws select\` to choose one`);
    }
    const why =
      (err as NodeJS.ErrnoException).code === 'EISDIR'
        ? 'it is a folder, not the file `pws select` writes: move it aside and run `pws select`'
        : readProblem(err);
    return fail('selected-device-unreadable', `could not read ${file}: ${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('selected-device-unreadable', `${file} is not valid JSON: run \`pws select\` again`);
  }
  const o = json as Partial<Record<keyof SelectedDevice, unknown>> | null;
  if (!o || typeof o !== 'object' || typeof o.address !== 'string' || !o.address) {
    return fail('selected-device-unreadable', `${file} has no "address": run \`pws select\` again`);
  }
  return ok({
    hostname: typeof o.hostname === 'string' ? o.hostname : '',
    address: o.address,
    username: typeof o.username === 'string' && o.username ? o.username : 'root',
    password: typeof o.password === 'string' ? o.password : '',
  });
}
