/**
 * The narrow part of dcmjs this project uses (the package ships no types): Part 10 writing from a
 * denaturalized dictionary, reading back, and the natural <-> DICOM JSON model conversions.
 * @see https://github.com/dcmjs-org/dcmjs
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part18/chapter_F.html (DICOM JSON model)
 */
declare module 'dcmjs' {
  /** One element of the DICOM JSON model: `{ vr, Value }` keyed by an 8-hex-digit tag. */
  export interface DicomJsonElement {
    vr: string;
    Value?: unknown[];
    BulkDataURI?: string;
  }
  export type DicomJsonDataset = Record<string, DicomJsonElement>;
  /** A dataset keyed by attribute keyword (PatientName, Rows, …); `_vrMap` names the VR of OB/OW data. */
  export type NaturalDataset = Record<string, unknown> & { _vrMap?: Record<string, string> };

  interface DicomDictInstance {
    meta: DicomJsonDataset;
    dict: DicomJsonDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  interface DataNamespace {
    DicomDict: new (meta: DicomJsonDataset) => DicomDictInstance;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: { untilTag?: string; includeUntilTagValue?: boolean; ignoreErrors?: boolean }): DicomDictInstance;
    };
    DicomMetaDictionary: {
      /** The data dictionary by keyword: `{ tag: '(0010,0010)', vr: 'PN', … }`. */
      nameMap: Record<string, { tag: string; vr: string } | undefined>;
      denaturalizeDataset(dataset: NaturalDataset): DicomJsonDataset;
      naturalizeDataset(dataset: DicomJsonDataset): NaturalDataset;
    };
  }

  const dcmjs: {
    data: DataNamespace;
    log: { setLevel(level: string): void };
  };
  export default dcmjs;
}
