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

/** How a line is marked: `[warn] …` in the app's log, `pws: warning: …` as the CLI's own warnings are. */
const LEVEL_MARKS = {
  log: { info: '[info] ', warn: '[warn] ', error: '[error] ' },
  cli: { info: 'pws: info: ', warn: 'pws: warning: ', error: 'pws: error: ' },
};

export function createStderrLogger(
  opts: { verbose?: boolean; style?: keyof typeof LEVEL_MARKS; /** stderr by default */ write?: (line: string) => void } = {},
): Logger {
  const marks = LEVEL_MARKS[opts.style ?? 'log'];
  const out = opts.write ?? ((line: string) => void process.stderr.write(line));
  // Log lines carry what devices and the cloud said: hidden and terminal-driving characters are written out.
  const write = (level: keyof typeof marks, msg: string): void => out(`${revealHidden(redactSecrets(`${marks[level]}${msg}`), { keepLines: true })}\n`);
  return {
    info: (m) => {
      if (opts.verbose) write('info', m);
    },
    warn: (m) => write('warn', m),
    error: (m, err) => write('error', opts.verbose && err instanceof Error ? `${m}: ${err.stack}` : `${m}${err ? `: ${(err as Error).message ?? err}` : ''}`),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
