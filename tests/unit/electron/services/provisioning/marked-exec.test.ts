import { describe, it, expect } from 'vitest';
import type { DeviceConnection, ExecOptions, ExecResult } from '../../../../../electron/services/ssh/connection';
import { EndedBeforeMarker, runMarked } from '../../../../../electron/services/provisioning/marked-exec';

/** FAKE connection whose exec replays output chunks (split mid-line on purpose) and then ends. */
function replaying(chunks: string[], result: ExecResult): DeviceConnection {
  return {
    hostKeyFingerprint: 'SHA256:fake',
    alive: true,
    async exec(_cmd: string, opts: ExecOptions = {}) {
      for (const c of chunks) {
        await new Promise((r) => setTimeout(r, 1));
        opts.onOutput?.(c, 'stdout');
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
    const m = runMarked(replaying(['@@pws:sta', 'ged=0\nstoring items\nProvisioning process completed', ' without error.\n@@pws:provisioned=0\n'], { code: 0, stdout: '', stderr: '' }), 'x', (l) => lines.push(l));
    const signal = new AbortController().signal;
    expect(await m.waitFor('staged', signal)).toEqual({ value: '0', output: '' });
    expect(await m.waitFor('provisioned', signal)).toEqual({ value: '0', output: 'storing items\nProvisioning process completed without error.' });
    expect(lines).toEqual(['storing items', 'Provisioning process completed without error.']);
  });

  it('rejects a marker that never came with the exit code and the output since the last marker', async () => {
    const m = runMarked(replaying(['@@pws:staged=0\n', 'File with path /scratch/provisioning-certs/x.bin could not be opened'], { code: 1, stdout: '', stderr: '' }), 'x', () => {});
    const signal = new AbortController().signal;
    await m.waitFor('staged', signal);
    const err = await m.waitFor('provisioned', signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndedBeforeMarker);
    expect((err as EndedBeforeMarker).result?.code).toBe(1);
    expect((err as EndedBeforeMarker).output).toMatch(/could not be opened$/);
    // asked after the end: still answers
    await expect(m.waitFor('verified', signal)).rejects.toBeInstanceOf(EndedBeforeMarker);
  });
});
