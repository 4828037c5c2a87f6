import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../../electron/cli/main';
import { commands } from '../../../../electron/cli/registry';

async function pws(...argv: string[]) {
  const home = mkdtempSync(join(tmpdir(), 'pws-cli-'));
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => {
    const s = new PassThrough();
    s.on('data', (c) => into.push(String(c)));
    return s;
  };
  const code = await runCli({ argv, env: { HOME: home, PWS_DATA_DIR: join(home, 'data') }, stdout: sink(out), stderr: sink(err), stdin: new PassThrough() });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('pws CLI skeleton', () => {
  it('--help lists every registered command and exits 0', async () => {
    const r = await pws('--help');
    expect(r.code).toBe(0);
    for (const c of commands) expect(r.stdout).toContain(c.name);
  });

  it("help COMMAND shows that command's help, as COMMAND --help does", async () => {
    const help = await pws('help', 'init');
    expect(help).toEqual(await pws('init', '--help'));
    expect(help.stdout).toMatch(/^Usage: pws init /);
    const unknown = await pws('help', 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('pws: unknown command "frobnicate": run `pws --help` for the list\n');
  });

  it('text that would drive the terminal reaches it escaped, also inside an error line', async () => {
    const r = await pws('known-hosts', 'forget', '\u001b[2J\rpassed');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('pws: no pinned host key for "\\u001b[2J\\u000dpassed": `pws known-hosts list` shows the pinned ones\n');
  });

  it('--help and a failure with --json never ask stdout whether it is a terminal: asking builds process.stdout, milliseconds of start-up', async () => {
    for (const argv of [['--help'], ['frobnicate', '--json']]) {
      let asked = 0;
      const out = new PassThrough();
      Object.defineProperty(out, 'isTTY', { get: () => (asked++, false) });
      await runCli({ argv, env: { HOME: mkdtempSync(join(tmpdir(), 'pws-cli-')) }, stdout: out, stderr: new PassThrough(), stdin: new PassThrough() });
      expect(asked, argv.join(' ')).toBe(0);
    }
  });

  it('--version prints a version', async () => {
    const r = await pws('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command or flag is a usage error (exit 2) with one clear line', async () => {
    const a = await pws('frobnicate');
    expect(a.code).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toContain('pws --help');
    const b = await pws('settings', '--nope');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--nope');
  });

  it('with --json, a command that fails as a whole still prints one JSON document: the error, its code and exit code', async () => {
    const usage = await pws('settings', 'set', 'concurrency', '0', '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: { code: 'usage', exitCode: 2, message: "settings set concurrency '0': must be a whole number from 1 to 64" },
    });
    expect(usage.stderr).toBe("pws: settings set concurrency '0': must be a whole number from 1 to 64\n");
    // a service's refusal carries the service's own code; the CLI's own refusals say "failed"
    const missing = await pws('--json', 'identities', 'show', 'no-such-board');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'identity-not-found', exitCode: 1, message: expect.stringMatching(/^no identity "no-such-board" in the registry/) },
    });
    const refused = await pws('--json', 'known-hosts', 'forget', 'no-such-board');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      error: { code: 'failed', exitCode: 1, message: 'no pinned host key for "no-such-board": `pws known-hosts list` shows the pinned ones' },
    });
    // before the command is known, too; and without --json nothing at all goes to stdout
    expect(JSON.parse((await pws('frobnicate', '--json')).stdout)).toMatchObject({ error: { code: 'usage', exitCode: 2 } });
    expect((await pws('known-hosts', 'forget', 'no-such-board')).stdout).toBe('');
  });

  it('settings get --json prints exactly one JSON document', async () => {
    const r = await pws('settings', 'get', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ concurrency: 8 });
  });

  it('settings set sshKeyPath warns at once when no readable file is there, and says nothing when one is', async () => {
    const missing = await pws('settings', 'set', 'sshKeyPath', '/nonexistent/id_ed25519');
    expect(missing.code).toBe(0);
    expect(missing.stderr).toBe(
      'pws: warning: the SSH key /nonexistent/id_ed25519 could not be read (no such file): logins to production images will be refused until it can\n',
    );
    const present = await pws('settings', 'set', 'sshKeyPath', fileURLToPath(import.meta.url));
    expect(present.code).toBe(0);
    expect(present.stderr).toBe('');
  });

  it('enroll export --out refuses a folder before anything is read, with the file it would take instead', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pws-out-'));
    const r = await pws('enroll', 'export', '--out', folder, '--run', 'r1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pws: --out ${folder} is a folder: give the file to write, for example ${join(folder, 'enrollment.csv')}\n`);
  });

  it('settings set validates the value and names the setting', async () => {
    const r = await pws('settings', 'set', 'concurrency', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('concurrency');
    const u = await pws('settings', 'set', 'nosuch', '1');
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('unknown setting "nosuch"');
  });

  it.each([
    [['concurrency', '0'], "settings set concurrency '0': must be a whole number from 1 to 64"],
    [['concurrency', 'x'], "settings set concurrency 'x': must be a whole number from 1 to 64"],
    [['concurrency', '2.5'], "settings set concurrency '2.5': must be a whole number from 1 to 64"],
    [['concurrency', '0x10'], "settings set concurrency '0x10': must be a whole number from 1 to 64"],
    [['concurrency', '1e1'], "settings set concurrency '1e1': must be a whole number from 1 to 64"],
    [['theme', 'blue'], "settings set theme 'blue': must be system, light or dark"],
    [['apiUrl', 'not a url'], "settings set apiUrl 'not a url': must be a URL such as https://"],
    [['stationName', 'x'.repeat(70)], `settings set stationName '${'x'.repeat(40)}…': must be at most 64 characters`],
    [
      ['pinnedDevices', '[{"address":""}]'],
      `settings set pinnedDevices '[{"address":""}]': pinnedDevices[0].address must not be empty: give JSON shaped like \`pws settings get pinnedDevices --json\` shows`,
    ],
    [['favourites', '3'], "settings set favourites '3': must be a list"],
    [['database.migrateConsent', 'maybe'], "settings set database.migrateConsent 'maybe': must be one of unasked, given or refused"],
  ])('settings set %j says what the setting takes, in words, with the value given', async (args, message) => {
    const r = await pws('settings', 'set', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`pws: ${message}`);
    expect(r.stderr).not.toMatch(/Invalid (input|option)|Too (small|big)|expected int/);
  });

  it.each([
    [['database.url', 'postgres://u:S3cret@PW@h/db'], 'must not hold the password'],
    [['database', '{"url":"postgres://u:S3cret@PW@h/db"}'], 'must not hold the password'],
    [['apiUrl', 'https://user:S3cret@PW@x.invalid'], 'the API URL must not contain a user name or password'],
  ])('settings set %j refuses a URL with a password without repeating the password', async (args, message) => {
    const r = await pws('settings', 'set', ...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/S3cret|PW@/);
    expect(r.stderr).toContain(':***@');
  });

  it.each([
    ['database.url', 'postgres://', 'names no server'],
    ['database.url', 'postgres://pws@db.lab:99999/pws', 'has the port "99999"'],
    ['database.url', 'postgres://pws@db.lab/pws?sslmode=prefer', 'sslmode=prefer may fall back to an unencrypted connection'],
    ['apiUrl', 'http://api.example.com', 'must use https'],
    ['apiUrl', 'ftp://api.example.com', 'must start with https://'],
    ['apiUrl', 'https://api.example.com/?region=eu', 'must not contain ? or #'],
  ])('settings set %s %s is refused by the rule every connection or cloud call applies', async (key, url, message) => {
    const r = await pws('settings', 'set', key, url);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('an own-identity profile field with a control character is refused, naming the flag, before anything is read', async () => {
    const r = await pws('provision', '--ca', 'lab-ca', 'lab-update', '--device', '192.0.2.1', '--model-number', '\u001b[31mx');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('pws: --model-number: must not contain control characters: type it again without them\n');
  });

  it.each([
    [['settings', 'get', 'theme', 'extra'], 'unexpected argument "extra": pws settings get takes one KEY at most'],
    [['known-hosts', 'list', 'extra'], 'unexpected argument "extra": pws known-hosts list takes none'],
  ])('%j: an argument too many is a usage error, not ignored', async (args, message) => {
    const r = await pws(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it.each([['history'], ['identities', 'list'], ['enroll', 'export', '--out', 'x.csv']])(
    '%j --since 2025-02-30: a day the calendar does not have is refused, not read as March 2nd',
    async (...args) => {
      const r = await pws(...args, '--since', '2025-02-30');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--since: "2025-02-30" is not a date: give YYYY-MM-DD');
    },
  );

  it('global flags may come before the command', async () => {
    const r = await pws('--json', 'settings', 'get', 'theme');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ theme: 'system' });
    expect((await pws('--verbose', '--json', 'help', 'settings')).stdout).toContain('Usage: pws settings');
  });

  it.each([
    [['history', '--station', 's'.repeat(70)], '--station: must be at most 64 characters'],
    [['identities', 'list', '--run', 'r'.repeat(130)], '--run: must be at most 128 characters'],
    [['ca', 'create', 'lab-ca', '--days', '0'], '--days: must be at least 1'],
    [['ca', 'create', '../x'], 'CA name "../x": use letters, digits, ".", "_", "-" or spaces, starting with a letter or digit'],
  ])('%j names the flag and its rule in words', async (args, message) => {
    const r = await pws(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pws: ${message}\n`);
  });

  it.each([
    [['discover', '--nope'], 'unknown option --nope: run `pws discover --help`'],
    [['discover', '--timeout'], '--timeout needs a value: run `pws discover --help`'],
    [['discover', '--timeout', '-1'], '--timeout needs a value; write one that starts with a dash as --timeout=VALUE: run `pws discover --help`'],
    [['init', '-d', '-x'], '-d needs a value; write one that starts with a dash as --vendor-domain=VALUE: run `pws init --help`'],
    [['init', '--quiet=yes', '-d', 'arm.com', '-m', 'x'], '-q, --quiet takes no value: run `pws init --help`'],
  ])('%j: a malformed option is named, with what to do, on one line', async (args, message) => {
    const r = await pws(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`pws: ${message}\n`);
  });
});
