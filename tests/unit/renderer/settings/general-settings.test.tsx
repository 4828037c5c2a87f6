// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { SettingsSchema } from '../../../../shared/contract/settings';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import { setClient } from '../../../../renderer/transport/client';
import { useSettingsStore } from '../../../../renderer/app/settings-store';
import { useNotifications } from '../../../../renderer/app/notifications-store';
import { GeneralSettings } from '../../../../renderer/features/settings/GeneralSettings';
import { fakeClient } from '../../../support/renderer/fake-client';

beforeEach(() => {
  useSettingsStore.setState({ settings: SettingsSchema.parse({}), error: null });
  useNotifications.setState({ toasts: [] });
});
afterEach(cleanup);

describe('Settings → General: devices provisioned at once', () => {
  it.each(['0', '65', '2.5', ''])('refuses %j with the rule the core checks, and saves nothing', (typed) => {
    const fake = fakeClient().answer(channels.settings.update, (patch) => ok(SettingsSchema.parse(patch)));
    setClient(fake.client);
    render(<GeneralSettings />);
    const input = screen.getByLabelText('Devices provisioned at once');
    fireEvent.change(input, { target: { value: typed } });
    fireEvent.blur(input);
    expect(useNotifications.getState().toasts.map((t) => t.text)).toEqual(['Devices provisioned at once must be a whole number from 1 to 64']);
    expect(fake.requests(channels.settings.update)).toEqual([]);
  });

  it('saves a whole number in range', async () => {
    const fake = fakeClient().answer(channels.settings.update, (patch) => ok(SettingsSchema.parse(patch)));
    setClient(fake.client);
    render(<GeneralSettings />);
    const input = screen.getByLabelText('Devices provisioned at once');
    fireEvent.change(input, { target: { value: '12' } });
    fireEvent.blur(input);
    await waitFor(() => expect(fake.requests(channels.settings.update)).toEqual([{ concurrency: 12 }]));
    expect(useNotifications.getState().toasts.filter((t) => t.kind === 'error')).toEqual([]);
  });
});

describe('Settings → General: the SSH key', () => {
  it('a saved path whose key cannot be read is said under the field, and a readable one clears it', async () => {
    const fake = fakeClient()
      .answer(channels.settings.update, (patch) => ok(SettingsSchema.parse(patch)))
      .answer(channels.settings.checkSshKey, ({ path }) => ok(path === '/keys/missing' ? { readable: false, problem: 'no such file' } : { readable: true }));
    setClient(fake.client);
    render(<GeneralSettings />);
    const input = screen.getByLabelText(/^SSH key for production images/);
    fireEvent.change(input, { target: { value: ' /keys/missing ' } });
    fireEvent.blur(input);
    const problem = await screen.findByText('This key could not be read (no such file): logins to production images will be refused until it can.');
    expect(input.getAttribute('aria-describedby')).toBe(problem.id);
    expect(fake.requests(channels.settings.checkSshKey)).toEqual([{ path: '/keys/missing' }]);

    fireEvent.change(input, { target: { value: '/keys/id_ed25519' } });
    fireEvent.blur(input);
    await waitFor(() => expect(screen.queryByText(/This key could not be read/)).toBeNull());
    expect(input.getAttribute('aria-describedby')).toBeNull();
  });

  it('an empty path (the ~/.ssh/config default) asks nothing', async () => {
    const fake = fakeClient().answer(channels.settings.update, (patch) => ok(SettingsSchema.parse(patch)));
    setClient(fake.client);
    render(<GeneralSettings />);
    const input = screen.getByLabelText(/^SSH key for production images/);
    fireEvent.blur(input);
    await waitFor(() => expect(fake.requests(channels.settings.update)).toEqual([{ sshKeyPath: '' }]));
    expect(fake.requests(channels.settings.checkSshKey)).toEqual([]);
  });
});
