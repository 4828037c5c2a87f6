import { describe, it, expect } from 'vitest';
import { maskApiKey } from '../../../../shared/domain/mask';

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
