import { useId, useState } from 'react';
import type { Device } from '../../../shared/contract/devices';
import { Dialog } from '../../app/Dialog';
import { useDevicesStore } from './devices-store';

/** Sets or clears a device's nickname (shown instead of its name everywhere). */
export function RenameDialog({ device, onClose }: { device: Device; onClose: () => void }) {
  const setNickname = useDevicesStore((s) => s.setNickname);
  const [value, setValue] = useState(device.nickname ?? '');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const save = async () => {
    const failure = await setNickname(device.id, value.trim());
    if (failure) setError(failure.message);
    else onClose();
  };
  return (
    <Dialog
      title={`Nickname for ${device.name}`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={`${id}-form`} className="primary">
            Save
          </button>
        </>
      }
    >
      <form
        id={`${id}-form`}
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label htmlFor={id}>
          Nickname
          <input
            id={id}
            autoFocus
            value={value}
            maxLength={64}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hint`}
          />
        </label>
        <span id={`${id}-hint`} className="field-hint">
          Leave empty to show the discovered name again.
        </span>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
