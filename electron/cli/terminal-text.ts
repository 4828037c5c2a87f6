import { redactUrlPasswords } from '../../shared/domain/mask';
import { revealHidden } from '../../shared/domain/visible-text';

/**
 * Text a terminal shows as it is: what it would act on, or what hides or reorders text, written as \uXXXX
 * (see `revealHidden`).
 */
export const terminalSafe = (text: string): string => revealHidden(text, { keepLines: true });

/**
 * stdout or stderr as commands write to them: text only, made terminal-safe on the way out, and with the
 * password of any URL in it masked (an error may quote back a URL someone typed, with its password).
 */
export interface CliOutput {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

export function terminalSafeOutput(stream: Pick<NodeJS.WritableStream, 'write'> & { readonly isTTY?: boolean }): CliOutput {
  return {
    write: (text) => stream.write(terminalSafe(redactUrlPasswords(text))),
    get isTTY() {
      return stream.isTTY;
    },
  };
}
