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

describe('what the database.url setting takes', () => {
  it('refuses what every connection would refuse: no server, a port out of range, an sslmode that falls back to plain text', () => {
    expect(databaseUrlProblem('postgres://')).toMatch(/^names no server: write it as postgres:\/\/USER@HOST:PORT\/DATABASE/);
    expect(databaseUrlProblem('postgres://pws@db.lab:99999/pws')).toBe('has the port "99999": use a number from 1 to 65535 (PostgreSQL\'s is 5432)');
    expect(databaseUrlProblem('postgres://pws@db.lab:0/pws')).toMatch(/^has the port "0"/);
    expect(databaseUrlProblem('postgres://pws@db.lab/pws?sslmode=prefer')).toMatch(/^sslmode=prefer may fall back to an unencrypted connection/);
    expect(databaseUrlProblem('postgres://pws@db.lab/pws?sslmode=fast')).toBe('sslmode=fast is not one of disable, require, verify-ca, verify-full');
  });

  it('takes the forms the connection takes', () => {
    for (const url of [
      'postgres://pws@db.lab/pws',
      'postgresql://pws@db.lab:5432/pws?sslmode=verify-ca&sslrootcert=/etc/ca.pem',
      'postgres://pws@[fe80::1%25eth0]:5432/pws',
      'postgres://pws@/pws?host=/run/postgresql',
      'postgres://db.lab',
    ])
      expect(databaseUrlProblem(url), url).toBeUndefined();
  });
});
