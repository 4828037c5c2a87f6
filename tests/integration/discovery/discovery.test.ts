/**
 * Live discovery against the device lab: `pws discover` / `--watch` / `select` / `which`, and manual devices
 * through the core's router.
 *
 *   sudo bash tests/lab/lab.sh up 10 --non-mbl 10 --ipv6-only 9 --key-only 8
 *   sudo ip netns exec pws-ws npx vitest run --project integration tests/integration/discovery
 *
 * Without the lab (or outside its workstation namespace) every test fails with the lab's one clear line.
 * Expectations are taken from .lab/state.json: the MBL devices, the non-MBL one, the IPv6-only one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCore, defaultCoreDeps } from '../../../electron/services/composition';
import { createDiscoveryService } from '../../../electron/services/discovery/discovery-service';
import { EventHub } from '../../../electron/services/events';
import { silentLogger } from '../../../electron/services/log';
import type { DeviceList } from '../../../shared/contract/devices';
import {
  labExtraDown,
  labExtraUp,
  labFault,
  labHeal,
  requireLabWorkstation,
  spawnInNamespace,
  startResponder,
  REPO_ROOT,
  type LabDevice,
  type LabState,
} from '../../lab/lab';

interface DiscoverJson {
  name: string;
  hostname: string;
  addresses: string[];
  port: number;
  txt: Record<string, string | true>;
}

const PWS = join(REPO_ROOT, 'electron', 'cli', 'pws.ts');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'pws-discovery-it-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  return { ...process.env, HOME: home, PWS_DATA_DIR: join(home, 'data') };
}

/** Runs the CLI from source (tsx), as a separate process the way users run it. */
function pws(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PWS, ...args], { cwd: REPO_ROOT, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function discover(args: string[] = []): Promise<DiscoverJson[]> {
  const r = await pws(['discover', '--json', '--timeout', '3', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as DiscoverJson[];
}

/** The lab, in the suite's standard shape (some MBL devices, a non-MBL one, an IPv6-only one). */
function lab(): LabState {
  const state = requireLabWorkstation();
  if (!state.devices.some((d) => !d.isMbl) || !state.devices.some((d) => d.ipv4 === null)) {
    throw new Error(
      `the lab is up as "${state.shape}": these tests need the standard shape: sudo bash tests/lab/lab.sh up 10 --non-mbl 10 --ipv6-only 9 --key-only 8`,
    );
  }
  return state;
}
const scoped = (state: LabState, d: LabDevice) => `${d.ipv6}%${state.iface}`;

describe('pws discover on the lab', () => {
  let mbl: DiscoverJson[];

  it('lists every MBL device and not the non-MBL one, with scoped fe80 and IPv4 addresses', async () => {
    const state = lab();
    mbl = await discover();
    const expected = state.devices.filter((d) => d.isMbl);
    expect(mbl.map((d) => d.name).sort()).toEqual(expected.map((d) => d.hostname).sort());
    expect(expected.length).toBeGreaterThanOrEqual(9);
    for (const d of expected) {
      const found = mbl.find((x) => x.name === d.hostname)!;
      expect(found).toMatchObject({ hostname: d.hostname, port: 22, txt: { mblos: true } });
      expect(found.addresses).toEqual(d.ipv4 ? [scoped(state, d), d.ipv4] : [scoped(state, d)]);
    }
    for (const d of mbl) for (const a of d.addresses) if (a.toLowerCase().startsWith('fe80')) expect(a).toMatch(new RegExp(`%${state.iface}$`));
  });

  it('--all adds the non-MBL device', async () => {
    const state = lab();
    const all = await discover(['--all']);
    expect(all.map((d) => d.name).sort()).toEqual(state.devices.map((d) => d.hostname).sort());
    const other = state.devices.find((d) => !d.isMbl)!;
    expect(all.find((d) => d.name === other.hostname)?.txt).toEqual({});
  });

  it('finds the IPv6-only device with only its fe80 address', async () => {
    const state = lab();
    const v6only = state.devices.filter((d) => d.ipv4 === null);
    expect(v6only.length).toBeGreaterThan(0);
    mbl ??= await discover();
    for (const d of v6only) expect(mbl.find((x) => x.name === d.hostname)?.addresses).toEqual([scoped(state, d)]);
  });

  it('every listed address accepts a TCP connection on the SSH port', async () => {
    lab();
    mbl ??= await discover();
    const targets = mbl.flatMap((d) => d.addresses.map((address) => ({ address, port: d.port })));
    expect(targets.length).toBeGreaterThanOrEqual(mbl.length);
    const results = await Promise.all(
      targets.map(
        (t) =>
          new Promise<string>((resolve) => {
            const s = connect({ host: t.address, port: t.port, timeout: 5000 });
            s.once('connect', () => {
              s.destroy();
              resolve('ok');
            });
            s.once('timeout', () => {
              s.destroy();
              resolve(`${t.address}: timeout`);
            });
            s.once('error', (e) => resolve(`${t.address}: ${e.message}`));
          }),
      ),
    );
    expect(results.filter((r) => r !== 'ok')).toEqual([]);
  });
});

describe('settling early', () => {
  it('pws discover ends as soon as the list has settled, long before its --timeout cap', async () => {
    const state = lab();
    const started = Date.now();
    const found = await discover(['--timeout', '60']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(found.map((d) => d.name).sort()).toEqual(
      state.devices
        .filter((d) => d.isMbl)
        .map((d) => d.hostname)
        .sort(),
    );
  });

  it('never drops an announced board whose responder is slow to resolve: it is asked again until it answers', async () => {
    const state = lab();
    const ns = await labExtraUp('slow', { ipv4: '169.254.31.1/16' });
    try {
      // answers a browse with its PTR only, and its SRV, TXT and address only 1.5 s after each question
      const slow = await startResponder(ns, {
        mode: 'slow',
        from: '169.254.31.1',
        delayMs: 1500,
        service: { instance: 'late-board', host: 'late-board.local', ipv4: '169.254.31.1' },
      });
      try {
        const found = await discover(['--timeout', '20']);
        expect(found.find((d) => d.name === 'late-board')).toMatchObject({ hostname: 'late-board', addresses: ['169.254.31.1'], txt: { mblos: true } });
        expect(found).toHaveLength(state.devices.filter((d) => d.isMbl).length + 1);
      } finally {
        slow.child.kill();
      }
    } finally {
      await labExtraDown('slow');
    }
  }, 60_000);
});

describe('a quiet network stays quiet (known-answer suppression, back-off)', () => {
  it('once every board is known, further queries carry them as known answers and the boards stay silent', async () => {
    const state = lab();
    const d = createDiscoveryService({ events: new EventHub(), log: silentLogger, clock: () => new Date() });
    try {
      const found = await d.discoverOnce({ timeoutMs: 10_000, all: true });
      expect(found.ok && found.value.length).toBe(state.devices.length);
      const before = d.stats();
      // the queries at 1, 3 and 7 s after the start, and nothing else
      await new Promise((r) => setTimeout(r, 8_000));
      const after = d.stats();
      expect(after.queryPacketsSent - before.queryPacketsSent).toBeGreaterThanOrEqual(2);
      expect(after.queryPacketsSent - before.queryPacketsSent).toBeLessThanOrEqual(3);
      // avahi answers nothing it was told we know (a board that answered anyway would show here 10 times over)
      expect(after.packetsReceived - before.packetsReceived).toBeLessThanOrEqual(2);
      expect(d.snapshot().filter((x) => x.present)).toHaveLength(state.devices.length);
    } finally {
      await d.stop();
    }
  }, 30_000);
});

describe('when the operating system refuses mDNS sends', () => {
  it('pws discover --watch says so, and lists the boards within seconds once sends are allowed again', async () => {
    const state = lab();
    const run = promisify(execFile);
    const ns = await labExtraUp('noacc', { ipv4: '169.254.33.1/16' });
    // like macOS 15 before Local Network access is allowed: every send to port 5353 fails (EPERM here)
    const rules = 'table inet pwsnoaccess {\n chain out {\n type filter hook output priority 0; udp dport 5353 drop;\n }\n}\n';
    await new Promise<void>((resolve, reject) => {
      const c = execFile('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], (err) =>
        err ? reject(new Error(`nft: ${err.message} (apt-get install nftables)`)) : resolve(),
      );
      c.stdin!.end(rules);
    });
    const child = spawnInNamespace(ns, process.execPath, ['--import', 'tsx', PWS, 'discover', '--watch', '--json'], env());
    const added: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const e = JSON.parse(line) as { event: string; device: DiscoverJson };
      if (e.event === 'added') added.push(e.device.name);
    });
    const until = async (what: string, check: () => boolean, ms: number) => {
      const t = Date.now();
      while (!check()) {
        if (Date.now() - t > ms) throw new Error(`${what} within ${ms} ms; stderr: ${child.stderrText()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return Date.now() - t;
    };
    try {
      await until('a line saying the OS refuses mDNS', () => /refuses to send mDNS queries \(EPERM on eth0\).*Local Network/.test(child.stderrText()), 15_000);
      // long enough for a backing-off querier to wait 16 s before its next query
      await new Promise((r) => setTimeout(r, 20_000));
      expect(added).toEqual([]);
      await run('ip', ['netns', 'exec', ns, 'nft', 'delete', 'table', 'inet', 'pwsnoaccess']);
      const took = await until('every MBL board listed', () => added.length >= state.devices.filter((d) => d.isMbl).length, 10_000);
      expect(took).toBeLessThan(5_000);
      expect(child.stderrText().match(/mDNS queries are going out again/g)).toHaveLength(1);
      expect(child.stderrText().match(/refuses to send mDNS queries/g)).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
      await labExtraDown('noacc');
    }
  }, 90_000);
});

/** `pws discover --watch --json` as a child process, with what it has written on stderr so far. */
function watchJson() {
  const child = spawn(process.execPath, ['--import', 'tsx', PWS, 'discover', '--watch', '--json'], {
    cwd: REPO_ROOT,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  return { child, stderr: () => stderr };
}

describe('pws discover --watch', () => {
  it('ends quietly once its reader has gone (`pws discover --watch --json | head -1`)', async () => {
    const { child, stderr } = watchJson();
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await new Promise<void>((resolve) => createInterface({ input: child.stdout }).once('line', () => resolve()));
    child.stdout.destroy(); // as head does after its first line
    // the watch learns of it at its next line: a board going away makes one
    const victim = lab()
      .devices.filter((d) => d.isMbl && d.mode === 'dev')
      .at(-1)!;
    await labFault(victim.index, 'avahi-down');
    let code: number | null | 'still running';
    try {
      code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 20_000))]);
    } finally {
      await labHeal(victim.index, 'avahi-down');
    }
    if (code === 'still running') child.kill('SIGKILL');
    expect(code, stderr()).toBe(0);
    expect(stderr()).not.toMatch(/Error|EPIPE|at /);
  }, 60_000);

  it("prints a removed line when a device's avahi goes down, and added again when it comes back", async () => {
    const state = lab();
    const victim = state.devices.filter((d) => d.isMbl && d.ipv4 && d.mode === 'dev').at(-1)!;
    const { child, stderr } = watchJson();
    const lines: Array<{ event: string; device: DiscoverJson }> = [];
    const waiters: Array<() => void> = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(JSON.parse(line));
      for (const w of waiters.splice(0)) w();
    });
    const waitFor = (event: string, name: string, ms: number) =>
      new Promise<number>((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const i = lines.findIndex((l) => l.event === event && l.device.name === name);
          if (i >= 0) return resolve(Date.now() - started);
          if (Date.now() - started > ms)
            return reject(
              new Error(
                `no "${event}" line for ${name} within ${ms} ms; got ${JSON.stringify(lines.map((l) => [l.event, l.device.name]))}; stderr: ${stderr()}`,
              ),
            );
          waiters.push(check);
          setTimeout(check, 250);
        };
        check();
      });
    let faulted = false;
    try {
      await waitFor('added', victim.hostname, 10_000);
      expect(lines.every((l) => l.device.txt.mblos === true)).toBe(true);
      lines.length = 0;
      await labFault(victim.index, 'avahi-down');
      faulted = true;
      // goodbye packets make this immediate; without them the SRV TTL (120 s) would bound it
      await waitFor('removed', victim.hostname, 125_000);
      expect(lines.find((l) => l.event === 'removed')?.device.name).toBe(victim.hostname);
      await labHeal(victim.index, 'avahi-down');
      faulted = false;
      await waitFor('added', victim.hostname, 15_000);
    } finally {
      if (faulted) await labHeal(victim.index, 'avahi-down');
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      expect(code).toBe(0);
    }
    // no other device was reported removed
    expect(lines.filter((l) => l.event === 'removed').map((l) => l.device.name)).toEqual([victim.hostname]);
    // sending never failed, so nothing is said about it "going out again"
    expect(stderr()).not.toMatch(/mDNS queries/);
  }, 180_000);
});

describe('manual devices and the devices channels', () => {
  it('a manual add persists in settings and shows in devices:list next to discovered devices', async () => {
    const state = lab();
    const dataDir = join(home, 'core-data');
    const target = state.devices.find((d) => d.isMbl)!;
    const address = `[${target.ipv6}%${state.iface}]:22`;
    const ctx = { door: 'test' as const };

    const core = createCore(defaultCoreDeps({ home, dataDir, env: env() }));
    try {
      const bad = await core.router.dispatch('devices:add-manual', { address: 'fe80::1' }, ctx);
      expect(bad).toMatchObject({ ok: false, code: 'invalid-address', message: expect.stringMatching(/^address "fe80::1"/) });
      const empty = await core.router.dispatch('devices:add-manual', { address: '' }, ctx);
      expect(empty).toMatchObject({ ok: false, code: 'invalid-request', message: expect.stringContaining('address') });
      const added = await core.router.dispatch('devices:add-manual', { address, nickname: 'rack 1' }, ctx);
      expect(added).toMatchObject({ ok: true, value: { source: 'manual', nickname: 'rack 1', addresses: [`${target.ipv6}%${state.iface}`] } });
    } finally {
      await core.close();
    }
    const stored = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    expect(stored.pinnedDevices).toEqual([{ address, nickname: 'rack 1' }]);

    // a fresh core (a restarted app) lists it, and discovery runs behind the same channel
    const again = createCore(defaultCoreDeps({ home, dataDir, env: env() }));
    try {
      const first = await again.router.dispatch('devices:list', {}, ctx);
      expect(first.ok).toBe(true);
      const list = first.ok ? (first.value as DeviceList) : undefined;
      expect(list?.discovering).toBe(true);
      expect(list?.interfaces).toContain(state.iface);
      expect(list?.devices.filter((d) => d.source === 'manual').map((d) => [d.name, d.nickname])).toEqual([[address, 'rack 1']]);
      const withMdns = await again.services.discovery.discoverOnce({ timeoutMs: 3000 });
      expect(withMdns.ok && withMdns.value.length).toBe(state.devices.filter((d) => d.isMbl).length);
      const later = await again.router.dispatch('devices:list', {}, ctx);
      expect(later.ok && (later.value as DeviceList).devices.length).toBe(state.devices.length + 1);
    } finally {
      await again.close();
    }
  });
});

describe('host names in Add device', () => {
  it('resolves NAME.local with its own mDNS query when adding it, and refuses a name nothing answers for', async () => {
    const state = lab();
    const board = state.devices.find((d) => d.isMbl && d.ipv4)!;
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'names-data'), env: env() }));
    const ctx = { door: 'test' as const };
    try {
      const added = await core.router.dispatch('devices:add-manual', { address: `${board.hostname}.local` }, ctx);
      expect(added).toMatchObject({
        ok: true,
        value: { source: 'manual', hostname: `${board.hostname}.local`, addresses: [`${board.ipv6}%${state.iface}`, board.ipv4] },
      });
      const refused = await core.router.dispatch('devices:add-manual', { address: 'no-such-board.local' }, ctx);
      expect(refused).toMatchObject({
        ok: false,
        code: 'unresolvable-address',
        message: expect.stringMatching(/^address: "no-such-board\.local" does not resolve: .*no device answered an mDNS query/),
      });
    } finally {
      await core.close();
    }
  });
});

describe('pws select / which', () => {
  it('round-trips ~/.mbl-dev.json in a temporary HOME', async () => {
    const state = lab();
    const noneYet = await pws(['which']);
    expect(noneYet.code).toBe(1);
    expect(noneYet.stderr).toMatch(/no device selected.*pws select/);

    const first = [...state.devices].filter((d) => d.isMbl).sort((a, b) => a.hostname.localeCompare(b.hostname, 'en', { numeric: true }))[0]!;
    const sel = await pws(['select', '1', '--timeout', '3']);
    expect(sel.code).toBe(0);
    const file = await readFile(join(home, '.mbl-dev.json'), 'utf8');
    expect(file).toBe(`{"hostname": "${first.hostname}", "address": "${first.ipv6}%${state.iface}", "username": "root", "password": ""}`);
    const which = await pws(['which']);
    expect(which).toMatchObject({ code: 0, stdout: `${first.hostname} (${first.ipv6}%${state.iface})\n` });

    const v6only = state.devices.find((d) => d.ipv4 === null)!;
    const byAddress = await pws(['select', `[${v6only.ipv6}%${state.iface}]:22`]);
    expect(byAddress).toMatchObject({ code: 0, stdout: `${v6only.ipv6}%${state.iface} selected\n` });
    expect((await pws(['which'])).stdout).toBe(`${v6only.ipv6}%${state.iface}\n`);
    const whichJson = await pws(['which', '--json']);
    expect(JSON.parse(whichJson.stdout)).toEqual({ hostname: `${v6only.ipv6}%${state.iface}`, address: `${v6only.ipv6}%${state.iface}`, username: 'root' });

    const tooFar = await pws(['select', '99', '--timeout', '2']);
    expect(tooFar.code).toBe(1);
    expect(tooFar.stderr).toMatch(/no device at index 99/);
    const bad = await pws(['select', 'fe80::1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/add %iface/);
    // a host name must resolve (here, where the OS has no mDNS resolver, through the app's own query)
    const unknown = await pws(['select', 'no-such-board.local']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/"no-such-board\.local" does not resolve/);
    // a refused selection leaves the file as it was
    expect(JSON.parse(await readFile(join(home, '.mbl-dev.json'), 'utf8')).address).toBe(`${v6only.ipv6}%${state.iface}`);
    const byName = await pws(['select', `${first.hostname}.local`]);
    expect(byName).toMatchObject({ code: 0, stdout: `${first.hostname}.local selected\n` });
  }, 60_000);
});
