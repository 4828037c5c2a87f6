import { useEffect, useId, useState } from 'react';
import { useSettingsStore } from '../../app/settings-store';
import { useNotifications } from '../../app/notifications-store';
import { CONCURRENCY_RULE, ConcurrencySchema, MAX_CONCURRENCY } from '../../../shared/contract/bounds';

/** Settings → General: theme, how many devices at once, the SSH key, strict host keys. */
export function GeneralSettings() {
  const settings = useSettingsStore((s) => s.settings);
  const update = useSettingsStore((s) => s.update);
  const error = useSettingsStore((s) => s.error);
  const notify = useNotifications((s) => s.notify);
  const themeId = useId();
  const concurrencyId = useId();
  const keyId = useId();
  const strictId = useId();
  const sshKeyProblem = useSettingsStore((s) => s.sshKeyProblem);
  const [checkedKey, setCheckedKey] = useState<{ path: string; problem: string | null } | null>(null);
  const savedKeyPath = settings?.sshKeyPath ?? '';
  // Checked whenever the saved path changes (here or from the CLI), so a wrong path is said before a login fails.
  useEffect(() => {
    if (!savedKeyPath) return;
    let current = true;
    void sshKeyProblem(savedKeyPath).then((problem) => current && setCheckedKey({ path: savedKeyPath, problem }));
    return () => {
      current = false;
    };
  }, [savedKeyPath, sshKeyProblem]);
  const keyProblem = savedKeyPath && checkedKey?.path === savedKeyPath ? checkedKey.problem : null;
  if (!settings) return <p className="muted">{error ?? 'Loading settings…'}</p>;
  const save = async (patch: Parameters<typeof update>[0]) => {
    // A failure is shown above the fields (the store keeps it in `error`).
    if (!(await update(patch))) notify('success', 'Settings saved');
  };
  return (
    <div className="card form-grid" role="group" aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <label htmlFor={themeId}>
        Theme
        <select id={themeId} value={settings.theme} onChange={(e) => void save({ theme: e.target.value as typeof settings.theme })}>
          <option value="system">Follow the system</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <label htmlFor={concurrencyId}>
        Devices provisioned at once
        <input
          id={concurrencyId}
          type="number"
          min={1}
          max={MAX_CONCURRENCY}
          defaultValue={settings.concurrency}
          onBlur={(e) => {
            const n = ConcurrencySchema.safeParse(Number(e.target.value));
            if (n.success) void save({ concurrency: n.data });
            else notify('error', `Devices provisioned at once ${CONCURRENCY_RULE}`);
          }}
        />
      </label>
      <label htmlFor={keyId}>
        SSH key for production images
        <input
          id={keyId}
          type="text"
          placeholder="~/.ssh/id_ed25519 (empty: ~/.ssh/config host mbl-device)"
          defaultValue={settings.sshKeyPath}
          aria-describedby={keyProblem ? `${keyId}-problem` : undefined}
          onBlur={(e) => void save({ sshKeyPath: e.target.value.trim() })}
        />
        <span className="field-hint">Development images log in as root with an empty password and need no key.</span>
      </label>
      {keyProblem && (
        <span id={`${keyId}-problem`} className="field-error" role="status">
          This key could not be read ({keyProblem}): logins to production images will be refused until it can.
        </span>
      )}
      <div className="field">
        <label htmlFor={strictId} className="checkbox">
          <input
            id={strictId}
            type="checkbox"
            aria-describedby={`${strictId}-hint`}
            defaultChecked={settings.strictHostKeys}
            onChange={(e) => void save({ strictHostKeys: e.target.checked })}
          />
          Strict host keys
        </label>
        <span id={`${strictId}-hint`} className="field-hint">
          Refuse a board whose SSH host key is not pinned yet, instead of trusting it on first use; the run then shows its fingerprint and offers to trust it.
        </span>
      </div>
    </div>
  );
}
