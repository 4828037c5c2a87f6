import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';

// electron-builder's own icon resolver: for files it can use as they are it returns them, otherwise it runs
// (and first downloads) a converter, which can't happen here. So resolving proves no conversion is needed.
const { convertIcon } = createRequire(import.meta.url)('app-builder-lib/out/util/iconConverter') as {
  convertIcon(o: {
    sources: string[];
    fallbackSources: string[];
    roots: string[];
    format: string;
    outDir: string;
  }): Promise<{ icons: Array<{ file: string; size: number }>; isFallback: boolean }>;
};

function pngSize(png: Buffer): number {
  expect(png.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  expect(png.readUInt32BE(16)).toBe(png.readUInt32BE(20));
  return png.readUInt32BE(16);
}

/** RGBA pixels of one of our PNGs (8-bit RGBA, filter 0 on every row, as scripts/make-icons.mjs writes them). */
function pngPixels(png: Buffer): Buffer {
  const size = pngSize(png);
  const idat = Buffer.concat([...chunks(png)].filter(([type]) => type === 'IDAT').map(([, data]) => data));
  const rows = inflateSync(idat);
  return Buffer.concat(Array.from({ length: size }, (_, y) => rows.subarray(y * (size * 4 + 1) + 1, (y + 1) * (size * 4 + 1))));
}

function* chunks(png: Buffer): Generator<[string, Buffer]> {
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    yield [png.subarray(at + 4, at + 8).toString('latin1'), png.subarray(at + 8, at + 8 + length)];
    at += 12 + length;
  }
}

const linuxPng = (size: number) => readFileSync(`build/icons/${size}x${size}.png`);

describe('the app icons, rendered from build/icon.svg', () => {
  it('Linux: a PNG per hicolor size, each the size its name says', () => {
    const files = readdirSync('build/icons');
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) expect(`${pngSize(readFileSync(join('build/icons', file)))}x`.repeat(2)).toBe(file.replace('.png', 'x'));
    expect(files).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']));
  });

  it('macOS: an ICNS with every size up to 1024 (512@2x) as PNG', () => {
    const icns = readFileSync('build/icon.icns');
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const sizes: Record<string, number> = {};
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      sizes[icns.subarray(at, at + 4).toString('latin1')] = pngSize(icns.subarray(at + 8, at + icns.readUInt32BE(at + 4)));
    }
    expect(sizes).toMatchObject({ icp4: 16, icp5: 32, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512 });
  });

  it('Windows: an ICO with 256 px as PNG and the small sizes as bitmaps that match the same picture', () => {
    const ico = readFileSync('build/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const entries = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => {
      const at = 6 + 16 * i;
      return { size: ico[at] || 256, data: ico.subarray(ico.readUInt32LE(at + 12), ico.readUInt32LE(at + 12) + ico.readUInt32LE(at + 8)) };
    });
    expect(entries.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(pngSize(entries.at(-1)!.data)).toBe(256);
    for (const { size, data } of entries.slice(0, -1)) {
      expect([data.readUInt32LE(0), data.readInt32LE(4), data.readInt32LE(8), data.readUInt16LE(14)]).toEqual([40, size, size * 2, 32]);
      const expected = pngPixels(linuxPng(size));
      const topLeftOfBitmap = 40 + (size - 1) * size * 4; // rows run bottom-up, BGRA
      const middle = ((size / 2) * size + size / 2) * 4;
      const bitmapMiddle = 40 + ((size - 1 - size / 2) * size + size / 2) * 4;
      expect([...data.subarray(topLeftOfBitmap, topLeftOfBitmap + 4)]).toEqual([expected[2], expected[1], expected[0], expected[3]]);
      expect([...data.subarray(bitmapMiddle, bitmapMiddle + 4)]).toEqual([expected[middle + 2], expected[middle + 1], expected[middle], expected[middle + 3]]);
    }
  });

  it.each([
    ['icns', 'build/icon.icns'],
    ['ico', 'build/icon.ico'],
    ['set', 'build/icons'],
  ])('electron-builder takes the %s icon as it is, without its downloaded converter', async (format, source) => {
    const result = await convertIcon({
      sources: [source],
      fallbackSources: [],
      roots: ['build', '.'],
      format,
      outDir: mkdtempSync(join(tmpdir(), 'pws-icon-')),
    });
    expect(result.isFallback).toBe(false);
    expect(result.icons.length).toBeGreaterThan(0);
    for (const icon of result.icons) expect(icon.file).toContain(source.replace('build/', ''));
  });
});
