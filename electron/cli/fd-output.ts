import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';

/** stdout or stderr as `runCli` writes to it, and the stream itself for what needs one (readline's prompts). */
export interface CliStream extends Pick<NodeJS.WritableStream, 'write' | 'on'> {
  readonly isTTY?: boolean;
  /** The Node stream behind it; after this is asked for, every write goes through it, so nothing is reordered. */
  stream(): NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Writes straight to a file descriptor instead of through `process.stdout`: Node builds that stream on first use
 * from its stream modules, a few milliseconds that `pws --help` or a warning would otherwise pay. On Linux and
 * macOS Node writes stdio synchronously to files, terminals and (on Linux) pipes anyway, so the bytes and their
 * order are the same. A descriptor that is non-blocking and full (EAGAIN) hands over to the stream, which waits;
 * any other failure (EPIPE: the reader went away) is an 'error' event, as the stream would emit. On Windows, whose
 * console wants the stream's encoding, the stream is used from the start.
 */
export function fdOutput(fd: number, real: () => NodeJS.WriteStream, platform: NodeJS.Platform = process.platform): CliStream {
  const events = new EventEmitter();
  let viaStream: NodeJS.WriteStream | undefined;
  const stream = () => {
    if (!viaStream) {
      viaStream = real();
      viaStream.on('error', (err) => events.emit('error', err));
    }
    return viaStream;
  };
  if (platform === 'win32') stream();

  const write = (chunk: string | Uint8Array): boolean => {
    if (viaStream) return viaStream.write(chunk);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(fd, bytes, at);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return stream().write(bytes.subarray(at));
      if (events.listenerCount('error') === 0) throw err;
      events.emit('error', err);
      return false;
    }
  };

  return {
    write: write as CliStream['write'],
    on(event: string, listener: (...args: unknown[]) => void) {
      events.on(event, listener);
      return this as unknown as NodeJS.WritableStream;
    },
    get isTTY() {
      return stream().isTTY;
    },
    stream,
  };
}
