/**
 * Typed access to the device lab (tests/lab/lab.sh) for vitest and Playwright tests.
 *
 * The lab is brought up outside the tests (`sudo npm run lab -- up 10 ...`); tests read `.lab/state.json`,
 * inspect a device's folders from the host and inject faults through lab.sh.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The lab's namespace prefix (lab.sh's PWS_LAB_PREFIX): lets two checkouts each run a lab on one machine. */
export const LAB_PREFIX = process.env.PWS_LAB_PREFIX || 'pws';
export const LAB_DIR = join(REPO_ROOT, LAB_PREFIX === 'pws' ? '.lab' : `.lab-${LAB_PREFIX}`);
export const LAB_STATE_PATH = join(LAB_DIR, 'state.json');
export const LAB_SCRIPT = join(REPO_ROOT, 'tests', 'lab', 'lab.sh');
/** The lab's workstation network namespace, where lab tests run. */
export const LAB_WORKSTATION_NAMESPACE = `${LAB_PREFIX}-ws`;

export const LAB_NOT_UP_MESSAGE =
  'the device lab is not up: run `sudo npm run lab -- up 10 --non-mbl 10 --ipv6-only 9 --key-only 8` ' +
  `and run the tests inside its workstation namespace (\`sudo ip netns exec ${LAB_WORKSTATION_NAMESPACE} npx vitest ...\`)`;

export type LabFaultKind = 'sshd-down' | 'utility-fails' | 'host-key-changed' | 'offline' | 'disk-full' | 'avahi-down';

export const LAB_FAULT_KINDS: readonly LabFaultKind[] = ['sshd-down', 'utility-fails', 'host-key-changed', 'offline', 'disk-full', 'avahi-down'];

export interface LabDevice {
  /** 1-based index, as used by `lab.sh fault DEV KIND` */
  index: number;
  /** network namespace, <prefix>-d<index> */
  namespace: string;
  /** mbed-linux-os-<index>, or linux-box-<index> for non-MBL devices */
  hostname: string;
  /** advertises the `mblos` TXT record */
  isMbl: boolean;
  /** 169.254.20.<index>, or null for IPv6-only devices */
  ipv4: string | null;
  /** link-local address without scope; from the workstation namespace the scope is `%eth0` */
  ipv6: string;
  /** dev: root with an empty password and the lab client key; key-only: the lab client key only */
  mode: 'dev' | 'key-only';
  /** `SHA256:...` of the device's current ed25519 host key (updated by the host-key-changed fault) */
  hostKeyFingerprint: string;
  /** host folder holding the device's scratch/, opt/arm/ and config/ (its /scratch, /opt/arm, /config) */
  root: string;
  /** faults currently injected (lab.sh fault/heal) */
  faults: LabFaultKind[];
}

export interface LabState {
  /** PWS_LAB_PREFIX the lab was brought up with */
  prefix: string;
  workstationNamespace: string;
  bridgeNamespace: string;
  /** the workstation's (and every device's) interface name */
  iface: string;
  workstationIpv4: string;
  /** true when started with --ws-avahi (avahi-browse works in the workstation namespace) */
  workstationAvahi: boolean;
  /** ed25519 private key accepted by every device (OpenSSH format) */
  clientKeyPath: string;
  /** the emulated account CA the devices' provisioning utility trusts */
  accountCaPath: string;
  /**
   * the folder of CAs the emulated account trusts for bootstrap (the cloud emulator's `trustedCaDir`): the devices'
   * utility accepts a bootstrap certificate that chains to one of them
   */
  trustedCaDir: string;
  /** the `up` arguments, normalised */
  shape: string;
  devices: LabDevice[];
}

/** The lab's state, or null when the lab is not up. */
export function readLabState(): LabState | null {
  if (!existsSync(LAB_STATE_PATH)) return null;
  if (!existsSync(`/run/netns/${LAB_PREFIX}-sw`)) return null; // a stale state file from a lab that was not taken down
  try {
    return JSON.parse(readFileSync(LAB_STATE_PATH, 'utf8')) as LabState;
  } catch {
    return null;
  }
}

/** The lab's state; throws one clear line when the lab is not up. */
export function requireLab(): LabState {
  const state = readLabState();
  if (!state) throw new Error(LAB_NOT_UP_MESSAGE);
  return state;
}

/** A device by index (throws when the lab is down or has no such device). */
export function labDevice(dev: number): LabDevice {
  const device = requireLab().devices.find((d) => d.index === dev);
  if (!device) throw new Error(`the device lab has no device ${dev}`);
  return device;
}

/** The address to reach a device from the workstation namespace: IPv4 when it has one, else fe80::…%eth0. */
export function deviceAddress(dev: number | LabDevice): string {
  const device = typeof dev === 'number' ? labDevice(dev) : dev;
  return device.ipv4 ?? `${device.ipv6}%${requireLab().iface}`;
}

async function runLab(args: string[]): Promise<void> {
  try {
    await execFileAsync('bash', [LAB_SCRIPT, ...args], { cwd: REPO_ROOT, timeout: 120_000 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    const detail = (e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`lab.sh ${args.join(' ')} failed: ${detail}`, { cause: err });
  }
}

/** Inject a fault into device `dev` (see tests/lab/README.md for what each kind does). */
export function labFault(dev: number, kind: LabFaultKind): Promise<void> {
  return runLab(['fault', String(dev), kind]);
}

/** Undo a fault (host-key-changed: no-op, the new key stays). */
export function labHeal(dev: number, kind: LabFaultKind): Promise<void> {
  return runLab(['heal', String(dev), kind]);
}

/**
 * An extra host on the lab's bridge (`lab.sh extra up NAME`), with nothing running: returns its namespace.
 * `ipv4` like `169.254.30.1/16`; without it the host has only its IPv6 link-local address.
 */
export async function labExtraUp(name: string, opts: { ipv4?: string } = {}): Promise<string> {
  await runLab(['extra', 'up', name, ...(opts.ipv4 ? ['--ipv4', opts.ipv4] : [])]);
  return `${LAB_PREFIX}-x${name}`;
}

export function labExtraDown(name: string): Promise<void> {
  return runLab(['extra', 'down', name]);
}

/** Runs a command in a lab network namespace (`ip netns exec`); stderr is kept for error messages. */
export function spawnInNamespace(
  namespace: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ChildProcess & { stderrText: () => string } {
  const child = spawn('ip', ['netns', 'exec', namespace, command, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b) => (stderr += b));
  return Object.assign(child, { stderrText: () => stderr });
}

/**
 * Starts a test responder (tests/lab/mdns-responder.ts) in a lab namespace; resolves once it printed `ready`,
 * with a promise for its `done` (finite modes).
 */
export async function startResponder(namespace: string, config: object): Promise<{ child: ChildProcess; done: Promise<void> }> {
  const child = spawnInNamespace(namespace, process.execPath, [
    '--import',
    'tsx',
    join(REPO_ROOT, 'tests', 'lab', 'mdns-responder.ts'),
    JSON.stringify(config),
  ]);
  const lines = createInterface({ input: child.stdout! });
  const waitFor = (word: string) =>
    new Promise<void>((heard, reject) => {
      lines.on('line', (l) => l === word && heard());
      child.once('exit', (code) => reject(new Error(`test responder exited with ${code} before "${word}": ${child.stderrText().trim()}`)));
    });
  const done = waitFor('done');
  done.catch(() => undefined);
  await waitFor('ready');
  return { child, done };
}

/** The device's secure storage (/config/user/pal): item name → raw bytes. */
export function deviceStorage(dev: number): Record<string, Buffer> {
  const pal = join(labDevice(dev).root, 'config', 'user', 'pal');
  const out: Record<string, Buffer> = {};
  if (!existsSync(pal)) return out;
  for (const name of readdirSync(pal).sort()) {
    const p = join(pal, name);
    if (statSync(p).isFile()) out[name] = readFileSync(p);
  }
  return out;
}

/** Empties a device's secure storage, as a factory-fresh board has it, so a test doesn't depend on what ran before. */
export function clearDeviceStorage(dev: number): void {
  const pal = join(labDevice(dev).root, 'config', 'user', 'pal');
  if (!existsSync(pal)) return;
  for (const name of readdirSync(pal)) rmSync(join(pal, name), { recursive: true, force: true });
}

/** Entry names in the device's /scratch (as the host sees its folder; the disk-full fault's tmpfs is not included). */
export function scratchEntries(dev: number): string[] {
  const scratch = join(labDevice(dev).root, 'scratch');
  return existsSync(scratch) ? readdirSync(scratch).sort() : [];
}

/** True when this process runs in the lab's workstation network namespace (<prefix>-ws). */
export function inWorkstationNamespace(): boolean {
  try {
    const mine = readlinkSync('/proc/self/ns/net'); // "net:[4026532...]"
    const ws = statSync(`/run/netns/${LAB_WORKSTATION_NAMESPACE}`); // the bind-mounted nsfs file has the namespace's inode
    const self = statSync('/proc/self/ns/net');
    return mine === `net:[${ws.ino}]` && self.ino === ws.ino && self.dev === ws.dev;
  } catch {
    return false;
  }
}

/** Throws one clear line unless the lab is up and this process runs in its workstation namespace. */
export function requireLabWorkstation(): LabState {
  const state = requireLab();
  if (!inWorkstationNamespace()) {
    throw new Error(`these tests must run inside the lab workstation namespace: \`sudo ip netns exec ${LAB_WORKSTATION_NAMESPACE} npx vitest ...\``);
  }
  return state;
}
