import { describe, it, expect, vi } from 'vitest';
import type { AfterPackContext } from 'electron-builder';
import notarizeAfterSign, { notaryCredentials, SKIPPED_MESSAGE } from '../../../build/notarize.mjs';

const mac = {
  electronPlatformName: 'darwin',
  appOutDir: '/out/mac',
  packager: { appInfo: { productFilename: 'Provisioning Workstation' } },
} as unknown as AfterPackContext;

async function run(env: NodeJS.ProcessEnv, context = mac) {
  const submit = vi.fn(async () => {});
  const lines: string[] = [];
  await notarizeAfterSign(context, { env, submit, say: (line) => lines.push(line) });
  return { submit, lines };
}

describe('the notarisation hook', () => {
  it('without credentials, skips with one line that names the variables', async () => {
    const { submit, lines } = await run({});
    expect(submit).not.toHaveBeenCalled();
    expect(lines).toEqual([SKIPPED_MESSAGE]);
    expect(SKIPPED_MESSAGE).toMatch(/APPLE_API_KEY.*APPLE_ID.*APPLE_KEYCHAIN_PROFILE/);
  });

  it('submits the signed app with an App Store Connect API key', async () => {
    const { submit } = await run({
      APPLE_API_KEY: '/keys/AuthKey.p8',
      APPLE_API_KEY_ID: 'T9GPZ92M7K',
      APPLE_API_ISSUER: 'c055ca8c-e5a8-4836-b61d-aa5794eeb3f4',
    });
    expect(submit).toHaveBeenCalledWith({
      appPath: '/out/mac/Provisioning Workstation.app',
      appleApiKey: '/keys/AuthKey.p8',
      appleApiKeyId: 'T9GPZ92M7K',
      appleApiIssuer: 'c055ca8c-e5a8-4836-b61d-aa5794eeb3f4',
    });
  });

  it('submits with an Apple ID and app-specific password, or a keychain profile', async () => {
    expect((await run({ APPLE_ID: 'rm@example.com', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh', APPLE_TEAM_ID: 'TEAM123' })).submit).toHaveBeenCalledWith(
      expect.objectContaining({ appleId: 'rm@example.com', appleIdPassword: 'abcd-efgh', teamId: 'TEAM123' }),
    );
    expect((await run({ APPLE_KEYCHAIN_PROFILE: 'pws-notary' })).submit).toHaveBeenCalledWith(expect.objectContaining({ keychainProfile: 'pws-notary' }));
  });

  it('refuses incomplete credentials, naming what is missing, instead of silently skipping', async () => {
    await expect(run({ APPLE_ID: 'rm@example.com', APPLE_TEAM_ID: 'TEAM123' })).rejects.toThrow(/APPLE_APP_SPECIFIC_PASSWORD missing/);
    expect(() => notaryCredentials({ APPLE_API_KEY_ID: 'T9GPZ92M7K' })).toThrow(/APPLE_API_KEY, APPLE_API_ISSUER missing/);
  });

  it('does nothing for Windows or Linux builds', async () => {
    const { submit, lines } = await run({ APPLE_KEYCHAIN_PROFILE: 'pws-notary' }, { ...mac, electronPlatformName: 'win32' } as AfterPackContext);
    expect(submit).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });
});
