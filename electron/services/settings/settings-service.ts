import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SettingsSchema, settingsEvents, type Settings, type SettingsErrorCode, type SettingsPatch, type SshKeyCheck } from '../../../shared/contract/settings';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { EventHub } from '../events';
import { writeJsonAtomic } from '../fs/atomic';
import { writeProblem } from '../fs/user-paths';
import { issueInWords } from '../../../shared/contract/issue-words';
import { sshKeyProblem } from '../ssh/ssh-key-file';
import { homedir } from 'node:os';

export const SETTINGS_FILE = 'settings.json';

export interface SettingsService {
  get(): Promise<Result<Settings, SettingsErrorCode>>;
  update(patch: SettingsPatch): Promise<Result<Settings, SettingsErrorCode>>;
  /** Whether the SSH key at `path` (as sshKeyPath would hold it) can be read. */
  checkSshKey(path: string): Promise<Result<SshKeyCheck, SettingsErrorCode>>;
}

/**
 * Settings live in `<dataDir>/settings.json`, written atomically. A missing file means defaults.
 * A file that isn't valid JSON or doesn't match the schema is reported, never silently replaced,
 * because overwriting it would lose the user's pinned devices and presets.
 */
export function createSettingsService(deps: { dataDir: string; events: EventHub; home?: string }): SettingsService {
  const file = join(deps.dataDir, SETTINGS_FILE);
  // Serialise writes so two quick updates can't interleave read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();

  async function read(): Promise<Result<Settings, SettingsErrorCode>> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ok(SettingsSchema.parse({}));
      return fail('settings-unreadable', `could not read ${file}: ${(err as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail('settings-unreadable', `${file} is not valid JSON: fix it by hand or move it aside to start from defaults`);
    }
    const parsed = SettingsSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        'settings-unreadable',
        `${file}: field "${issue?.path.join('.') || '(root)'}" ${issue ? issueInWords(issue) : 'is invalid'}: fix it by hand or move the file aside`,
      );
    }
    return ok(parsed.data);
  }

  function update(patch: SettingsPatch): Promise<Result<Settings, SettingsErrorCode>> {
    const run = queue.then(async (): Promise<Result<Settings, SettingsErrorCode>> => {
      const current = await read();
      if (!current.ok) return current;
      const next = SettingsSchema.parse({ ...current.value, ...patch, database: { ...current.value.database, ...patch.database } });
      try {
        await writeJsonAtomic(file, next, 0o600);
      } catch (err) {
        return fail('settings-unwritable', `could not write ${file}: ${writeProblem(err)}`);
      }
      deps.events.emit(settingsEvents.changed, next);
      return ok(next);
    });
    queue = run.catch(() => undefined);
    return run;
  }

  async function checkSshKey(path: string): Promise<Result<SshKeyCheck, SettingsErrorCode>> {
    const problem = await sshKeyProblem(path, deps.home ?? homedir());
    return ok(problem === null ? { readable: true } : { readable: false, problem });
  }

  return { get: read, update, checkSshKey };
}
