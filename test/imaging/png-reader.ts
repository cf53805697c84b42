/**
 * A minimal PNG reader for the rendered tests, written from the PNG spec rather than from our encoder: the
 * signature, every chunk's CRC (node:zlib's crc32), IHDR, the IDAT stream inflated, and rows of filter type 0.
 */
import zlib from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  colorType: number;
  channels: number;
  pixels: Uint8Array;
}

export function readPng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG signature');
  let at = 8;
  let ihdr: Buffer | undefined;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (png.readUInt32BE(at + 8 + length) !== zlib.crc32(png.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC on ${type}`);
    types.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  if (!ihdr || types[0] !== 'IHDR' || types[types.length - 1] !== 'IEND') throw new Error(`chunks out of order: ${types.join(',')}`);
  const [width, height, depth, colorType] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]];
  if (depth !== 8) throw new Error(`bit depth ${depth}`);
  const channels = colorType === 0 ? 1 : colorType === 2 ? 3 : 0;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== (stride + 1) * height) throw new Error('IDAT size does not fit IHDR');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error(`row ${y} filter ${raw[y * (stride + 1)]}`);
    pixels.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, colorType, channels, pixels };
}
