/**
 * The lab's ownership guard (tests/lab/lab.sh): a lab belongs to the checkout that brought it up, so that two
 * checkouts never tear down each other's devices. A checkout that has since been deleted (a CI clone, a removed
 * worktree) can never take its lab down, so any checkout may take that one over.
 *
 * Uses a prefix of its own and a bare switch namespace, so the suite's lab is never touched. Needs root (ip netns).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LAB_SCRIPT, REPO_ROOT } from '../../lab/lab';

const run = promisify(execFile);
const PREFIX = `own${process.pid % 10_000}`;
const OWNER_FILE = `/run/pws-lab-${PREFIX}.owner`;
const SWITCH = `${PREFIX}-sw`;

const netnsExists = () => existsSync(`/run/netns/${SWITCH}`);

async function labDown(): Promise<{ code: number; stderr: string }> {
  try {
    const r = await run('bash', [LAB_SCRIPT, 'down'], { env: { ...process.env, PWS_LAB_PREFIX: PREFIX } });
    return { code: 0, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

/** A lab of this prefix as another checkout left it: its switch namespace, and an owner file naming that checkout. */
async function leaveLabOf(checkout: string): Promise<void> {
  await run('ip', ['netns', 'add', SWITCH]);
  writeFileSync(OWNER_FILE, `${checkout}\n`);
}

afterEach(async () => {
  if (netnsExists()) await run('ip', ['netns', 'del', SWITCH]);
  rmSync(OWNER_FILE, { force: true });
  rmSync(join(REPO_ROOT, `.lab-${PREFIX}`), { recursive: true, force: true });
});

describe('lab.sh: who may take a lab down', () => {
  it('refuses a lab that another checkout, still present, brought up, and leaves it as it was', async () => {
    const other = mkdtempSync(join(tmpdir(), 'pws-other-checkout-'));
    mkdirSync(join(other, 'tests', 'lab'), { recursive: true });
    writeFileSync(join(other, 'tests', 'lab', 'lab.sh'), '');
    await leaveLabOf(other);
    const r = await labDown();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`lab: the lab with prefix '${PREFIX}' belongs to ${other}; use another PWS_LAB_PREFIX`);
    expect(netnsExists()).toBe(true);
    rmSync(other, { recursive: true, force: true });
  });

  it('takes over, and takes down, a lab whose checkout has been deleted, saying so', async () => {
    const gone = join(tmpdir(), `pws-deleted-checkout-${process.pid}`);
    await leaveLabOf(gone);
    const r = await labDown();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`lab: the lab with prefix '${PREFIX}' belonged to ${gone}, which is gone: this checkout takes it over`);
    expect(netnsExists()).toBe(false);
    expect(existsSync(OWNER_FILE)).toBe(false);
  });
});
