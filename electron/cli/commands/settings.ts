import { DatabaseSettingsSchema, SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/contract/settings';
import { issueInWords, type ValidationIssue } from '../../../shared/contract/issue-words';
import { print, unwrap, usageError, warn, type CliCommand } from '../command';

const KEYS = Object.keys(SettingsSchema.shape);
/** Object settings whose fields are also set one by one, as `database.url`. */
const NESTED = { database: DatabaseSettingsSchema } as const;
const NESTED_KEYS = Object.entries(NESTED).flatMap(([parent, schema]) => Object.keys(schema.shape).map((k) => `${parent}.${k}`));

type Field = { safeParse(v: unknown): { success: boolean; data?: unknown } };

/** The schema field a (possibly dotted) key names, or a usage error listing the keys. */
function fieldOf(key: string): Field {
  const [parent, child] = key.split('.') as [string, string | undefined];
  const field = child
    ? (NESTED[parent as keyof typeof NESTED]?.shape as Record<string, Field> | undefined)?.[child]
    : (SettingsSchema.shape as Record<string, Field>)[parent];
  if (!field) throw usageError(`unknown setting "${key}": one of ${[...KEYS, ...NESTED_KEYS].join(', ')}`);
  return field;
}

/** The setting's default: its type tells how to read a value from the command line. */
function defaultOf(key: string): unknown {
  const probe = fieldOf(key).safeParse(undefined);
  return probe.success ? probe.data : undefined;
}

/** Coerce a command-line string to what the setting expects: numbers, booleans, JSON for lists. */
function coerce(key: string, raw: string): unknown {
  const sample = defaultOf(key);
  // Digits only: Number() would also take 0x10, 1e1 and an empty string (as 0).
  if (typeof sample === 'number') return /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof sample === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw usageError(`settings set ${key}: the value must be true or false`);
    return raw === 'true';
  }
  if (typeof sample === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      throw usageError(`settings set ${key}: the value must be JSON, e.g. '[]'`);
    }
  }
  return raw;
}

/** The schema's rule in words; for a list or object setting, also where in the JSON the value went wrong. */
function problem(key: string, issue: ValidationIssue | undefined): string {
  if (!issue) return 'invalid value';
  if (typeof defaultOf(key) !== 'object') return issueInWords(issue);
  const at = issue.path
    .slice(key.split('.').length)
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('');
  return `${at ? `${key}${at} ` : ''}${issueInWords(issue)}: give JSON shaped like \`pws settings get ${key} --json\` shows`;
}

/** The value as given, quoted as a shell would take it back, and shortened: an error names it without repeating a long paste. */
function quoted(value: string): string {
  const short = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return short.includes("'") ? JSON.stringify(short) : `'${short}'`;
}

const valueAt = (settings: Settings, key: string): unknown =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], settings);

export const settingsCommand: CliCommand = {
  usage: 'settings [get [KEY] | set KEY VALUE] [--json]',
  description: `Shows the settings, one of them, or changes one. Keys: ${[...KEYS, ...NESTED_KEYS].join(', ')}.`,
  async run(ctx) {
    const [verb = 'get', key, value, ...extra] = ctx.positionals;
    const service = () => ctx.core().services.settings;
    if (verb === 'get') {
      if (value !== undefined) throw usageError(`unexpected argument "${value}": pws settings get takes one KEY at most`);
      if (key) fieldOf(key);
      const settings = unwrap(await service().get());
      const shown = key ? { [key]: valueAt(settings, key) } : settings;
      print(ctx, shown, () =>
        Object.entries(shown)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join('\n'),
      );
      return;
    }
    if (verb === 'set') {
      if (!key || value === undefined || extra.length) throw usageError('usage: pws settings set KEY VALUE');
      const [parent, child] = key.split('.') as [string, string | undefined];
      const coerced = coerce(key, value);
      const check = SettingsPatchSchema.safeParse(child ? { [parent]: { [child]: coerced } } : { [parent]: coerced });
      if (!check.success) throw usageError(`settings set ${key} ${quoted(value)}: ${problem(key, check.error.issues[0])}`);
      const settings = unwrap(await service().update(check.data as SettingsPatch));
      print(ctx, settings, () => `${key} is now ${JSON.stringify(valueAt(settings, key))}`);
      if (key === 'sshKeyPath' && settings.sshKeyPath) {
        // said now rather than at the next login, which would fall back to a password and be refused
        const keyFile = unwrap(await service().checkSshKey(settings.sshKeyPath));
        if (!keyFile.readable)
          warn(ctx, `the SSH key ${settings.sshKeyPath} could not be read (${keyFile.problem}): logins to production images will be refused until it can`);
      }
      return;
    }
    throw usageError(`unknown settings verb "${verb}": use get or set`);
  },
};
