import { describe, it, expect } from 'vitest';
import { createCloudClient, validateApiUrl } from '../../../electron/services/cloud/client';
import { API_REGIONS } from '../../../shared/domain/api-regions';

const urls = Object.fromEntries(Object.values(API_REGIONS).map((r) => [r.id, r.url]));

describe('API regions and custom URLs', () => {
  it('knows the US and EU hosts', () => {
    expect(urls).toEqual({ us: 'https://api.us-east-1.mbedcloud.com', eu: 'https://api.eu-west-1.mbedcloud.com' });
    for (const u of Object.values(urls)) expect(validateApiUrl(u)).toEqual({ ok: true, value: u });
  });

  it('accepts https on-prem URLs and normalises the trailing slash', () => {
    expect(validateApiUrl(' https://dm.example.org:8443/api/ ')).toEqual({ ok: true, value: 'https://dm.example.org:8443/api' });
  });

  it('allows plain http only to loopback', () => {
    expect(validateApiUrl('http://127.0.0.1:4010').ok).toBe(true);
    expect(validateApiUrl('http://localhost:4010').ok).toBe(true);
    expect(validateApiUrl('http://[::1]:4010').ok).toBe(true);
    const r = validateApiUrl('http://dm.example.org');
    expect(r).toMatchObject({ ok: false, code: 'validation' });
    if (!r.ok) expect(r.message).toContain('https');
    expect(validateApiUrl('http://127.0.0.2').ok).toBe(false);
  });

  it('refuses other schemes, credentials, queries and garbage', () => {
    for (const u of ['ftp://x.org', 'https://user:pw@x.org', 'https://x.org/?a=1', 'https://x.org/#f', 'not a url', '']) {
      expect(validateApiUrl(u).ok).toBe(false);
    }
  });

  it('a client with a bad URL or key answers a failure instead of throwing', async () => {
    const bad = createCloudClient({ baseUrl: 'http://example.org', apiKey: 'ak_x_0000000000' });
    expect(await bad.getMe()).toMatchObject({ ok: false, code: 'validation' });
    const noKey = createCloudClient({ baseUrl: API_REGIONS.us.url, apiKey: '  ' });
    expect(await noKey.getMe()).toMatchObject({ ok: false, code: 'unauthorized' });
    const spaced = createCloudClient({ baseUrl: API_REGIONS.us.url, apiKey: 'ak_abc def_secret' });
    const r = await spaced.getMe();
    expect(r).toMatchObject({ ok: false, code: 'validation' });
    expect(JSON.stringify(r)).not.toContain('def_secret');
  });
});
