/**
 * A validation issue in words a user can act on, for the doors that show one (the CLI, the IPC router, stores).
 * A schema's own message is kept as written; zod's default wording, which speaks of types and operators
 * ("Too big: expected string to have <=64 characters"), becomes a rule ("must be at most 64 characters").
 */
export interface ValidationIssue {
  code: string;
  message: string;
  path: readonly PropertyKey[];
  origin?: string;
  maximum?: unknown;
  minimum?: unknown;
  inclusive?: boolean;
  expected?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  format?: string;
}

const ZOD_DEFAULT = /^(?:Invalid input|Invalid option|Too big|Too small|Unrecognized keys?|Invalid URL)\b/;

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object of names and values, e.g. {"id": "text"}',
  date: 'a date',
};

function bound(issue: ValidationIssue, side: 'most' | 'least'): string {
  const n = String(side === 'most' ? issue.maximum : issue.minimum);
  const strict = issue.inclusive === false;
  const what = side === 'most' ? (strict ? 'less than' : 'at most') : strict ? 'more than' : 'at least';
  if (issue.origin === 'string') return `must be ${what} ${n} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must hold ${what} ${n} items`;
  return `must be ${what} ${n}`;
}

export function issueInWords(issue: ValidationIssue): string {
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'too_big':
      return bound(issue, 'most');
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1 && issue.inclusive !== false ? 'must not be empty' : bound(issue, 'least');
    case 'invalid_type':
      return `must be ${KINDS[issue.expected ?? ''] ?? issue.expected}`;
    case 'invalid_value': {
      const values = (issue.values ?? []).map(String);
      return values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
    }
    case 'unrecognized_keys':
      return `has no field ${(issue.keys ?? []).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a URL such as https://example.com' : `must be a valid ${issue.format}`;
    default:
      return issue.message;
  }
}
