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
  /** Resolves when the command prints `@@pws:<name>=<value>`, with the output lines since the previous marker. */
  waitFor(name: string, signal: AbortSignal): Promise<{ value: string; output: string }>;
  readonly done: Promise<ExecResult>;
}

const MARKER = /^@@pws:([a-z-]+)=(.*)$/;

/**
 * Runs one shell script that does several stages' work (one round trip instead of one per stage) and prints a
 * marker line after each, so the engine can still time, stream and fail each stage on its own. Output lines
 * that are not markers go to `onLine` (the device log). Aborting any wait closes the command's channel.
 */
export function runMarked(conn: DeviceConnection, script: string, onLine: (line: string) => void): MarkedExec {
  const controller = new AbortController();
  const waiting = new Map<string, { resolve: (v: { value: string; output: string }) => void; reject: (e: unknown) => void; promise: Promise<{ value: string; output: string }> }>();
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

  const line = (text: string) => {
    const m = MARKER.exec(text.trim());
    if (m) {
      const hit = { value: m[2]!, output: segment.join('\n') };
      segment = [];
      seen.set(m[1]!, hit);
      waiting.get(m[1]!)?.resolve(hit);
      return;
    }
    if (!text.trim()) return;
    segment.push(text);
    onLine(text);
  };

  const done = conn.exec(script, {
    signal: controller.signal,
    onOutput: (text, stream) => {
      const lines = (partial[stream] + text).split(/\r?\n/);
      partial[stream] = lines.pop() ?? '';
      for (const l of lines) line(l);
    },
  });
  const finish = (result: ExecResult | undefined, cause?: unknown) => {
    for (const s of ['stdout', 'stderr'] as const) if (partial[s]) line(partial[s]);
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
