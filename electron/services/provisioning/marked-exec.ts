import { randomBytes } from 'node:crypto';
import { SshOpError, type DeviceConnection, type ExecResult } from '../ssh/connection';

/** The command ended (or failed) before printing an awaited marker. */
export class EndedBeforeMarker extends Error {
  constructor(
    readonly marker: string,
    readonly result: ExecResult | undefined,
    /** Output since the last marker. */
    readonly output: string,
    readonly reason?: unknown,
  ) {
    super(`ended before ${marker}`);
  }
}

export interface MarkedExec {
  /** Resolves when the script prints `@@pws:<nonce>:<name>=<value>`, with the output lines since the previous marker. */
  waitFor(name: string, signal: AbortSignal): Promise<{ value: string; output: string }>;
  readonly done: Promise<ExecResult>;
}

/** Lines kept between two markers, and the longest line kept: a device's output must not fill our memory. */
const SEGMENT_LINES = 200;
const MAX_LINE = 4096;

/** The shell variable that holds the run's nonce on the device; scripts print markers with `marker('name', 'value')`. */
const NONCE_VAR = 'pws_nonce';

/** A marker line as the script prints it: the nonce comes from stdin at run time, never from the script text. */
export const marker = (name: string, value: string) => `echo "@@pws:$${NONCE_VAR}:${name}=${value}"`;

/**
 * Runs one shell script that does several stages' work (one round trip instead of one per stage) and prints a
 * marker line after each, so the engine can still time, stream and fail each stage on its own. Output lines
 * that are not markers go to `onLine` (the device log). Aborting any wait closes the command's channel.
 *
 * The utility's output shares stdout with the markers, so a device could print a marker to fake a stage's
 * result. Markers therefore carry a random nonce per run, sent on stdin (so it is in no process list on the
 * device), and count only at the very start of a stdout line.
 */
export function runMarked(
  conn: DeviceConnection,
  script: string,
  onLine: (line: string) => void,
  opts: { timeoutMs?: number; nonce?: string } = {},
): MarkedExec {
  const nonce = opts.nonce ?? randomBytes(16).toString('hex');
  const prefix = `@@pws:${nonce}:`;
  const controller = new AbortController();
  const waiting = new Map<
    string,
    { resolve: (v: { value: string; output: string }) => void; reject: (e: unknown) => void; promise: Promise<{ value: string; output: string }> }
  >();
  const seen = new Map<string, { value: string; output: string }>();
  let segment: string[] = [];
  let partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  let finished = false;
  let endError: ((name: string) => unknown) | undefined;

  const slot = (name: string) => {
    let s = waiting.get(name);
    if (!s) {
      let resolve!: (v: { value: string; output: string }) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<{ value: string; output: string }>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined); // a marker nobody waits for must not become an unhandled rejection
      s = { resolve, reject, promise };
      waiting.set(name, s);
      const early = seen.get(name);
      if (early) resolve(early);
      else if (finished && endError) reject(endError(name));
    }
    return s;
  };

  const line = (raw: string, stream: 'stdout' | 'stderr') => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = stream === 'stdout' && text.startsWith(prefix) ? /^([a-z-]+)=(.*)$/.exec(text.slice(prefix.length)) : null;
    if (m) {
      const hit = { value: m[2]!, output: segment.join('\n') };
      segment = [];
      if (!seen.has(m[1]!)) seen.set(m[1]!, hit);
      waiting.get(m[1]!)?.resolve(hit);
      return;
    }
    if (!text.trim()) return;
    const kept = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)}… [line cut at ${MAX_LINE} characters]` : text;
    segment.push(kept);
    if (segment.length > SEGMENT_LINES) segment.splice(0, segment.length - SEGMENT_LINES);
    onLine(kept);
  };

  const done = conn.exec(`IFS= read -r ${NONCE_VAR} || exit 91\n${script}`, {
    signal: controller.signal,
    stdin: `${nonce}\n`,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    onOutput: (text, stream) => {
      const lines = (partial[stream] + text).split('\n');
      partial[stream] = lines.pop() ?? '';
      // a device that never ends its line: flush it as a (cut) line instead of growing the buffer
      if (partial[stream].length > MAX_LINE) {
        lines.push(partial[stream]);
        partial[stream] = '';
      }
      for (const l of lines) line(l, stream);
    },
  });
  const finish = (result: ExecResult | undefined, cause?: unknown) => {
    for (const s of ['stdout', 'stderr'] as const) if (partial[s]) line(partial[s], s);
    partial = { stdout: '', stderr: '' };
    finished = true;
    endError = (name) => (cause instanceof SshOpError ? cause : new EndedBeforeMarker(name, result, segment.join('\n'), cause));
    for (const [name, s] of waiting) if (!seen.has(name)) s.reject(endError(name));
  };
  done.then(
    (r) => finish(r),
    (err) => finish(undefined, err),
  );
  done.catch(() => undefined);

  return {
    done,
    waitFor(name, signal) {
      const s = slot(name);
      if (signal.aborted) controller.abort();
      const onAbort = () => controller.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      return s.promise.finally(() => signal.removeEventListener('abort', onAbort));
    },
  };
}
