import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonJsonDumps } from '../../../../shared/domain/python-json';
import { FIXTURES } from '../../electron/services/stores/mbl-cli-fixture';

/** The fixtures are Python 3's `json.dumps` of the same values (tests/fixtures/README.md). */
const python = (name: string) => readFileSync(join(FIXTURES, 'python-json', name), 'utf8');
const TEAM = '/srv/équipe/日本/😀\u007f/team';

describe("Python's json.dumps, byte for byte", () => {
  it('one line with mbl-cli defaults: non-ASCII escaped, surrogate pairs, insertion order', () => {
    expect(pythonJsonDumps({ user: '/home/zoë/.mbl-store/user', team: TEAM })).toBe(python('mbl-stores.non-ascii.json'));
    expect(pythonJsonDumps({ location: TEAM, api_key: '', dev_certs: { 'dev-cert': [`${TEAM}/dev-cert/MBED_CLOUD_DEV_ACCOUNT_ID.bin`] } })).toBe(
      python('config.non-ascii.json'),
    );
  });

  it('indented with sorted keys, as manifest-tool writes .manifest_tool.json', () => {
    expect(pythonJsonDumps({ b: [1, { z: null, a: true }], a: 'x' }, { indent: 4, sortKeys: true })).toBe(python('indent-sorted.json'));
  });

  it('leaves out members that are undefined, and writes empty containers as Python does', () => {
    expect(pythonJsonDumps({ a: undefined, b: [], c: {} })).toBe('{"b": [], "c": {}}');
  });
});
