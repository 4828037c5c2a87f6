import { describe, expect, it } from 'vitest';
import { createStderrLogger, redactSecrets } from '../../../../electron/services/log';

describe('redactSecrets, the last line of defence in every log line', () => {
  it('masks an API key and the password of a database URL, and leaves the rest', () => {
    expect(redactSecrets('key ak_0123456789abcdef1a2b for postgres://pws:s3cr3t%40x@db.lab:5432/pws?sslmode=verify-full')).toBe(
      'key ak_…1a2b for postgres://pws:***@db.lab:5432/pws?sslmode=verify-full',
    );
    expect(redactSecrets('postgresql://pws@db.lab/pws and POSTGRES://u:p@h/d')).toBe('postgresql://pws@db.lab/pws and POSTGRES://u:***@h/d');
  });
});

describe('the stderr logger', () => {
  it('writes what a device or the cloud said with the characters a terminal acts on written out, and keys masked', () => {
    const written: string[] = [];
    const real = process.stderr.write;
    process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
    try {
      createStderrLogger().warn('board said: \u001b]0;owned\u0007\u001b[2Jfailed\rpassed \u202eevil ak_0123456789abcdef1a2b');
    } finally {
      process.stderr.write = real;
    }
    expect(written).toEqual(['[warn] board said: \\u001b]0;owned\\u0007\\u001b[2Jfailed\\u000dpassed \\u202eevil ak_…1a2b\n']);
  });

  it("marks the CLI's lines as its commands mark theirs: pws: warning:, and pws: info: only with --verbose", () => {
    const written: string[] = [];
    const real = process.stderr.write;
    process.stderr.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stderr.write;
    try {
      const quiet = createStderrLogger({ style: 'cli' });
      quiet.info('not shown');
      quiet.warn('2 journal files were skipped');
      quiet.error('failed', new Error('because'));
      createStderrLogger({ style: 'cli', verbose: true }).info('API key saved');
    } finally {
      process.stderr.write = real;
    }
    expect(written).toEqual(['pws: warning: 2 journal files were skipped\n', 'pws: error: failed: because\n', 'pws: info: API key saved\n']);
  });
});
