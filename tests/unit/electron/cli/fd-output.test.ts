import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fdOutput } from '../../../../electron/cli/fd-output';

const open: number[] = [];
const track = (fd: number) => (open.push(fd), fd);
afterEach(() => {
  for (const fd of open.splice(0)) closeSync(fd);
});

/** A stream standing in for process.stdout, recording what reaches it. */
function fakeStream() {
  const chunks: Buffer[] = [];
  const s = new PassThrough();
  s.on('data', (c: Buffer) => chunks.push(c));
  return { stream: s as unknown as NodeJS.WriteStream, text: () => Buffer.concat(chunks).toString() };
}

const fifo = () => {
  const path = join(mkdtempSync(join(tmpdir(), 'pws-fd-')), 'pipe');
  execFileSync('mkfifo', [path]);
  return path;
};

describe('fdOutput: stdout and stderr written through their descriptors', () => {
  it('writes text and bytes in order, without building the stream', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pws-fd-')), 'out');
    const fd = track(openSync(file, 'w'));
    let built = false;
    const out = fdOutput(fd, () => ((built = true), fakeStream().stream), 'linux');
    expect(out.write('Vendor ID: ü\n')).toBe(true);
    out.write(Buffer.from('bytes\n'));
    expect(readFileSync(file, 'utf8')).toBe('Vendor ID: ü\nbytes\n');
    expect(built).toBe(false);
  });

  it('once the stream is asked for (readline, isTTY), writes go through it, so nothing is reordered', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pws-fd-')), 'out');
    const fd = track(openSync(file, 'w'));
    const fake = fakeStream();
    const out = fdOutput(fd, () => fake.stream, 'linux');
    out.write('before\n');
    expect(out.stream()).toBe(fake.stream);
    out.write('after\n');
    expect(readFileSync(file, 'utf8')).toBe('before\n');
    expect(fake.text()).toBe('after\n');
  });

  it('hands the rest to the stream when a non-blocking descriptor is full (EAGAIN), losing nothing', () => {
    // A FIFO opened for reading and writing never blocks and nobody reads it: it fills at the pipe's size.
    const fd = track(openSync(fifo(), constants.O_RDWR | constants.O_NONBLOCK));
    const fake = fakeStream();
    const out = fdOutput(fd, () => fake.stream, 'linux');
    const text = 'x'.repeat(1024 * 1024);
    out.write(text);
    const inPipe = Buffer.alloc(text.length);
    const read = readSync(fd, inPipe);
    expect(read).toBeGreaterThan(0);
    expect(read + fake.text().length).toBe(text.length);
  });

  it("reports a reader that went away (EPIPE) as an 'error' event, as the stream would", () => {
    const path = fifo();
    const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = track(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
    closeSync(reader);
    const out = fdOutput(fd, () => fakeStream().stream, 'linux');
    const errors: NodeJS.ErrnoException[] = [];
    out.on('error', (err: NodeJS.ErrnoException) => errors.push(err));
    expect(out.write('line\n')).toBe(false);
    expect(errors.map((e) => e.code)).toEqual(['EPIPE']);
  });

  it('uses the stream from the start on Windows, whose console wants its encoding', () => {
    const fake = fakeStream();
    const out = fdOutput(1, () => fake.stream, 'win32');
    out.write('via the stream\n');
    expect(fake.text()).toBe('via the stream\n');
  });
});
