/**
 * Characters that change how text reads without being seen: controls (C0, DEL and C1; a terminal acts on them:
 * ESC starts colour, cursor and title sequences, CR goes back to the start of the line) and format characters
 * (Unicode Cf: bidirectional overrides and isolates reorder what follows; zero-width spaces and joiners, the soft
 * hyphen and the byte-order mark show nothing). With one, a board's name can pass for another's, and a device's
 * or the cloud's text can drive a terminal or make a failed line read as passed.
 *
 * Pure: no Node built-ins.
 */
const HIDDEN = /[\p{Cc}\p{Cf}]/gu;
const HIDDEN_BUT_LINES = /[^\P{Cc}\t\n]|\p{Cf}/gu;

/** `\uXXXX` per UTF-16 unit (a surrogate pair beyond U+FFFF): the same escape JSON and JavaScript read back. */
const written = (c: string) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');

/**
 * The text with every such character written out as `\uXXXX`; `keepLines` leaves tab and newline as they are.
 * Inside a JSON string the result is still valid JSON that reads back as the original.
 */
export function revealHidden(text: string, opts: { keepLines?: boolean } = {}): string {
  return text.replace(opts.keepLines ? HIDDEN_BUT_LINES : HIDDEN, written);
}
