/**
 * One DICOM Part 10 file (Explicit VR Little Endian): dcmjs encodes the File Meta Information and every
 * attribute; the Pixel Data element, last in tag order, is appended as its 12-byte element header and the
 * pixel bytes themselves. dcmjs would copy a 512 KB value through 4 KB chunks twice, which is half the cost of
 * an image; appending keeps the same encoding at the speed the benchmark asks for. Writing the bytes is the
 * FileStore's business (write-study.ts), which makes a file visible only once complete.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part10/chapter_7.html
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part05/sect_7.1.2.html (explicit VR elements)
 */
import type { NaturalDataset } from 'dcmjs';
import { DicomDict, DicomMetaDictionary } from './dcmjs.js';
import { fileMeta } from './dicom-dataset.js';

/** Tag (7FE0,0010), VR OB or OW, two reserved bytes and a 32-bit length (PS3.5 Table 7.1-1). */
function pixelDataHeader(vr: 'OB' | 'OW', length: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16LE(0x7fe0, 0);
  header.writeUInt16LE(0x0010, 2);
  header.write(vr, 4, 'latin1');
  header.writeUInt32LE(length, 8);
  return header;
}

/** Encodes a dataset (without Pixel Data) and its pixels as a Part 10 file. */
export function encodeInstance(dataset: NaturalDataset, pixels: Uint16Array | Uint8Array): Buffer {
  const meta = fileMeta(String(dataset.SOPClassUID), String(dataset.SOPInstanceUID));
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  const bytes = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  // Values have even length (PS3.5 7.1.1); an odd byte count gets one padding zero.
  const padding = bytes.length % 2 === 1 ? [Buffer.alloc(1)] : [];
  const header = pixelDataHeader(pixels instanceof Uint8Array ? 'OB' : 'OW', bytes.length + padding.length);
  return Buffer.concat([Buffer.from(dict.write()), header, bytes, ...padding]);
}
