// @vitest-environment jsdom
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { DatabaseStatus } from '../../../../shared/contract/database';
import { SettingsSchema } from '../../../../shared/contract/settings';
import { setClient } from '../../../../renderer/transport/client';
import { DatabaseSettings } from '../../../../renderer/features/database/DatabaseSettings';
import { MigrateConsent } from '../../../../renderer/features/database/MigrateConsent';
import { useDatabaseStore } from '../../../../renderer/features/database/database-store';
import { useSettingsStore } from '../../../../renderer/app/settings-store';
import { channels } from '../../../../shared/contract/index';
import { fail, ok } from '../../../../shared/contract/result';
import { giveJsdomModalDialogs } from '../../../support/renderer/modal-dialogs';
import { fakeClient, type FakeClient } from '../../../support/renderer/fake-client';

const URL_ = 'postgres://pws@db.lab.example/pws';
const local: DatabaseStatus = {
  source: 'none',
  connected: false,
  latestSchemaVersion: 2,
  waitingToSync: 0,
  station: 'bench-1',
  migrateOnStart: false,
  askConsent: false,
};
const behind: DatabaseStatus = { ...local, source: 'setting', target: URL_, connected: true, serverVersion: '15.18', schemaVersion: 1, passwordStored: true };

beforeAll(giveJsdomModalDialogs);
beforeEach(() => {
  useDatabaseStore.setState({ status: null, error: null, busy: null });
  useSettingsStore.setState({ settings: SettingsSchema.parse({}), error: null });
});
afterEach(cleanup);

function setup(status: DatabaseStatus, more: (fake: FakeClient) => FakeClient = (f) => f, ui = <DatabaseSettings />) {
  const fake = more(fakeClient().answer(channels.database.status, () => ok(status)));
  setClient(fake.client);
  render(ui);
  return fake;
}

describe('Settings → Shared database', () => {
  it('takes the URL and the password in separate fields, saves both, and then clears the password', async () => {
    const fake = setup(local, (f) => f.answer(channels.database.save, () => ok(behind)));
    const url = await screen.findByLabelText('Database URL');
    const password = screen.getByLabelText('Password');
    expect(password.getAttribute('type')).toBe('password');
    fireEvent.change(url, { target: { value: ` ${URL_} ` } });
    fireEvent.change(password, { target: { value: 'hunter2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('PostgreSQL 15.18');
    expect(fake.requests(channels.database.save)).toEqual([{ url: URL_, password: 'hunter2' }]);
    // Cleared when save() answers, which can be a tick after the new status is drawn.
    await waitFor(() => expect((password as HTMLInputElement).value).toBe(''));
    expect(password.getAttribute('placeholder')).toMatch(/Kept in the OS keychain/);
    expect(screen.getByTestId('database-schema').textContent).toMatch(/^1 \(this app: 2\)/);
  });

  it('a refused URL is marked on the URL field, tied to it, and the field takes the focus', async () => {
    setup(local, (f) =>
      f.answer(channels.database.save, () =>
        fail('database-url-invalid', 'database URL must start with postgres:// (for example postgres://pws@db.lab.example/pws)'),
      ),
    );
    const url = await screen.findByLabelText('Database URL');
    fireEvent.change(url, { target: { value: 'mysql://x' } });
    const save = screen.getByRole('button', { name: 'Save' });
    save.focus();
    fireEvent.click(save);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Database URL must start with postgres:\/\//);
    await waitFor(() => expect(document.activeElement).toBe(url));
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(url.getAttribute('aria-describedby')).toContain(alert.id);
  });

  it('tests a connection without saving it, and shows why it failed', async () => {
    const unreachable: DatabaseStatus = {
      ...behind,
      connected: false,
      schemaVersion: undefined,
      serverVersion: undefined,
      error: 'the shared database x is unreachable (ECONNREFUSED): check that the server runs',
    };
    const fake = setup(local, (f) => f.answer(channels.database.test, () => ok(unreachable)));
    fireEvent.change(await screen.findByLabelText('Database URL'), { target: { value: URL_ } });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect((await screen.findByTestId('database-connection')).textContent).toMatch(/^The shared database x is unreachable/);
    expect(fake.requests(channels.database.save)).toEqual([]);
  });

  it('keeps focus on Test connection while it tests (aria-disabled, not disabled), and a second press sends nothing', async () => {
    let answer: (s: DatabaseStatus) => void = () => undefined;
    const fake = setup(local, (f) =>
      f.answer(channels.database.test, () => new Promise<ReturnType<typeof ok<DatabaseStatus>>>((r) => (answer = (s) => r(ok(s))))),
    );
    fireEvent.change(await screen.findByLabelText('Database URL'), { target: { value: URL_ } });
    const button = screen.getByRole('button', { name: 'Test connection' });
    button.focus();
    fireEvent.click(button);
    const testing = await screen.findByRole('button', { name: 'Testing…' });
    expect(testing).toBe(button);
    expect(testing.hasAttribute('disabled')).toBe(false);
    expect(testing.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(testing);
    fireEvent.submit(screen.getByRole('form', { name: 'Shared database connection' }));
    expect(fake.requests(channels.database.test)).toHaveLength(1);
    expect(fake.requests(channels.database.save)).toEqual([]);
    answer(behind);
    await screen.findByRole('button', { name: 'Test connection' });
    expect(document.activeElement).toBe(button);
  });

  it('offers Migrate when the schema is behind, and runs it', async () => {
    const fake = setup(behind, (f) => f.answer(channels.database.migrate, () => ok({ from: 1, to: 2, applied: [{ version: 2, name: 'identities' }] })));
    fireEvent.click(await screen.findByRole('button', { name: 'Migrate to schema version 2' }));
    await waitFor(() => expect(fake.requests(channels.database.migrate)).toHaveLength(1));
  });
});

describe('the once-asked consent to migrate on start', () => {
  it('is not shown unless the core asks for it', async () => {
    const fake = setup(behind, undefined, <MigrateConsent />);
    await waitFor(() => expect(fake.requests(channels.database.status)).toHaveLength(1));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says what migrating changes and sends the answer', async () => {
    const fake = setup(
      { ...behind, migrateOnStart: true, askConsent: true },
      (f) => f.answer(channels.database.consent, () => ok({ ...behind, schemaVersion: 2 })),
      <MigrateConsent />,
    );
    expect(await screen.findByText(/is at schema version 1; this app needs version 2/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Migrate, now and on every start' }));
    await waitFor(() => expect(fake.requests(channels.database.consent)).toEqual([{ migrateOnStart: true }]));
    await waitFor(() => expect(screen.queryByText(/this app needs version/)).toBeNull());
  });
});
