import { describe, it, expect, expectTypeOf } from 'vitest';
import { channels, fail, ok, type CommonErrorCode, type ResultOf } from '../../../../shared/contract/index';
import type { SettingsErrorCode } from '../../../../shared/contract/settings';
import { silentLogger } from '../../../../electron/services/log';
import { Router } from '../../../../electron/services/router';

// Checked by `npm run typecheck` (tsc -b); the run-time part only shows the route was taken.
describe('failure codes carried by a channel', () => {
  it('a channel that declares its codes answers those and the common ones, with details typed per code', () => {
    type R = ResultOf<typeof channels.settings.get>;
    expectTypeOf<Extract<R, { ok: false }>['code']>().toEqualTypeOf<SettingsErrorCode | CommonErrorCode>();
    expectTypeOf<Extract<R, { code: 'invalid-request' }>['details']>().toEqualTypeOf<{ issues: Array<{ path: string; message: string }> } | undefined>();
    expectTypeOf<CommonErrorCode>().toExtend<'forbidden-sender' | 'disconnected' | string>();
    // A channel that declares none keeps any code.
    expectTypeOf<Extract<ResultOf<typeof channels.devices.list>, { ok: false }>['code']>().toEqualTypeOf<string>();
  });

  it('a handler may not answer a code its channel does not declare', async () => {
    const router = new Router(silentLogger);
    // @ts-expect-error: 'made-up' is no settings code
    router.route(channels.settings.get, async () => fail('made-up', 'not a settings failure'));
    expect(() => router.route(channels.settings.update, async () => fail('settings-unwritable', 'disk full'))).not.toThrow();
    expect(await router.dispatch('settings:update', {}, { door: 'test' })).toEqual({ ok: false, code: 'settings-unwritable', message: 'disk full' });
    expect(ok(1)).toEqual({ ok: true, value: 1 });
  });
});
