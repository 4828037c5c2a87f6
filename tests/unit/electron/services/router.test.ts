import { describe, it, expect } from 'vitest';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import type { Logger } from '../../../../electron/services/log';
import { Router } from '../../../../electron/services/router';

describe('router', () => {
  it('reports a handler that throws through its own logger, whichever door called', async () => {
    const errors: string[] = [];
    const log: Logger = { info() {}, warn() {}, error: (m) => void errors.push(m) };
    const router = new Router(log).route(channels.settings.get, async () => {
      throw new Error('disk on fire');
    });
    const r = await router.dispatch('settings:get', {}, { door: 'web' });
    expect(r).toMatchObject({ ok: false, code: 'internal', message: expect.stringMatching(/disk on fire/) });
    expect(errors).toEqual(['handler settings:get threw']);
  });

  it('answers unknown channels and bad requests without calling a handler', async () => {
    let called = 0;
    const router = new Router({ info() {}, warn() {}, error() {} }).route(channels.settings.update, async () => {
      called++;
      return ok(undefined as never);
    });
    expect(await router.dispatch('settings:nope', {}, { door: 'test' })).toMatchObject({ ok: false, code: 'unknown-channel' });
    expect(await router.dispatch('settings:update', { concurrency: 0 }, { door: 'test' })).toMatchObject({
      ok: false,
      code: 'invalid-request',
      details: { issues: [{ path: 'concurrency', message: expect.any(String) }] },
    });
    expect(called).toBe(0);
  });
});
