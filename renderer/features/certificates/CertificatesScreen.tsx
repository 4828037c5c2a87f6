import { useEffect } from 'react';
import { CreateDeveloperCertificate } from '../../app/CreateDeveloperCertificate';
import { ImportCertificateFile } from '../../app/ImportCertificateFile';
import { useSettingsStore } from '../../app/settings-store';
import { useTeamStore } from '../../app/team-store';
import { useCertificatesStore } from './certificates-store';
import { UpdateCertWizard } from './UpdateCertWizard';
import { CertificateTables } from './CertificateTables';
import { CaTable } from './CaTable';
import { CaWizard } from './CaWizard';
import './certificates.css';

/** Team Store certificates, the cloud's developer certificates, the own CAs, and the ways into the two wizards. */
export function CertificatesScreen() {
  const view = useCertificatesStore((s) => s.view);
  const load = useTeamStore((s) => s.load);
  const openWizard = useCertificatesStore((s) => s.openWizard);
  const wizardPreset = useSettingsStore((s) => s.settings?.wizardPreset);
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
        <button type="button" className="primary" onClick={() => openWizard(wizardPreset)}>
          New update certificate
        </button>
      </div>
      <CertificateTables />
      <div className="cert-actions">
        <CreateDeveloperCertificate
          title="Create developer certificate"
          nameLabel="Developer certificate name"
          submitLabel="Create developer certificate"
          hint="Made in your Device Management account (needs an API key in Settings) and saved into the Team Store."
        />
        <ImportCertificateFile kind="developer" title="Import developer certificate" submitLabel="Import developer certificate" />
        <ImportCertificateFile kind="update" title="Import update certificate" submitLabel="Import update certificate" />
      </div>
      <CaTable />
    </section>
  );
}
