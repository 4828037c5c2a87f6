import { describe, expect, it } from 'vitest';
import { databaseAccount, databaseUrlProblem, redactDatabaseUrl, urlHasPassword } from '../../../../shared/domain/database-url';

describe('database URLs', () => {
  it('a password that holds @ is found, hidden and kept out of the keychain account whole', () => {
    const url = 'postgres://pws:S3cret@PW@db.lab:5432/pws?sslmode=verify-full';
    expect(urlHasPassword(url)).toBe(true);
    expect(databaseUrlProblem(url)).toMatch(/^must not hold the password/);
    expect(redactDatabaseUrl(url)).toBe('postgres://pws:***@db.lab:5432/pws?sslmode=verify-full');
    expect(databaseAccount(url)).toBe('postgres://pws@db.lab:5432/pws');
  });

  it('text that is not a URL is never repeated: it may be a password pasted into the wrong place', () => {
    expect(redactDatabaseUrl(' S3cretPW ')).toBe('(hidden: not a URL)');
    expect(redactDatabaseUrl('mysql://u:S3cretPW@h/db')).toBe('mysql://u:***@h/db');
    expect(databaseUrlProblem('mysql://u@h/db')).toMatch(/^must start with postgres:\/\//);
  });
});
