import { describe, it, expect } from 'vitest';
import { maskApiKey, redactApiKeys } from '../../../../shared/domain/mask';

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
