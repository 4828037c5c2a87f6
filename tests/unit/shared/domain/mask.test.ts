import { describe, it, expect } from 'vitest';
import { maskApiKey, redactApiKeys, redactUrlPasswords } from '../../../../shared/domain/mask';

describe('API key masking', () => {
  it('shows ak_… and the last 4 characters only', () => {
    const key = 'ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b';
    expect(maskApiKey(key)).toBe('ak_…1a2b');
    expect(maskApiKey(` ${key}\n`)).toBe('ak_…1a2b');
    expect(maskApiKey(key)).not.toContain(key.slice(3, -4));
  });
  it('reveals less of a suspiciously short key', () => {
    expect(maskApiKey('ak_abcdef')).toBe('ak_…ef');
    expect(maskApiKey('ak_')).toBe('ak_…');
  });
});

describe('API key redaction', () => {
  it('replaces everything shaped like a key, and nothing else', () => {
    const text = 'saving ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b failed; ak_short and rak_notakey0123 stay';
    expect(redactApiKeys(text, '[API key]')).toBe('saving [API key] failed; ak_short and rak_notakey0123 stay');
    expect(redactApiKeys(text, (k) => `ak_…${k.slice(-4)}`)).toBe('saving ak_…1a2b failed; ak_short and rak_notakey0123 stay');
  });
});

describe('URL password redaction', () => {
  it('masks the whole password of any scheme, one that holds @ too, and libpq’s password parameter', () => {
    expect(redactUrlPasswords('postgres://pws:S3cret@PW@db.lab/pws')).toBe('postgres://pws:***@db.lab/pws');
    expect(redactUrlPasswords('the shared database mysql://u:S3cretPW@h/db is unreachable')).toBe('the shared database mysql://u:***@h/db is unreachable');
    expect(redactUrlPasswords('https://user:pa:ss@api.example.com/v3 and postgresql://x@h/db?sslmode=require&password=pw1')).toBe(
      'https://user:***@api.example.com/v3 and postgresql://x@h/db?sslmode=require&password=***',
    );
  });

  it('leaves URLs without a password, and the JSON around a URL, as they are', () => {
    for (const text of ['postgres://pws@db.lab:5432/pws', 'https://api.us-east-1.mbedcloud.com', 'user@host: no URL here', 'fe80::1%eth0'])
      expect(redactUrlPasswords(text)).toBe(text);
    const json = JSON.stringify({ name: 'x://u:p', address: 'b@c' });
    expect(redactUrlPasswords(json)).toBe(json);
    expect(JSON.parse(redactUrlPasswords(JSON.stringify({ url: 'postgres://u:pw@h/db', n: 1 })))).toEqual({ url: 'postgres://u:***@h/db', n: 1 });
  });
});
