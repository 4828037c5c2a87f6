import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../../electron/services/log';

describe('redactSecrets, the last line of defence in every log line', () => {
  it('masks an API key and the password of a database URL, and leaves the rest', () => {
    expect(redactSecrets('key ak_0123456789abcdef1a2b for postgres://pws:s3cr3t%40x@db.lab:5432/pws?sslmode=verify-full')).toBe(
      'key ak_…1a2b for postgres://pws:***@db.lab:5432/pws?sslmode=verify-full',
    );
    expect(redactSecrets('postgresql://pws@db.lab/pws and POSTGRES://u:p@h/d')).toBe('postgresql://pws@db.lab/pws and POSTGRES://u:***@h/d');
  });
});
