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

  it('says what to do in the words of the screen, and names each fingerprint once, in the list', () => {
    const pinned = changedKey.hostKey!.pinned!;
    const presented = changedKey.hostKey!.presented;
    const coreMessage = `device fe80::2%eth0: host key changed (pinned ${pinned} under board-2 (mDNS on eth0) on 2026-06-01T00:00:00.000Z, presented ${presented}); if the board was re-flashed, forget its key (pws known-hosts forget fe80::2%eth0, or "Forget this device's key" in the app) and try again; otherwise something else is answering for this device: do not trust it`;
    setClient(fakeClient().client);
    const { container } = render(<DeviceError device={{ ...changedKey, error: { code: 'host-key-changed', message: coreMessage } }} label="board-2" />);
    const text = container.textContent ?? '';
    expect(text.split(pinned)).toHaveLength(2);
    expect(text.split(presented)).toHaveLength(2);
    expect(text).not.toContain('pws known-hosts');
    expect(text).toContain('If the board was re-flashed, forget its key and retry');
  });
});
