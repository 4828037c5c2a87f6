import { useEffect } from 'react';
import { useNavigation } from '../../app/navigation-store';
import { usePreparedDevices } from '../../app/prepared-devices';
import { ResultsTable } from './ResultsTable';
import { RunBoard } from './RunBoard';
import { SetupPanel } from './SetupPanel';
import { useProvisioningStore } from './provisioning-store';
import './provisioning.css';

/** Provisioning: set up (certificates, summary, confirm), then the live board, then the results. */
export function ProvisioningScreen() {
  // What is on the board, not the run itself: a progress event re-renders the rows it changes, not the screen.
  const shown = useProvisioningStore((s) => (s.run ? (s.run.finished ? 'results' : 'board') : 'none'));
  const hasPrepared = usePreparedDevices((s) => s.prepared.length > 0);
  const restore = useProvisioningStore((s) => s.restore);
  const go = useNavigation((s) => s.go);

  useEffect(() => {
    void restore();
  }, [restore]);

  return (
    <section aria-labelledby="screen-title" className="provisioning-screen">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Provisioning</h1>
          <p className="muted">Give each device a developer certificate or its own identity, and an update certificate, then verify.</p>
        </div>
      </div>
      {shown === 'results' ? (
        <>
          <ResultsTable />
          <details className="finished-board">
            <summary>Stages and logs per device</summary>
            <RunBoard />
          </details>
        </>
      ) : shown === 'board' ? (
        <RunBoard />
      ) : hasPrepared ? (
        <SetupPanel />
      ) : (
        <div className="card empty-state" role="status">
          <h2>No devices chosen</h2>
          <p>
            Select devices on the Devices screen and press <strong>Provision selected</strong>.
          </p>
          <button type="button" onClick={() => go('devices')}>
            Go to Devices
          </button>
        </div>
      )}
    </section>
  );
}
