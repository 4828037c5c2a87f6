import { describe, expect, it } from 'vitest';
import { databaseFailure } from '../../../../../electron/services/database/database-errors';

const target = 'postgres://pws@db.lab:5432/pws';
const codeOf = (err: unknown) => databaseFailure(err, target).code;

describe('databaseFailure', () => {
  it('says the database is unreachable for a refused, dropped or already broken connection', () => {
    expect(codeOf(Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('database-unreachable');
    expect(codeOf(new Error('Connection terminated unexpectedly'))).toBe('database-unreachable');
    expect(codeOf(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('database-unreachable');
    // node-postgres, for a client whose connection has already failed (seen when the server stops mid-run)
    expect(codeOf(new Error('Client has encountered a connection error and is not queryable'))).toBe('database-unreachable');
  });

  it('tells a refused login and an outdated schema apart, and names the database without a password', () => {
    const login = databaseFailure(Object.assign(new Error('password authentication failed for user "pws"'), { code: '28P01' }), target);
    expect(login).toMatchObject({ code: 'database-login-refused', message: expect.stringContaining(target) });
    expect(codeOf(Object.assign(new Error('relation "identities" does not exist'), { code: '42P01' }))).toBe('database-schema-outdated');
    expect(codeOf(new Error('division by zero'))).toBe('database-error');
  });
});
