import { describe, expect, it } from 'vitest';
import { IdentityFilterSchema } from '../../../../shared/contract/identities';

describe('IdentityFilterSchema: since and until', () => {
  it.each(['2025-01-31', '2024-02-29', '2026-03-01T08:00', '2026-03-01T08:00:00.000Z', '2026-03-01T08:00:00+01:00'])('takes %s', (value) => {
    expect(IdentityFilterSchema.safeParse({ since: value, until: value }).success).toBe(true);
  });

  it.each(['2025-02-30', '2025-02-29', '2025-13-01', '2025', 'March 1, 2025', '2025-01-31 junk'])('refuses %s, naming the field', (value) => {
    const parsed = IdentityFilterSchema.safeParse({ since: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(['since']);
    expect(parsed.error!.issues[0]!.message).toMatch(/must be a date such as 2025-01-31/);
  });
});
