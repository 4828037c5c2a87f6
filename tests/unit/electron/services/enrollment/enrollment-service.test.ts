import { describe, it, expect } from 'vitest';
import { cloud, core, KEY, withEmulatedCloud } from '../credentials/emulated-core';

withEmulatedCloud();

const ID = `A-${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const csv = (...lines: string[]) => new TextEncoder().encode(`enrollment_identity\n${lines.join('\n')}\n`);

describe('enrollment service', () => {
  it('refuses a CSV with a line that is no identity, naming the file and line, and sends nothing', async () => {
    const c = core();
    await c.call('credentials:api-key-save', { apiKey: KEY });
    const before = cloud.emu.requests.length;
    const r = await c.services.enrollment.upload(csv(ID, 'not-an-id'), { fileName: 'ids.csv' });
    expect(r).toMatchObject({
      ok: false,
      code: 'invalid-csv',
      message:
        'ids.csv line 3: "not-an-id" is not an enrollment identity (A- and 32 colon-separated hex bytes): correct or remove that line; nothing was uploaded',
    });
    const two = await c.services.enrollment.upload(csv(ID, 'x', 'y'), { fileName: 'ids.csv' });
    expect(two).toMatchObject({ ok: false, message: expect.stringMatching(/bytes\), nor is line 4: correct or remove those lines; nothing was uploaded$/) });
    const many = await c.services.enrollment.upload(csv('a', ID, 'b', 'c', 'd', 'e', 'f', 'g'), { fileName: 'ids.csv' });
    expect(many).toMatchObject({
      ok: false,
      message:
        'ids.csv line 2: "a" is not an enrollment identity (A- and 32 colon-separated hex bytes), nor are lines 4, 5, 6, 7 and 2 more: correct or remove those lines; nothing was uploaded',
    });
    expect(await c.services.enrollment.upload(csv(), { fileName: 'empty.csv' })).toMatchObject({ ok: false, code: 'invalid-csv' });
    expect(cloud.emu.requests.length).toBe(before);
  });

  it('refuses a file that is no text, without quoting its bytes, and sends nothing', async () => {
    const c = core();
    await c.call('credentials:api-key-save', { apiKey: KEY });
    const before = cloud.emu.requests.length;
    const elf = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x0a, 0x02, 0x01, 0x00, 0x1b, 0x5b]);
    expect(await c.services.enrollment.upload(elf, { fileName: 'pws' })).toEqual({
      ok: false,
      code: 'invalid-csv',
      message: 'pws is not an enrollment CSV: it holds binary data (a NUL byte at offset 7): give the CSV `pws enroll export` writes; nothing was uploaded',
    });
    const latin1 = Uint8Array.from([...new TextEncoder().encode('enrollment_identity\n'), 0xe9, 0x0a]);
    expect(await c.services.enrollment.upload(latin1, { fileName: 'ids.csv' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('ids.csv is not an enrollment CSV: it is not UTF-8 text:'),
    });
    expect(cloud.emu.requests.length).toBe(before);
  });

  it('uploads to the API URL in use with the saved key and answers the completed bulk job', async () => {
    const c = core();
    await c.call('credentials:api-key-save', { apiKey: KEY });
    const seen: Array<{ identities: number; apiUrl: string }> = [];
    const r = await c.services.enrollment.upload(csv(ID), { fileName: 'ids.csv', intervalMs: 10, onUploading: (i) => void seen.push(i) });
    expect(r).toMatchObject({ ok: true, value: { status: 'completed', total_count: 1 } });
    expect(seen).toEqual([{ identities: 1, apiUrl: cloud.emu.url }]);
  });

  it('says so when no key is saved', async () => {
    expect(await core().services.enrollment.upload(csv(ID), { fileName: 'ids.csv' })).toMatchObject({ ok: false, code: 'api-key-missing' });
  });
});
