import { execFile } from 'node:child_process';
import { BackendUnavailableError, type SecretBackend } from './secret-backend';

/** The Secret Service (gnome-keyring, KWallet) asked over D-Bus whether the default collection is locked. */
function linuxDefaultCollectionLocked(env: NodeJS.ProcessEnv): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    execFile(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--reply-timeout=3000',
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets/aliases/default',
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.Secret.Collection',
        'string:Locked',
      ],
      { env, timeout: 5000 },
      (err, stdout, stderr) => {
        if (err) {
          // No such object: there is no default collection, which libsecret treats like a locked one.
          if (/UnknownObject|does not exist|No such object/i.test(`${stderr}`)) return resolve(true);
          return resolve(undefined); // dbus-send missing or no bus: let keytar's own error speak
        }
        if (/boolean true/.test(stdout)) return resolve(true);
        if (/boolean false/.test(stdout)) return resolve(false);
        resolve(undefined);
      },
    );
  });
}

/**
 * The real backend: keytar, imported lazily so `pws --help` never loads the native module.
 * Rejects with BackendUnavailableError when keytar can't be loaded.
 */
export async function loadKeytarBackend(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<SecretBackend> {
  let keytar: typeof import('keytar');
  try {
    const mod = (await import('keytar')) as typeof import('keytar') & { default?: typeof import('keytar') };
    keytar = mod.default ?? mod;
  } catch (err) {
    throw new BackendUnavailableError(`the keychain library (keytar) could not be loaded: ${(err as Error).message}`);
  }
  return {
    getPassword: (s, a) => keytar.getPassword(s, a),
    setPassword: (s, a, p) => keytar.setPassword(s, a, p),
    deletePassword: (s, a) => keytar.deletePassword(s, a),
    findCredentials: (s) => keytar.findCredentials(s),
    ...(platform === 'linux' ? { isLocked: () => linuxDefaultCollectionLocked(env) } : {}),
  };
}
