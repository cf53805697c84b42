/**
 * WADO-RS rendered frames and thumbnails: one frame of a stored instance as an 8-bit picture. Grayscale
 * goes through the Modality LUT (Rescale Slope/Intercept) and the first VOI window (min-max of the frame when
 * there is none), MONOCHROME1 inverted; RGB is copied, planar or interleaved. Only native (uncompressed)
 * little-endian pixel data can be decoded here; anything else is a 501 that says so.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/sect_9.5.html (rendered)
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part03/sect_C.11.2.html (VOI LUT, the window)
 */
import { badRequest, notFound, OperationOutcomeError, outcome, issue } from '../fhir/outcomes.js';
import { DicomMessage, DicomMetaDictionary } from './dcmjs.js';
import type { Image8 } from './png.js';

/** Implicit and Explicit VR Little Endian: the transfer syntaxes whose Pixel Data is the raw samples. */
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1']);

const notImplemented = (message: string) => new OperationOutcomeError(501, outcome(issue('error', 'not-supported', message)));

const first = (v: unknown): number | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return x === undefined || x === null || x === '' ? undefined : Number(x);
};

/** Frame `frame` (1-based) of an instance, given as its Part 10 bytes, rendered to 8 bits per sample. */
export function renderFrame(bytes: Uint8Array, frame: number): Image8 {
  const message = DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const syntax = String(message.meta['00020010']?.Value?.[0] ?? '');
  if (!NATIVE.has(syntax)) throw notImplemented(`Rendering pixel data in transfer syntax ${syntax.slice(0, 64)} is not supported (only uncompressed little endian)`);
  const ds = DicomMetaDictionary.naturalizeDataset(message.dict) as Record<string, unknown>;
  const width = Number(ds.Columns);
  const height = Number(ds.Rows);
  const frames = first(ds.NumberOfFrames) ?? 1;
  if (frame > frames) throw notFound(`The instance has ${frames} frame(s); there is no frame ${frame}`);
  const samples = Number(ds.SamplesPerPixel ?? 1);
  const bits = Number(ds.BitsAllocated);
  const photometric = String(ds.PhotometricInterpretation ?? '');
  const data = (ds.PixelData as ArrayBuffer[] | undefined)?.[0];
  if (!data) throw notFound('The instance has no pixel data');
  const frameBytes = (width * height * samples * bits) / 8;
  const pixels = new Uint8Array(data, (frame - 1) * frameBytes, frameBytes);

  if (samples === 3 && photometric === 'RGB' && bits === 8) {
    if (Number(ds.PlanarConfiguration ?? 0) === 0) return { width, height, channels: 3, pixels: Uint8Array.from(pixels) };
    const out = new Uint8Array(frameBytes);
    const plane = width * height;
    for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = pixels[c * plane + i];
    return { width, height, channels: 3, pixels: out };
  }
  if (samples !== 1 || !/^MONOCHROME[12]$/.test(photometric) || (bits !== 8 && bits !== 16)) {
    throw notImplemented(`Rendering ${photometric.slice(0, 16)} with ${samples} sample(s) of ${bits} bits is not supported`);
  }
  return grayscale(ds, width, height, pixels, bits, photometric === 'MONOCHROME1');
}

function grayscale(ds: Record<string, unknown>, width: number, height: number, bytes: Uint8Array, bits: number, invert: boolean): Image8 {
  const count = width * height;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signed = Number(ds.PixelRepresentation ?? 0) === 1;
  const stored = Number(ds.BitsStored ?? bits);
  const slope = first(ds.RescaleSlope) ?? 1;
  const intercept = first(ds.RescaleIntercept) ?? 0;
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let raw = bits === 8 ? view.getUint8(i) : view.getUint16(i * 2, true);
    // Only the stored bits count; a signed value extends the sign from the high stored bit.
    raw &= 2 ** stored - 1;
    if (signed && raw >= 2 ** (stored - 1)) raw -= 2 ** stored;
    values[i] = raw * slope + intercept;
  }
  let center = first(ds.WindowCenter);
  let window = first(ds.WindowWidth);
  if (center === undefined || window === undefined || window < 1) {
    let [min, max] = [Infinity, -Infinity];
    for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
    [center, window] = [(min + max) / 2 + 0.5, Math.max(max - min + 1, 2)];
  }
  const out = new Uint8Array(count);
  const [low, span] = [center - 0.5 - (window - 1) / 2, Math.max(window - 1, 1)];
  for (let i = 0; i < count; i++) {
    const level = Math.round(Math.min(1, Math.max(0, (values[i] - low) / span)) * 255);
    out[i] = invert ? 255 - level : level;
  }
  return { width, height, channels: 1, pixels: out };
}

/** `viewport=w,h` (PS3.18 8.3.5.1.3) as a size to fit into; 400 unless two integers from 1 to 4096. */
export function viewportOf(value: string | null, fallback?: { width: number; height: number }) {
  if (value === null) return fallback;
  const m = /^(\d{1,4}),(\d{1,4})$/.exec(value);
  const size = m && { width: Number(m[1]), height: Number(m[2]) };
  if (!size || size.width < 1 || size.height < 1 || size.width > 4096 || size.height > 4096) throw badRequest('viewport must be "width,height", each from 1 to 4096', 'viewport');
  return size;
}

/** The source pixels [from, to) that output pixel `i` of `n` covers in `size` source pixels (at least one). */
function sourceSpan(i: number, n: number, size: number): [number, number] {
  const from = Math.floor((i * size) / n);
  return [from, Math.max(Math.floor(((i + 1) * size) / n), from + 1)];
}

/** The image scaled down (never up) to fit `box`, keeping its aspect; each output pixel the mean of its source box. */
export function fitInto(image: Image8, box: { width: number; height: number }): Image8 {
  const scale = Math.min(1, box.width / image.width, box.height / image.height);
  if (scale === 1) return image;
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const { channels } = image;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const [y0, y1] = sourceSpan(y, height, image.height);
    for (let x = 0; x < width; x++) {
      const [x0, x1] = sourceSpan(x, width, image.width);
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) sum += image.pixels[(sy * image.width + sx) * channels + c];
        out[(y * width + x) * channels + c] = Math.round(sum / ((y1 - y0) * (x1 - x0)));
      }
    }
  }
  return { width, height, channels, pixels: out };
}
