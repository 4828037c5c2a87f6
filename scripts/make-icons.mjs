// node scripts/make-icons.mjs: renders build/icon.svg, the one source image, into the icon of every installer:
//   build/icons/<N>x<N>.png   Linux (deb): the hicolor sizes
//   build/icon.icns           macOS (app and dmg)
//   build/icon.ico            Windows (exe, NSIS installer and uninstaller)
// Debian's Chromium rasterises the SVG; the PNG, ICNS and ICO files are written here, byte by byte, because
// electron-builder would otherwise download its own icon converter on every packaging run.
// The results are committed, so packaging on macOS or Windows needs neither Chromium nor this script.
import { chromium } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const WINDOWS_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS element types holding PNG data, by pixel size (the @2x types reuse the next size up).
const MAC_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32],
  ['icp6', 64],
  ['ic12', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256],
  ['ic09', 512],
  ['ic14', 512],
  ['ic10', 1024],
];

const svg = readFileSync(new URL('../build/icon.svg', import.meta.url));
const sizes = [...new Set([...LINUX_SIZES, ...WINDOWS_SIZES, ...MAC_TYPES.map(([, size]) => size)])];
const pixels = await rasterise(svg, sizes);

mkdirSync(new URL('../build/icons/', import.meta.url), { recursive: true });
for (const size of LINUX_SIZES) writeFileSync(new URL(`../build/icons/${size}x${size}.png`, import.meta.url), png(size, pixels.get(size)));
writeFileSync(new URL('../build/icon.icns', import.meta.url), icns(MAC_TYPES.map(([type, size]) => [type, png(size, pixels.get(size))])));
writeFileSync(new URL('../build/icon.ico', import.meta.url), ico(WINDOWS_SIZES.map((size) => [size, pixels.get(size)])));
process.stderr.write(`make-icons: wrote build/icons/*.png (${LINUX_SIZES.join(', ')}), build/icon.icns and build/icon.ico\n`);

/** RGBA pixels of the SVG at each size, drawn by Chromium onto a canvas. */
async function rasterise(svgBytes, pixelSizes) {
  const browser = await chromium.launch({
    executablePath: process.env.PWS_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const rendered = await page.evaluate(
      async ({ source, list }) => {
        const image = new Image();
        image.src = `data:image/svg+xml;base64,${source}`;
        await image.decode();
        const out = {};
        for (const size of list) {
          const canvas = document.createElement('canvas');
          canvas.width = canvas.height = size;
          const context = canvas.getContext('2d');
          context.imageSmoothingQuality = 'high';
          context.drawImage(image, 0, 0, size, size);
          const data = context.getImageData(0, 0, size, size).data;
          out[size] = btoa(Array.from(data, (b) => String.fromCharCode(b)).join(''));
        }
        return out;
      },
      { source: svgBytes.toString('base64'), list: pixelSizes },
    );
    return new Map(pixelSizes.map((size) => [size, Buffer.from(rendered[size], 'base64')]));
  } finally {
    await browser.close();
  }
}

function png(size, rgba) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function icns(elements) {
  const parts = elements.map(([type, data]) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** 256 px as PNG (Vista and later); the smaller sizes as 32-bit bitmaps, which every Windows tool reads. */
function ico(images) {
  const bodies = images.map(([size, rgba]) => (size >= 256 ? png(size, rgba) : bitmap(size, rgba)));
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(([size], i) => {
    const entry = 6 + 16 * i;
    header[entry] = header[entry + 1] = size >= 256 ? 0 : size; // 0 means 256
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(bodies[i].length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += bodies[i].length;
  });
  return Buffer.concat([header, ...bodies]);
}

function bitmap(size, rgba) {
  const info = Buffer.alloc(40);
  const maskRow = Math.ceil(size / 32) * 4;
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // colour rows + mask rows
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  const colour = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = ((size - 1 - y) * size + x) * 4; // bitmaps run bottom-up, in BGRA
      const to = (y * size + x) * 4;
      colour[to] = rgba[from + 2];
      colour[to + 1] = rgba[from + 1];
      colour[to + 2] = rgba[from];
      colour[to + 3] = rgba[from + 3];
    }
  }
  return Buffer.concat([info, colour, Buffer.alloc(maskRow * size)]); // an all-zero mask: alpha decides
}
