// @vitest-environment jsdom
import { describe, it, expect, afterEach, beforeAll } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import type { DeviceRunSnapshot } from '../../../../shared/contract/provisioning';
import { setClient } from '../../../../renderer/transport/client';
import { DeviceError } from '../../../../renderer/features/provisioning/DeviceError';
import { fakeClient } from '../../../support/renderer/fake-client';
import { giveJsdomModalDialogs } from '../../../support/renderer/modal-dialogs';

const changedKey: DeviceRunSnapshot = {
  device: 'mdns:board-2@eth0',
  hostname: 'board-2',
  address: 'fe80::2%eth0',
  state: 'failed',
  stage: 'connect',
  message: '',
  durationMs: 10,
  stages: [],
  log: [],
  error: { code: 'host-key-changed', message: 'device fe80::2%eth0: host key changed' },
  hostKey: {
    pinned: 'SHA256:ObliPTwgTo12oyZkdeqlkbEgaD91SPLwj/l30oe5Z30',
    pinnedUnder: 'board-2 (mDNS on eth0)',
    presented: 'SHA256:H5Ds32ozTym8cVXMzYGCGm7urNy5VQcmoeK8ci7relo',
    keyType: 'ssh-ed25519',
  },
};

beforeAll(giveJsdomModalDialogs);
afterEach(cleanup);

describe('DeviceError host-key actions', () => {
  it('keeps focus on the key button after the confirm, now saying the key was forgotten, instead of dropping it on the page', async () => {
    setClient(fakeClient().answer(channels.provisioning.forgetHostKey, () => ok({ forgotten: ['mdns:board-2@eth0'] })).client);
    render(<DeviceError device={changedKey} label="board-2" />);
    const forget = screen.getByRole('button', { name: "Forget this device's key (board-2)" });
    forget.focus();
    fireEvent.click(forget);
    fireEvent.click(await screen.findByRole('button', { name: 'Forget the key' }));
    const done = await screen.findByRole('button', { name: 'Key forgotten: retry to pin the new one' });
    await waitFor(() => expect(document.activeElement).toBe(done));
    expect(done.getAttribute('aria-disabled')).toBe('true');
    // Pressing it again asks nothing more.
    fireEvent.click(done);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
