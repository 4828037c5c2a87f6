import { useEffect } from 'react';
import { useCertificatesStore } from './certificates-store';
import { useSettingsStore } from '../settings/settings-store';
import { UpdateCertWizard } from './UpdateCertWizard';
import { CertificateTables } from './CertificateTables';
import { CreateDeveloperCertificate } from './CreateDeveloperCertificate';
import { ImportUpdateCertificate } from './ImportUpdateCertificate';
import { CaTable } from './CaTable';
import { CaWizard } from './CaWizard';
import './certificates.css';

/** Team Store certificates, the cloud's developer certificates, the own CAs, and the ways into the two wizards. */
export function CertificatesScreen() {
  const view = useCertificatesStore((s) => s.view);
  const load = useCertificatesStore((s) => s.load);
  const openWizard = useCertificatesStore((s) => s.openWizard);
  const settings = useSettingsStore((s) => s.settings);
  const loadSettings = useSettingsStore((s) => s.load);

  useEffect(() => {
    void load();
    if (!useSettingsStore.getState().settings) void loadSettings();
  }, [load, loadSettings]);

  if (view === 'wizard') return <UpdateCertWizard />;
  if (view === 'ca-wizard') return <CaWizard />;

  return (
    <section aria-labelledby="screen-title" className="certificates">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Certificates</h1>
          <p className="muted">Developer and update certificates and your own CAs in the Team Store, shared with mbl-cli and the pws CLI.</p>
        </div>
        <button type="button" className="primary" onClick={() => openWizard(settings?.wizardPreset)}>
          New update certificate
        </button>
      </div>
      <CertificateTables />
      <div className="cert-actions">
        <CreateDeveloperCertificate />
        <ImportUpdateCertificate />
      </div>
      <CaTable />
    </section>
  );
}
