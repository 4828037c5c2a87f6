import { API_KEY_MASK_PREFIX, redactApiKeys, redactUrlPasswords } from '../../shared/domain/mask';
import { revealHidden } from '../../shared/domain/visible-text';

/**
 * A minimal logger. Services log through it, never console directly, so that the CLI can keep stdout
 * for JSON and so that one place can be checked for secrets: callers pass no secret values, and
 * `redactSecrets` masks anything that looks like an API key or a database URL's password as a last line of defence.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function redactSecrets(text: string): string {
  return redactUrlPasswords(redactApiKeys(text, (k) => `${API_KEY_MASK_PREFIX}${k.slice(-4)}`));
}

export function createStderrLogger(opts: { verbose?: boolean } = {}): Logger {
  // Log lines carry what devices and the cloud said: hidden and terminal-driving characters are written out.
  const write = (level: string, msg: string): void => void process.stderr.write(`${revealHidden(redactSecrets(`[${level}] ${msg}`), { keepLines: true })}\n`);
  return {
    info: (m) => {
      if (opts.verbose) write('info', m);
    },
    warn: (m) => write('warn', m),
    error: (m, err) => write('error', opts.verbose && err instanceof Error ? `${m}: ${err.stack}` : `${m}${err ? `: ${(err as Error).message ?? err}` : ''}`),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
