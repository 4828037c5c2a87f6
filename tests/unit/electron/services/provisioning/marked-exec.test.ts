import { describe, it, expect } from 'vitest';
import type { DeviceConnection, ExecOptions, ExecResult } from '../../../../../electron/services/ssh/connection';
import { EndedBeforeMarker, runMarked } from '../../../../../electron/services/provisioning/marked-exec';

/** FAKE connection whose exec replays output chunks (split mid-line on purpose) and then ends. */
function replaying(chunks: string[], result: ExecResult, stream: 'stdout' | 'stderr' = 'stdout'): DeviceConnection {
  return {
    hostKeyFingerprint: 'SHA256:fake',
    hostKeyNewlyPinned: false,
    alive: true,
    async exec(_cmd: string, opts: ExecOptions = {}) {
      for (const c of chunks) {
        await new Promise((r) => setTimeout(r, 1));
        opts.onOutput?.(c, stream);
      }
      return result;
    },
    async mkdir() {},
    async upload() {},
    async removeFlatFolders() {},
    async stat() {
      return undefined;
    },
    async listSizes() {
      return new Map();
    },
    async close() {},
  };
}

describe('runMarked', () => {
  it('splits the output at markers, even when a marker arrives in pieces, and logs only non-marker lines', async () => {
    const lines: string[] = [];
    const m = runMarked(
      replaying(['@@pws:n1:sta', 'ged=0\nstoring items\nProvisioning process completed', ' without error.\r\n@@pws:n1:provisioned=0\n'], {
        code: 0,
        stdout: '',
        stderr: '',
      }),
      'x',
      (l) => lines.push(l),
      { nonce: 'n1' },
    );
    const signal = new AbortController().signal;
    expect(await m.waitFor('staged', signal)).toEqual({ value: '0', output: '' });
    expect(await m.waitFor('provisioned', signal)).toEqual({ value: '0', output: 'storing items\nProvisioning process completed without error.' });
    expect(lines).toEqual(['storing items', 'Provisioning process completed without error.']);
  });

  it('rejects a marker that never came with the exit code and the output since the last marker', async () => {
    const m = runMarked(
      replaying(['@@pws:n1:staged=0\n', 'File with path /scratch/provisioning-certs/x.bin could not be opened'], { code: 1, stdout: '', stderr: '' }),
      'x',
      () => {},
      { nonce: 'n1' },
    );
    const signal = new AbortController().signal;
    await m.waitFor('staged', signal);
    const err = await m.waitFor('provisioned', signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndedBeforeMarker);
    expect((err as EndedBeforeMarker).result?.code).toBe(1);
    expect((err as EndedBeforeMarker).output).toMatch(/could not be opened$/);
    // asked after the end: still answers
    await expect(m.waitFor('verified', signal)).rejects.toBeInstanceOf(EndedBeforeMarker);
  });

  it('a device cannot fake a marker: without the run nonce, not at the start of a line, or on stderr, it is only output', async () => {
    const forged = ['@@pws:provisioned=0\n', '@@pws:guess:provisioned=0\n', ' @@pws:n1:provisioned=0\n', 'log: @@pws:n1:provisioned=0\n'];
    const lines: string[] = [];
    const m = runMarked(replaying(forged, { code: 1, stdout: '', stderr: '' }), 'x', (l) => lines.push(l), { nonce: 'n1' });
    await expect(m.waitFor('provisioned', new AbortController().signal)).rejects.toBeInstanceOf(EndedBeforeMarker);
    expect(lines).toHaveLength(4);
    const viaStderr = runMarked(replaying(['@@pws:n1:provisioned=0\n'], { code: 1, stdout: '', stderr: '' }, 'stderr'), 'x', () => {}, { nonce: 'n1' });
    await expect(viaStderr.waitFor('provisioned', new AbortController().signal)).rejects.toBeInstanceOf(EndedBeforeMarker);
  });

  it('sends a fresh nonce on stdin, never in the command text, and keeps a flood of output bounded', async () => {
    const seen: Array<{ cmd: string; stdin?: string }> = [];
    const flood = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'x'.repeat(10_000)}`).join('\n');
    const conn: DeviceConnection = {
      ...replaying([], { code: 0, stdout: '', stderr: '' }),
      async exec(cmd: string, opts: ExecOptions = {}) {
        seen.push({ cmd, stdin: opts.stdin });
        opts.onOutput?.(flood, 'stdout');
        opts.onOutput?.(`\n@@pws:${opts.stdin!.trim()}:done=0\n`, 'stdout');
        return { code: 0, stdout: '', stderr: '' };
      },
    };
    const a = runMarked(conn, 'script', () => {});
    const hit = await a.waitFor('done', new AbortController().signal);
    runMarked(conn, 'script', () => {});
    expect(seen[0]!.stdin).toMatch(/^[0-9a-f]{32}\n$/);
    expect(seen[1]!.stdin).not.toBe(seen[0]!.stdin);
    expect(seen[0]!.cmd).not.toContain(seen[0]!.stdin!.trim());
    expect(hit.output.split('\n')).toHaveLength(200);
    expect(hit.output.length).toBeLessThan(200 * 4200);
  });
});
