import type { ComponentType } from 'react';
import { StorePathsSettings } from '../features/certificates/StorePathsSettings';
import { AccountSettings } from '../features/credentials/AccountSettings';
import { DatabaseSettings } from '../features/database/DatabaseSettings';
import { GeneralSettings } from '../features/settings/GeneralSettings';

/** Settings gathers one section from each feature that has something to set, in this order. */
const sections: Array<{ id: string; Section: ComponentType }> = [
  { id: 'general', Section: GeneralSettings },
  { id: 'account', Section: AccountSettings },
  { id: 'stores', Section: StorePathsSettings },
  { id: 'database', Section: DatabaseSettings },
];

export function SettingsScreen() {
  return (
    <section aria-labelledby="screen-title">
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Settings</h1>
          <p className="muted">Saved to the app-data folder and shared with the pws CLI.</p>
        </div>
      </div>
      <div className="settings-sections">
        {sections.map(({ id, Section }) => (
          <Section key={id} />
        ))}
      </div>
    </section>
  );
}
