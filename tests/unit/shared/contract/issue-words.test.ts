import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueInWords } from '../../../../shared/contract/issue-words';

const wordsFor = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a validation issue');
  return issueInWords(r.error.issues[0]!);
};

describe('issueInWords', () => {
  it.each([
    ['a string too long', z.string().max(64), 'x'.repeat(65), 'must be at most 64 characters'],
    ['an empty string', z.string().min(1), '', 'must not be empty'],
    ['a string too short', z.string().min(3), 'ab', 'must be at least 3 characters'],
    ['a number too small', z.number().min(1), 0, 'must be at least 1'],
    ['a number too big', z.number().max(100), 101, 'must be at most 100'],
    ['a number not below a bound', z.number().lt(10), 10, 'must be less than 10'],
    ['a fraction', z.number().int(), 2.5, 'must be a whole number'],
    ['not a number', z.number(), Number.NaN, 'must be a number'],
    ['not a boolean', z.boolean(), 'yes', 'must be true or false'],
    ['not a list', z.array(z.string()), 3, 'must be a list'],
    ['not a record', z.record(z.string(), z.string()), [1, 2], 'must be an object of names and values, e.g. {"id": "text"}'],
    ['a list too long', z.array(z.string()).max(2), ['a', 'b', 'c'], 'must hold at most 2 items'],
    ['an unknown option', z.enum(['system', 'light', 'dark']), 'blue', 'must be one of system, light or dark'],
    ['a wrong literal', z.literal('yes'), 'no', 'must be yes'],
    ['an unknown field', z.object({ a: z.string() }).strict(), { a: '', b: 1 }, 'has no field b'],
    ['not a URL', z.string().url(), 'nope', 'must be a URL such as https://example.com'],
  ])("puts zod's default wording for %s as a rule", (_what, schema, value, words) => {
    expect(wordsFor(schema, value)).toBe(words);
  });

  it("keeps a schema's own message as written", () => {
    expect(wordsFor(z.string().max(3, { error: 'keep it short: 3 characters at most' }), 'abcd')).toBe('keep it short: 3 characters at most');
    expect(
      wordsFor(
        z.string().refine(() => false, { error: 'Invalid-looking but our own' }),
        'x',
      ),
    ).toBe('Invalid-looking but our own');
  });
});
