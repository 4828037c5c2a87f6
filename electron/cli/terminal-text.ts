/**
 * What a terminal acts on instead of showing: C0 controls except tab and newline (ESC starts colour, cursor and
 * title sequences; CR goes back to the start of the line), DEL, C1 controls, and the bidirectional overrides and
 * isolates that reorder what is shown. A board's name, a device's output or a cloud's message may hold any of
 * them; written as \uXXXX instead, a hostile one can neither drive the terminal nor make a failed line read as
 * passed.
 */
const ACTED_ON = /[^\P{Cc}\t\n]|[\u202a-\u202e\u2066-\u2069]/gu;

export const terminalSafe = (text: string): string => text.replace(ACTED_ON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** stdout or stderr as commands write to them: text only, made terminal-safe on the way out. */
export interface CliOutput {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

export function terminalSafeOutput(stream: NodeJS.WritableStream & { isTTY?: boolean }): CliOutput {
  return {
    write: (text) => stream.write(terminalSafe(text)),
    get isTTY() {
      return stream.isTTY;
    },
  };
}
