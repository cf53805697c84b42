/** renderFrame over hand-made Part 10 files: the window, MONOCHROME1, signed pixels, RGB both planar layouts, and what it cannot decode. */
import type { NaturalDataset } from 'dcmjs';
import { DicomDict, DicomMetaDictionary } from '../../src/imaging/dcmjs.js';
import { fitInto, renderFrame } from '../../src/imaging/render-frame.js';
import { encodeInstance } from '../../src/imaging/write-instance.js';
import { encodePng } from '../../src/imaging/png.js';
import { readPng } from './png-reader.js';

let n = 0;
/** A Part 10 file's bytes. */
function file(attributes: NaturalDataset, pixels: Uint8Array | Uint16Array): Buffer {
  const dataset = { SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', SOPInstanceUID: `1.2.3.${++n}`, SamplesPerPixel: 1, PixelRepresentation: 0, ...attributes };
  return encodeInstance(dataset, pixels);
}

const gray16 = (attributes: NaturalDataset, values: number[]) =>
  file({ Rows: 1, Columns: values.length, BitsAllocated: 16, BitsStored: 16, HighBit: 15, PhotometricInterpretation: 'MONOCHROME2', ...attributes }, Uint16Array.from(values));

test('rescale then the first window (PS3.3 C.11.2.1.2): below is black, above is white, the centre mid-grey', () => {
  // Stored + (-1000) = HU; window 40/400 spans [-160.5, 239.5].
  const f = gray16({ RescaleSlope: 1, RescaleIntercept: -1000, WindowCenter: [40, 500], WindowWidth: [400, 2000] }, [0, 800, 1040, 1300, 2000]);
  const image = renderFrame(f, 1);
  expect([...image.pixels]).toEqual([0, 0, 128, 255, 255]);
});

test('without a window, min-max; MONOCHROME1 is inverted; signed values keep their sign', () => {
  expect([...renderFrame(gray16({}, [100, 150, 200]), 1).pixels]).toEqual([0, 128, 255]);
  expect([...renderFrame(gray16({ PhotometricInterpretation: 'MONOCHROME1' }, [100, 150, 200]), 1).pixels]).toEqual([255, 127, 0]);
  // 0xFFFF is -1 when signed: the darkest of [-1, 0, 1], not the brightest.
  expect([...renderFrame(gray16({ PixelRepresentation: 1 }, [0xffff, 0, 1]), 1).pixels]).toEqual([0, 128, 255]);
});

test('RGB, interleaved and planar, comes out interleaved; later frames are found', async () => {
  const rgb = { Rows: 1, Columns: 2, SamplesPerPixel: 3, BitsAllocated: 8, BitsStored: 8, HighBit: 7, PhotometricInterpretation: 'RGB' };
  const interleaved = renderFrame(file({ ...rgb, PlanarConfiguration: 0 }, Uint8Array.from([1, 2, 3, 4, 5, 6])), 1);
  expect([interleaved.channels, ...interleaved.pixels]).toEqual([3, 1, 2, 3, 4, 5, 6]);
  const planar = renderFrame(file({ ...rgb, PlanarConfiguration: 1 }, Uint8Array.from([1, 4, 2, 5, 3, 6])), 1);
  expect([...planar.pixels]).toEqual([1, 2, 3, 4, 5, 6]);
  const frames = gray16({ NumberOfFrames: 2, Columns: 2 }, [0, 10, 500, 1000]);
  expect([...renderFrame(frames, 2).pixels]).toEqual([0, 255]);
  await expect(async () => renderFrame(frames, 3)).rejects.toMatchObject({ status: 404 });
});

test('what cannot be decoded is a 501 that says why', async () => {
  await expect(async () => renderFrame(file({ Rows: 1, Columns: 1, SamplesPerPixel: 3, BitsAllocated: 8, BitsStored: 8, HighBit: 7, PhotometricInterpretation: 'YBR_FULL' }, Uint8Array.from([1, 2, 3, 0])), 1)).rejects.toMatchObject({ status: 501 });
  // A JPEG Baseline file: only the File Meta's Transfer Syntax matters before the pixels are touched.
  const meta = { FileMetaInformationVersion: new Uint8Array([0, 1]).buffer, MediaStorageSOPClassUID: '1.2.840.10008.5.1.4.1.1.7', MediaStorageSOPInstanceUID: '1.2.3.99', TransferSyntaxUID: '1.2.840.10008.1.2.4.50', _vrMap: { FileMetaInformationVersion: 'OB' } };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', SOPInstanceUID: '1.2.3.99', Rows: 1, Columns: 1 });
  const jpeg = Buffer.from(dict.write());
  await expect(async () => renderFrame(jpeg, 1)).rejects.toMatchObject({ status: 501, outcome: { issue: [{ diagnostics: expect.stringMatching(/1\.2\.840\.10008\.1\.2\.4\.50/) }] } });
});

test('encodePng round-trips through an independent reader; fitInto box-filters down, keeping the aspect', () => {
  const pixels = Uint8Array.from({ length: 300 * 200 }, (_, i) => (i % 300 < 151 ? 0 : 200));
  const small = fitInto({ width: 300, height: 200, channels: 1, pixels }, { width: 128, height: 128 });
  expect([small.width, small.height]).toEqual([128, 85]);
  const decoded = readPng(encodePng(small));
  expect([decoded.width, decoded.height, decoded.colorType]).toEqual([128, 85, 0]);
  expect(decoded.pixels[0]).toBe(0);
  expect(decoded.pixels[127]).toBe(200);
  // The output column straddling the edge averages both sides (a nearest filter would not).
  expect(decoded.pixels[64]).toBe(100);
  const rgb = readPng(encodePng({ width: 2, height: 1, channels: 3, pixels: Uint8Array.from([1, 2, 3, 4, 5, 6]) }));
  expect([rgb.colorType, ...rgb.pixels]).toEqual([2, 1, 2, 3, 4, 5, 6]);
});
