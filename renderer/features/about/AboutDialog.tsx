import { useEffect, useState } from 'react';
import { channels } from '../../../shared/contract/index';
import type { AppInfo } from '../../../shared/contract/app';
import { getClient } from '../../transport/client';
import { Dialog } from '../../app/Dialog';

export function AboutDialog({ onClose }: { onClose: () => void }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void getClient()
      .call(channels.app.info, {})
      .then((r) => (r.ok ? setInfo(r.value) : setError(r.message)));
  }, []);
  return (
    <Dialog
      title="About Provisioning Workstation"
      onClose={onClose}
      actions={
        <button type="button" onClick={onClose}>
          Close
        </button>
      }
    >
      {error && <p className="field-error">{error}</p>}
      {info && (
        <dl className="about-list">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Running as</dt>
          <dd>{info.door === 'electron' ? 'Electron app' : 'Loopback web host (127.0.0.1)'}</dd>
          {Object.entries(info.versions).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="mono">{v}</dd>
            </div>
          ))}
          <dt>Data folder</dt>
          <dd className="mono">{info.dataDir}</dd>
        </dl>
      )}
    </Dialog>
  );
}
