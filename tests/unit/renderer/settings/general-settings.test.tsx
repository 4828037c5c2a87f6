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
