import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../electron/cli/main';
import { createCore, defaultCoreDeps } from '../../../../../electron/services/composition';
import { summarizeCertificate } from '../../../../../electron/services/pki/certificate-summary';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pws-init-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A terminal that answers each question as it is asked, and records what was asked. */
function terminal(answers: string[]) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const asked: string[] = [];
  let err = '';
  const stderr = new Writable({
    write(chunk, _enc, done) {
      const text = chunk.toString();
      err += text;
      const q = /((?:In which|What is|How long)[^\n]*?(?:\? |\] ))$/.exec(text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g'), ''));
      if (q) {
        asked.push(q[1]!);
        const next = answers.shift();
        setImmediate(() => (next === undefined ? stdin.end() : stdin.write(`${next}\n`)));
      }
      done();
    },
  });
  let out = '';
  const stdout = new Writable({
    write(chunk, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  return { stdin, stderr, stdout, asked, err: () => err, out: () => out };
}

const cli = (argv: string[], t: ReturnType<typeof terminal>) =>
  runCli({ argv, env: {}, stdin: t.stdin, stdout: t.stdout, stderr: t.stderr }, () =>
    createCore(defaultCoreDeps({ home: root, dataDir: join(root, 'data'), env: {}, door: 'cli' })),
  );

describe('pws init prompts', () => {
  it("asks manifest-tool's questions in its order, with its defaults, skipping flags given", async () => {
    const t = terminal(['gb', 'Cambridgeshire', '', '', '']);
    const code = await cli(['init', '-d', 'arm.com', '-m', 'dev-device', '--organization', 'Example Ltd', '--dir', join(root, 'out')], t);
    expect(code, t.err()).toBe(0);
    expect(t.asked).toEqual([
      'In which country is the subject located? ',
      'In which state or province is the subject located? ',
      'In which city or region is the subject located? ',
      'What is the common name of the subject organization? [arm.com] ',
      'How long (in days) should the certificate be valid? [90] ',
    ]);
    expect(t.err()).toContain('This process will create a self-signed certificate, which is not suitable for production use.');
    const s = summarizeCertificate(await readFile(join(root, 'out/.update-certificates/default.der')));
    expect(s.ok && s.value.subject).toBe('C=GB, ST=Cambridgeshire, O=Example Ltd, CN=arm.com');
    expect(s.ok && (Date.parse(s.value.notAfter) - Date.parse(s.value.notBefore)) / 864e5).toBe(90);
    expect(t.out()).toMatch(/^Vendor ID: +fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe$/m);
  });

  it('asks again after a bad answer, and asks nothing when the folder already has a certificate', async () => {
    const t = terminal(['', '', '', '', 'x', 'abc', '3650']);
    expect(await cli(['init', '-d', 'arm.com', '-m', 'm', '--dir', join(root, 'o')], t)).toBe(0);
    expect(t.asked.filter((q) => q.startsWith('How long'))).toHaveLength(2);
    expect(t.err()).toContain('days must be a positive whole number of days (got "abc")');
    expect(t.err()).not.toContain('valid for only');

    const again = terminal([]);
    expect(await cli(['init', '-d', 'arm.com', '-m', 'm', '--dir', join(root, 'o')], again)).toBe(0);
    expect(again.asked).toEqual([]);
  });

  it('cancels cleanly on end of input and writes nothing', async () => {
    const t = terminal(['GB']);
    expect(await cli(['init', '-d', 'arm.com', '-m', 'm', '--dir', join(root, 'c')], t)).toBe(1);
    expect(t.err()).toContain('pws: init cancelled');
    await expect(readFile(join(root, 'c/.manifest_tool.json'))).rejects.toThrow();
  });

  it('refuses a bad flag before asking anything, and a missing -d as a usage error', async () => {
    const t = terminal([]);
    expect(await cli(['init', '-d', 'arm', '-m', 'm', '--dir', join(root, 'x')], t)).toBe(1);
    expect(t.asked).toEqual([]);
    expect(t.err()).toBe('pws: "arm" is not a valid domain name.\n');
    const u = terminal([]);
    expect(await cli(['init', '-m', 'm'], u)).toBe(2);
    expect(u.err()).toMatch(/needs -d DOMAIN/);
  });
});
