import { useId, useState } from 'react';
import { formatAddress, parseAddress } from '../../../shared/domain/address';
import { Dialog } from '../../app/Dialog';
import { failedField } from '../../app/store-kit';
import { useDevicesStore } from './devices-store';

type Field = 'address' | 'port' | 'nickname';

/** Checks the form as the core will, so the error names its field before anything is sent. */
export function checkAddForm(address: string, port: string): { ok: true; address: string } | { ok: false; field: Field; message: string } {
  const parsed = parseAddress(address, 'Address');
  if (!parsed.ok) return { ok: false, field: 'address', message: parsed.message };
  const p = port.trim();
  if (!p) return { ok: true, address: formatAddress(parsed.address) };
  if (!/^\d{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535) {
    return { ok: false, field: 'port', message: `Port "${p}" is not a port number: give a whole number from 1 to 65535, or leave it empty for 22` };
  }
  if (parsed.address.port !== undefined && parsed.address.port !== Number(p)) {
    return { ok: false, field: 'port', message: `Port ${p} differs from the port ${parsed.address.port} in the address: give the port once` };
  }
  return { ok: true, address: formatAddress({ ...parsed.address, port: Number(p) }) };
}

/** "Add device by address": any ADDRESS form (IPv4, IPv6 with %scope, [v6%if]:port, host name), an optional port and nickname. */
export function AddDeviceDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (name: string) => void }) {
  const addManual = useDevicesStore((s) => s.addManual);
  const [address, setAddress] = useState('');
  const [port, setPort] = useState('');
  const [nickname, setNickname] = useState('');
  const [error, setError] = useState<{ field: Field | 'form'; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { address: useId(), port: useId(), nickname: useId(), error: useId() };

  const submit = async () => {
    const checked = checkAddForm(address, port);
    if (!checked.ok) return setError({ field: checked.field, message: checked.message });
    setBusy(true);
    const failure = await addManual(checked.address, nickname.trim() || undefined);
    setBusy(false);
    if (failure) {
      const field: Field | 'form' =
        failedField(failure, ['address', 'nickname'] as const) ??
        (['invalid-address', 'unresolvable-address', 'manual-device-exists'].includes(failure.code) ? 'address' : 'form');
      return setError({ field, message: failure.message });
    }
    // A device added by address is named by the address as given.
    onAdded(nickname.trim() || checked.address);
    onClose();
  };

  const invalid = (f: Field) => (error?.field === f ? { 'aria-invalid': true as const, 'aria-describedby': ids.error } : {});
  return (
    <Dialog
      title="Add device by address"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={`${ids.address}-form`} className="primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add device'}
          </button>
        </>
      }
    >
      <form
        id={`${ids.address}-form`}
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={ids.address}>
          Address
          <input
            id={ids.address}
            autoFocus
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="169.254.20.3, fe80::1%eth0, [fe80::1%eth0]:2222 or board.local"
            spellCheck={false}
            autoComplete="off"
            aria-describedby={error?.field === 'address' ? `${ids.error} ${ids.address}-hint` : `${ids.address}-hint`}
            aria-invalid={error?.field === 'address' ? true : undefined}
          />
        </label>
        <span id={`${ids.address}-hint`} className="field-hint">
          An IPv4 or IPv6 address (a link-local one with %interface) or a host name, optionally with :port.
        </span>
        <label htmlFor={ids.port}>
          Port (optional)
          <input id={ids.port} inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} placeholder="22" {...invalid('port')} />
        </label>
        <label htmlFor={ids.nickname}>
          Nickname (optional)
          <input id={ids.nickname} value={nickname} maxLength={64} onChange={(e) => setNickname(e.target.value)} {...invalid('nickname')} />
        </label>
        {error && (
          <p id={ids.error} className="field-error" role="alert">
            {error.message}
          </p>
        )}
      </form>
    </Dialog>
  );
}
