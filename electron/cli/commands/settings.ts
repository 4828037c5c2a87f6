import { SettingsSchema, type SettingsPatch } from '../../../shared/contract/settings';
import { print, unwrap, usageError, type CliCommand } from '../command';

const KEYS = Object.keys(SettingsSchema.shape);

/** Coerce a command-line string to what the setting expects: numbers for numbers, JSON for lists. */
function coerce(key: string, raw: string): unknown {
  const field = SettingsSchema.shape[key as keyof typeof SettingsSchema.shape];
  const probe = field.safeParse(undefined);
  const sample = probe.success ? probe.data : undefined;
  if (typeof sample === 'number') return Number(raw);
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

export const settingsCommand: CliCommand = {
  usage: 'settings [get [KEY] | set KEY VALUE] [--json]',
  description: `Shows the settings, one of them, or changes one. Keys: ${KEYS.join(', ')}.`,
  async run(ctx) {
    const [verb = 'get', key, value, ...extra] = ctx.positionals;
    const service = () => ctx.core().services.settings;
    if (verb === 'get') {
      if (key && !KEYS.includes(key)) throw usageError(`unknown setting "${key}": one of ${KEYS.join(', ')}`);
      const settings = unwrap(await service().get());
      const shown = key ? { [key]: settings[key as keyof typeof settings] } : settings;
      print(ctx, shown, () => Object.entries(shown).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('\n'));
      return;
    }
    if (verb === 'set') {
      if (!key || value === undefined || extra.length) throw usageError('usage: pws settings set KEY VALUE');
      if (!KEYS.includes(key)) throw usageError(`unknown setting "${key}": one of ${KEYS.join(', ')}`);
      const patch = { [key]: coerce(key, value) };
      const check = SettingsSchema.partial().safeParse(patch);
      if (!check.success) throw usageError(`settings set ${key}: ${check.error.issues[0]?.message ?? 'invalid value'}`);
      const settings = unwrap(await service().update(check.data as SettingsPatch));
      print(ctx, settings, () => `${key} is now ${JSON.stringify(settings[key as keyof typeof settings])}`);
      return;
    }
    throw usageError(`unknown settings verb "${verb}": use get or set`);
  },
};
